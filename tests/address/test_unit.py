"""Secondary unit canonicalization (USPS Pub 28 C2 designators, GB flats, Finnish staircases)."""

from __future__ import annotations

import pytest

from geodata.address.tables import UNIT_DESIGNATORS
from geodata.address.text import free_text_tokens
from geodata.address.unit import Unit, find_unit_start, is_unit_tokens, normalize_unit


@pytest.mark.parametrize(
    ("raw", "display", "unit_id"),
    [
        ("Apartment 4", "APT 4", "4"),
        ("APT 4", "APT 4", "4"),
        ("apt. 4b", "APT 4B", "4B"),
        ("Apt #4", "APT 4", "4"),
        ("APT # 4", "APT 4", "4"),
        ("Suite 200", "STE 200", "200"),
        ("Ste. 200", "STE 200", "200"),
        ("#4", "# 4", "4"),
        ("# 4", "# 4", "4"),
        ("4", "# 4", "4"),
        ("Unit 4", "UNIT 4", "4"),
        ("unit 3-B", "UNIT 3B", "3B"),
        ("Room 12", "RM 12", "12"),
        ("Building 2", "BLDG 2", "2"),
        ("Floor 3", "FL 3", "3"),
        ("2nd floor", "FL 2", "2"),
        ("Space 7", "SPC 7", "7"),
        ("Trailer 9", "TRLR 9", "9"),
        ("Penthouse", "PH", "PH"),
        ("Rear", "REAR", "REAR"),
        ("Basement", "BSMT", "BSMT"),
        ("Bldg 2 Apt 4", "BLDG 2 APT 4", "2-4"),
        # A floor's initials beside the word FLAT name the flat by its floor.
        ("Flat GF", "GROUND FLOOR FLAT", "FLAT-GROUND"),
        ("G/F Flat", "GROUND FLOOR FLAT", "FLAT-GROUND"),
        ("LGF Flat", "LOWER GROUND FLOOR FLAT", "FLAT-LOWER-GROUND"),
        ("Apt GF", "APT GF", "GF"),
        # Zeros before a number are a source's fixed width, not which unit it is.
        ("Apt 004", "APT 4", "4"),
        ("Flat 01A", "FLAT 1A", "1A"),
        ("A 03", "A 3", "A3"),
        ("Flat 2/01", "FLAT 2/1", "2/1"),
        ("Apt 0", "APT 0", "0"),
        ("Apt 100", "APT 100", "100"),
        ("First Floor", "FL 1", "1"),
        # A floor beside a unit with an identifier says where the unit is, not which.
        ("Flat 2, First Floor", "FLAT 2", "2"),
        ("Apt 4 2nd floor", "APT 4", "4"),
        ("Flat 2", "FLAT 2", "2"),
        ("flat 2a", "FLAT 2A", "2A"),
        ("A 5", "A 5", "A5"),
        ("B 12", "B 12", "B12"),
        ("a 5", "A 5", "A5"),
        ("A5", "# A5", "A5"),
        ("as 4", "AS 4", "4"),
        ("Unit A 5", "UNIT A 5", "A5"),
        # A Finnish or Swedish floor ("2. krs", "3 vån") is a floor; beside a staircase
        # and an apartment, its number is the floor's, and the unit is the apartment.
        ("2. krs", "FL 2", "2"),
        ("kerros 3", "FL 3", "3"),
        ("A 3, 2. krs", "A 3", "A3"),
        ("A 3 krs 2", "A 3", "A3"),
        ("B 12, 4 vån", "B 12", "B12"),
        # A designator mistyped by one slip of the keys, where a number follows it.
        ("Falt 2", "FLAT 2", "2"),
        ("Apartmnet 4", "APT 4", "4"),
        ("Siute 200", "STE 200", "200"),
    ],
)
def test_normalize_unit(raw, display, unit_id):
    assert normalize_unit(raw) == Unit(display, unit_id)
    assert normalize_unit(display) == Unit(display, unit_id)


@pytest.mark.parametrize(
    ("raw", "display", "unit_id"),
    [
        ("Ground Floor Flat", "GROUND FLOOR FLAT", "FLAT-GROUND"),
        ("GROUND FLR FLAT", "GROUND FLOOR FLAT", "FLAT-GROUND"),
        ("GFF", "GROUND FLOOR FLAT", "FLAT-GROUND"),
        ("Flat, Ground Floor", "GROUND FLOOR FLAT", "FLAT-GROUND"),
        ("Lower Ground Floor Flat", "LOWER GROUND FLOOR FLAT", "FLAT-LOWER-GROUND"),
        ("First Floor Flat", "FIRST FLOOR FLAT", "FLAT-FIRST"),
        ("1st floor flat", "FIRST FLOOR FLAT", "FLAT-FIRST"),
        ("Second Floor Flat", "SECOND FLOOR FLAT", "FLAT-SECOND"),
        ("Top Flat", "TOP FLOOR FLAT", "FLAT-TOP"),
        ("Basement Flat", "BASEMENT FLAT", "FLAT-BASEMENT"),
        ("Garden Flat", "GARDEN FLAT", "FLAT-GARDEN"),
        ("Rear Flat", "REAR FLAT", "FLAT-REAR"),
    ],
)
def test_a_british_flat_named_by_its_floor_or_place(raw, display, unit_id):
    assert normalize_unit(raw) == Unit(display, unit_id)
    assert normalize_unit(display) == Unit(display, unit_id)
    assert is_unit_tokens(free_text_tokens(raw))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ground Floor Flat", "First Floor Flat"),
        ("Ground Floor Flat", "Flat 1"),
        ("Basement Flat", "Lower Ground Floor Flat"),
        ("First Floor Flat", "1st floor"),  # a floor without FLAT is a floor (offices too)
    ],
)
def test_flats_on_different_floors_stay_different(a, b):
    assert normalize_unit(a).unit_id != normalize_unit(b).unit_id


@pytest.mark.parametrize(
    ("a", "b"), [("Flat 1/2", "Flat 12"), ("Flat 2/1", "Flat 1/2"), ("Flat 1-2", "Flat 12")]
)
def test_two_numbers_apart_are_not_one_number(a, b):
    # A Scottish flat "1/2" is floor 1, flat 2: never flat 12.
    assert normalize_unit(a).unit_id != normalize_unit(b).unit_id


@pytest.mark.parametrize("raw", ["Flat 1/2", "FLAT 1 / 2", "Flat 1-2"])
def test_two_numbers_apart_read_with_a_slash(raw):
    unit = normalize_unit(raw)
    assert unit == ("FLAT 1/2", "1/2")
    assert normalize_unit(unit.display) == unit


@pytest.mark.parametrize("raw", ["APT 4", "#4", "# 4", "Unit 4", "4", "Apartment 4", "Ste 4"])
def test_designators_do_not_change_the_unit_id(raw):
    assert normalize_unit(raw).unit_id == "4"


@pytest.mark.parametrize(("a", "b"), [("1", "2"), ("4A", "4B"), ("A 5", "B 5"), ("Rear", "")])
def test_different_units_stay_different(a, b):
    assert normalize_unit(a) != normalize_unit(b)


@pytest.mark.parametrize("raw", ["", "  ", "#", "##", "-"])
def test_empty_unit_is_none(raw):
    assert normalize_unit(raw) is None


def test_all_pub28_c2_designators_are_known():
    pub28_c2 = "APT BSMT BLDG DEPT FL FRNT HNGR KEY LBBY LOT LOWR OFC PH PIER REAR RM SIDE SLIP"
    for designator in (*pub28_c2.split(), "SPC", "STOP", "STE", "TRLR", "UNIT", "UPPR"):
        assert UNIT_DESIGNATORS[designator] == designator
    assert UNIT_DESIGNATORS["#"] == "#"
    assert UNIT_DESIGNATORS["FLAT"] == "FLAT"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("MAIN ST APT 4", 2),
        ("MAIN ST # 4", 2),
        ("MAIN ST STE B", 2),
        ("MAIN ST LOT 5", 2),
        ("HIGH STREET FLAT 2", 2),
        # Designator words that belong to the street name.
        ("LOT RD", None),
        ("OLD LOT RD", None),
        ("KEY WEST", None),
        ("SEA KEY N", None),
        ("MAIN LOT 1ST", None),
        ("APT 4", None),  # index 0 is the street name itself
        ("MAIN ST APT", None),
    ],
)
def test_find_unit_start(line, expected):
    assert find_unit_start(line.split(), 1) == expected


@pytest.mark.parametrize(
    ("part", "expected"),
    [("Flat 2", True), ("Apt 4", True), ("#4", True), ("Key West", False), ("Oakland", False)],
)
def test_is_unit_tokens(part, expected):
    assert is_unit_tokens(free_text_tokens(part)) is expected
