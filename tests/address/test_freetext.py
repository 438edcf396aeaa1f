"""Free-text addresses: US, Finnish and British layouts through normalize_address."""

from __future__ import annotations

import pytest

from geodata.address.freetext import ParsedAddress, parse_free_text, split_street

# (full_address, expected output fields); country and region come from the text.
US_CASES = [
    (
        "123 N Main St Apt 4, San Francisco, CA 94103",
        dict(
            house_number="123",
            street="N MAIN ST",
            unit="APT 4",
            unit_id="4",
            locality="SAN FRANCISCO",
            iso_3166_2="US-CA",
            postcode="94103",
        ),
    ),
    (
        "123 Main Street #4, San Francisco CA 94103-1234",
        dict(
            house_number="123",
            street="MAIN ST",
            unit="# 4",
            unit_id="4",
            locality="SAN FRANCISCO",
            iso_3166_2="US-CA",
            postcode="94103",
        ),
    ),
    (
        "12A Oak Ave, Oakland, CA",
        dict(
            house_number="12A",
            hn_int=12,
            hn_suffix="A",
            street="OAK AVE",
            unit=None,
            locality="OAKLAND",
            iso_3166_2="US-CA",
            postcode=None,
        ),
    ),
    (
        "45 1/2 Elm St Unit 3B, Berkeley, California 94704",
        dict(
            house_number="45 1/2",
            hn_int=45,
            hn_suffix="1/2",
            street="ELM ST",
            unit="UNIT 3B",
            unit_id="3B",
            locality="BERKELEY",
            iso_3166_2="US-CA",
            postcode="94704",
        ),
    ),
    (
        "500 Market St, San Francisco, CA 94105",
        dict(
            house_number="500",
            street="MARKET ST",
            unit=None,
            locality="SAN FRANCISCO",
            iso_3166_2="US-CA",
            postcode="94105",
        ),
    ),
    (
        # Without commas a unit designator ends the street, even past a suffix word.
        "2 Glen Park Way Ste 102 Brisbane CA 94005",
        dict(
            house_number="2",
            street="GLEN PARK WAY",
            unit="STE 102",
            locality="BRISBANE",
            iso_3166_2="US-CA",
            postcode="94005",
        ),
    ),
    (
        # ... and suffix words that follow each other belong to the street.
        "612 GLEN PARK WAY BRISBANE CA 94005",
        dict(
            house_number="612",
            street="GLEN PARK WAY",
            unit=None,
            locality="BRISBANE",
            iso_3166_2="US-CA",
            postcode="94005",
        ),
    ),
    (
        "77 Pine St San Jose CA 95112",
        dict(
            house_number="77",
            street="PINE ST",
            unit=None,
            locality="SAN JOSE",
            iso_3166_2="US-CA",
            postcode="95112",
        ),
    ),
    (
        "123 Main St Apt 4 Oakland CA 94607",
        dict(
            house_number="123",
            street="MAIN ST",
            unit="APT 4",
            locality="OAKLAND",
            iso_3166_2="US-CA",
            postcode="94607",
        ),
    ),
    (
        "1600 Pennsylvania Ave NW, Washington, DC 20500",
        dict(
            house_number="1600",
            street="PENNSYLVANIA AVE NW",
            street_dir="NW",
            locality="WASHINGTON",
            iso_3166_2="US-DC",
            postcode="20500",
        ),
    ),
    (
        "Apt 4, 123 Main St, Boston, MA 02110, USA",
        dict(
            house_number="123",
            street="MAIN ST",
            unit="APT 4",
            locality="BOSTON",
            iso_3166_2="US-MA",
            postcode="02110",
        ),
    ),
    (
        "123 Main St, San Francisco, CA, 94103",
        dict(
            house_number="123",
            street="MAIN ST",
            locality="SAN FRANCISCO",
            iso_3166_2="US-CA",
            postcode="94103",
        ),
    ),
]

FI_CASES = [
    (
        "Mannerheimintie 12 A 5, 00100 Helsinki",
        dict(
            house_number="12",
            hn_suffix=None,
            street="MANNERHEIMINTIE",
            unit="A 5",
            unit_id="A5",
            locality="HELSINKI",
            postcode="00100",
        ),
    ),
    (
        "Aleksanterinkatu 3, 00100 HELSINKI",
        dict(
            house_number="3",
            street="ALEKSANTERINKATU",
            unit=None,
            locality="HELSINKI",
            postcode="00100",
        ),
    ),
    (
        "Hämeentie 7 B 22, 00530 Helsinki",
        dict(
            house_number="7",
            street="HÄMEENTIE",
            unit="B 22",
            unit_id="B22",
            locality="HELSINKI",
            postcode="00530",
        ),
    ),
    (
        "Hämeentie 7 B 22 00530 Helsinki",
        dict(
            house_number="7", street="HÄMEENTIE", unit="B 22", locality="HELSINKI", postcode="00530"
        ),
    ),
    (
        "Kauppakatu 3 as 4, 40100 Jyväskylä",
        dict(
            house_number="3",
            street="KAUPPAKATU",
            unit="AS 4",
            unit_id="4",
            locality="JYVÄSKYLÄ",
            postcode="40100",
        ),
    ),
    (
        "Mannerheimintie 12a, 00100 Helsinki",
        dict(house_number="12A", street="MANNERHEIMINTIE", unit=None),
    ),
]

GB_EXPECTED = dict(
    house_number="10",
    street="HIGH STREET",
    street_type=None,
    unit="FLAT 2",
    unit_id="2",
    locality="LONDON",
    postcode="SW1A 1AA",
    iso_3166_1="GB",
)


def _assert_fields(address, expected):
    actual = {name: getattr(address, name) for name in expected}
    assert actual == expected


@pytest.mark.parametrize(("text", "expected"), US_CASES)
def test_us_free_text(normalize, text, expected):
    address = normalize(full_address=text)
    _assert_fields(address, {**expected, "iso_3166_1": "US", "reject_reason": None})


@pytest.mark.parametrize(("text", "expected"), US_CASES)
def test_us_free_text_with_country_given(normalize, text, expected):
    assert normalize(full_address=text, country="US") == normalize(full_address=text)


@pytest.mark.parametrize(("text", "expected"), FI_CASES)
def test_finnish_free_text_with_source_constants(normalize, text, expected):
    address = normalize(full_address=text, country="FI", region="FI-18")
    _assert_fields(
        address, {**expected, "iso_3166_1": "FI", "iso_3166_2": "FI-18", "reject_reason": None}
    )


@pytest.mark.parametrize(("text", "expected"), FI_CASES)
def test_finnish_free_text_country_is_detected(normalize, text, expected):
    address = normalize(full_address=text, region="Uusimaa")
    _assert_fields(address, {**expected, "iso_3166_1": "FI", "iso_3166_2": "FI-18"})


def test_finnish_free_text_without_region_is_unknown_region(normalize):
    address = normalize(full_address="Mannerheimintie 12 A 5, 00100 Helsinki", country="FI")
    assert address.reject_reason == "unknown_region"
    assert address.house_number == "12"


@pytest.mark.parametrize(
    "text",
    [
        "Flat 2, 10 High Street, London SW1A 1AA",
        "Flat 2, 10 High Street, London, SW1A 1AA",
        "10 High Street, Flat 2, London SW1A1AA",
        "Flat 2, 10 High Street, London SW1A 1AA, United Kingdom",
    ],
)
def test_british_free_text(normalize, text):
    address = normalize(full_address=text, region="GB-LND")
    _assert_fields(address, {**GB_EXPECTED, "iso_3166_2": "GB-LND", "reject_reason": None})
    assert normalize(full_address=text, country="UK", region="GB-LND") == address


def test_british_free_text_without_region(normalize):
    address = normalize(full_address="Flat 2, 10 High Street, London SW1A 1AA")
    _assert_fields(address, GB_EXPECTED)
    assert address.reject_reason == "unknown_region"


@pytest.mark.parametrize(
    "text", ["Helsinki", "Helsinki, Finland", "   ", ", ,", "San Francisco, CA 94103"]
)
def test_unparseable_free_text(normalize, text):
    address = normalize(full_address=text)
    assert address.house_number is None
    assert address.street is None
    assert address.reject_reason == "unparseable_address"


def test_unparseable_free_text_keeps_what_parsed(normalize):
    address = normalize(full_address="San Francisco, CA 94103")
    assert (address.iso_3166_1, address.iso_3166_2, address.postcode) == ("US", "US-CA", "94103")
    assert address.locality == "SAN FRANCISCO"


def test_a_street_without_number_is_an_address_without_number(normalize):
    address = normalize(full_address="Main St, Springfield, IL")
    _assert_fields(
        address,
        dict(street="MAIN ST", locality="SPRINGFIELD", iso_3166_2="US-IL", house_number=None),
    )
    assert address.reject_reason is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "12 HIGH STREET EXAMPLETOWN EX1 2AB UNITED KINGDOM",
            dict(iso_3166_1="GB", postcode="EX1 2AB", locality="EXAMPLETOWN"),
        ),
        (
            "12 Main St Springfield CA 94110 USA",
            dict(iso_3166_1="US", iso_3166_2="US-CA", postcode="94110", locality="SPRINGFIELD"),
        ),
        (
            "Kauppakatu 3 A 4 00100 Helsinki Finland",
            dict(iso_3166_1="FI", postcode="00100", locality="HELSINKI"),
        ),
    ],
)
def test_a_country_written_at_the_end_without_a_comma_is_the_country(normalize, text, expected):
    _assert_fields(normalize(full_address=text), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Fir Lane, Exampletown, UK, EX1 2AB", dict(locality="EXAMPLETOWN", postcode="EX1 2AB")),
        ("Bulevardi 5, Helsinki, Finland, 00120", dict(locality="HELSINKI", postcode="00120")),
        # A state before the country is the state, and the town before it the town.
        (
            "123 Main St, Springfield, IL, USA, 62701",
            dict(locality="SPRINGFIELD", iso_3166_2="US-IL", postcode="62701"),
        ),
        (
            "123 Main St, Springfield, Illinois, United States, 62701",
            dict(locality="SPRINGFIELD", iso_3166_2="US-IL", postcode="62701"),
        ),
        # Another country's name there is a place of the record's country.
        ("12 Fir Lane, Jersey, JE2 3AB", dict(locality="JERSEY", postcode="JE2 3AB")),
    ],
)
def test_a_country_written_before_the_postcode_is_no_town(normalize, text, expected):
    _assert_fields(normalize(full_address=text), expected)


def test_a_place_named_like_a_country_stays_a_place(normalize):
    # Georgia is a state here, not the country: the layout says so.
    address = normalize(full_address="12 Main St, Atlanta, Georgia 30301")
    _assert_fields(address, dict(iso_3166_1="US", iso_3166_2="US-GA", locality="ATLANTA"))


def test_unknown_layout_without_country_is_unknown_country(normalize):
    address = normalize(full_address="Hauptstraße 5, 10115 Berlin")
    assert address.reject_reason == "unknown_country"
    _assert_fields(address, dict(house_number="5", street="HAUPTSTRASSE", postcode="10115"))


def test_structured_fields_win_over_free_text(normalize):
    address = normalize(
        full_address="123 N Main St Apt 4, San Francisco, CA 94103",
        unit="Apt 9",
        locality="Oakland",
        postcode="94607",
    )
    _assert_fields(
        address, dict(house_number="123", unit="APT 9", locality="OAKLAND", postcode="94607")
    )


def test_free_text_ignored_when_structured_street_present(normalize):
    address = normalize(
        house_number="5", street="Oak Ave", country="US", region="CA", full_address="1 Elm St"
    )
    assert (address.house_number, address.street) == ("5", "OAK AVE")


def test_parse_free_text_returns_raw_parts():
    parsed = parse_free_text("123 N Main St Apt 4, San Francisco, CA 94103", None)
    assert parsed == ParsedAddress(
        "123", "N MAIN ST", "APT 4", "SAN FRANCISCO", "CA", "94103", "US"
    )


@pytest.mark.parametrize(
    ("raw", "iso", "has_number", "expected"),
    [
        ("123 Main St Apt 4", "US", False, ("123", "MAIN ST", "APT 4")),
        ("Main St Apt 4", "US", True, (None, "MAIN ST", "APT 4")),
        ("Main St #4", "US", True, (None, "MAIN ST", "# 4")),
        ("123 Main St", "US", True, (None, "123 MAIN ST", None)),
        ("Mannerheimintie 12 A 5", "FI", False, ("12", "MANNERHEIMINTIE", "A 5")),
        ("10 High Street", "GB", False, ("10", "HIGH STREET", None)),
        ("Hauptstrasse 5", "DE", False, ("5", "HAUPTSTRASSE", None)),
        ("5 Rue de Rivoli", "FR", False, ("5", "RUE DE RIVOLI", None)),
        ("4 Linja", "FI", False, (None, "4 LINJA", None)),
        # A bare number after the street type is a unit whose designator was dropped ...
        ("Skyline Dr 1503", "US", True, (None, "SKYLINE DR", "# 1503")),
        ("12 Main St 4B", "US", False, ("12", "MAIN ST", "# 4B")),
        # ... but routes are numbered, and a name alone has no type to follow.
        ("US Highway 101", "US", True, (None, "US HIGHWAY 101", None)),
        ("County Road 12", "US", True, (None, "COUNTY ROAD 12", None)),
        ("Old County Road 12", "US", True, (None, "OLD COUNTY ROAD 12", None)),
        # A plain road is no route: read as the same words in a line of free text are.
        ("Main Rd 4", "US", True, (None, "MAIN RD", "# 4")),
        ("Broadway 5", "US", True, (None, "BROADWAY 5", None)),
        # A unit that needs no identifier, after the street's type or directional ...
        ("Main St Rear", "US", True, (None, "MAIN ST", "REAR")),
        ("Main St N Upper", "US", True, (None, "MAIN ST N", "UPPER")),
        # ... but not a word of the street's name before its type.
        ("Ocean Front Walk", "US", True, (None, "OCEAN FRONT WALK", None)),
    ],
)
def test_split_street(raw, iso, has_number, expected):
    line = split_street(raw, iso, has_number)
    assert (line.house_number, line.street, line.unit) == expected


@pytest.mark.parametrize(
    ("text", "street", "locality"),
    [
        ("403 3RD ST SOUTH SAN FRANCISCO CA 94080", "3RD ST", "SOUTH SAN FRANCISCO"),
        ("12 Main St North Highlands CA 95660", "MAIN ST", "NORTH HIGHLANDS"),
        ("12 MAIN ST N SACRAMENTO CA 95814", "MAIN ST N", "SACRAMENTO"),
        # No town is one letter, or a compass word alone: a directional that ends the
        # text is the street's, spelled out or not.
        ("12 MAIN ST N", "MAIN ST N", None),
        ("12 Main Street North", "MAIN STREET NORTH", None),
        ("12 Main Street Northeast Apt 4", "MAIN STREET NORTHEAST", None),
    ],
)
def test_directional_after_suffix_without_commas(text, street, locality):
    parsed = parse_free_text(text, "US")
    assert (parsed.street, parsed.locality) == (street, locality)


# British addresses as Royal Mail's Postcode Address File orders them: sub-building,
# building name, number, thoroughfare, dependent locality, post town, postcode; any
# part may be missing, commas and postcode often are.
GB_PAF_CASES = [
    (
        "APARTMENT 5 MAPLE COURT 12 FIR LANE EXAMPLETOWN",
        dict(house_number="12", street="FIR LANE", unit="APT 5", locality="EXAMPLETOWN"),
    ),
    (
        "Flat 8, Maple Court, 12 Fir Lane, Exampletown, EX1 2AB",
        dict(
            house_number="12",
            street="FIR LANE",
            unit="FLAT 8",
            locality="EXAMPLETOWN",
            postcode="EX1 2AB",
        ),
    ),
    (
        "FLAT 3 12 FIR LANE EXAMPLETOWN",
        dict(house_number="12", street="FIR LANE", unit="FLAT 3", locality="EXAMPLETOWN"),
    ),
    (
        "12, Fir Lane, Exampletown",
        dict(house_number="12", street="FIR LANE", unit=None, locality="EXAMPLETOWN"),
    ),
    # A dependent locality is never part of the street, with commas or without.
    (
        "4 CHESTNUT AVENUE NORTHSIDE EXAMPLETOWN",
        dict(house_number="4", street="CHESTNUT AVENUE", locality="NORTHSIDE EXAMPLETOWN"),
    ),
    (
        "4 Chestnut Avenue Northside, Exampletown",
        dict(house_number="4", street="CHESTNUT AVENUE", locality="EXAMPLETOWN"),
    ),
    (
        "Rose Cottage, 3 Mill Road, Northside, Exampletown EX4 5CD",
        dict(house_number="3", street="MILL ROAD", locality="EXAMPLETOWN", postcode="EX4 5CD"),
    ),
    (
        "12 Fir Lane, EX1 2AB, Exampletown",
        dict(house_number="12", street="FIR LANE", locality="EXAMPLETOWN", postcode="EX1 2AB"),
    ),
    (
        "5 THE GREEN EXAMPLETOWN",
        dict(house_number="5", street="THE GREEN", locality="EXAMPLETOWN"),
    ),
    # A bare number before the building's name is its flat's.
    (
        "27, HOWELLS COURT, 38 PARKINSON PARK, COLLIERBURY, COLLIERTON",
        dict(house_number="38", street="PARKINSON PARK", unit="# 27", locality="COLLIERTON"),
    ),
    (
        "12 FIR LANE FLAT 3 EXAMPLETOWN",
        dict(house_number="12", street="FIR LANE", unit="FLAT 3", locality="EXAMPLETOWN"),
    ),
    (
        "12 1/2 HIGH STREET EXAMPLETOWN",
        dict(house_number="12 1/2", street="HIGH STREET", locality="EXAMPLETOWN"),
    ),
    (
        "12 ST JOHNS ROAD EXAMPLETOWN",
        dict(house_number="12", street="ST JOHNS ROAD", locality="EXAMPLETOWN"),
    ),
    (
        "12 PARK ROAD EXAMPLETOWN",
        dict(house_number="12", street="PARK ROAD", locality="EXAMPLETOWN"),
    ),
    (
        "12 GLEN PARK WAY EXAMPLETOWN",
        dict(house_number="12", street="GLEN PARK WAY", locality="EXAMPLETOWN"),
    ),
    # A street without a thoroughfare word: between commas it is the whole part,
    # without commas one name word.
    (
        "7 Broadway, Exampletown",
        dict(house_number="7", street="BROADWAY", locality="EXAMPLETOWN"),
    ),
    (
        "7 HIGHFIELDS NORTHSIDE EXAMPLETOWN",
        dict(house_number="7", street="HIGHFIELDS", locality="NORTHSIDE EXAMPLETOWN"),
    ),
    (
        "7 THE STRAND EXAMPLETOWN",
        dict(house_number="7", street="THE STRAND", locality="EXAMPLETOWN"),
    ),
    # A thoroughfare word is never a street alone: first on the line, it begins the name.
    (
        "12 MOUNT PLEASANT EXAMPLETOWN",
        dict(house_number="12", street="MOUNT PLEASANT", locality="EXAMPLETOWN"),
    ),
    (
        "FLAT 2 5 PARK HILL NORTHSIDE EXAMPLETOWN",
        dict(house_number="5", street="PARK HILL", unit="FLAT 2", locality="NORTHSIDE EXAMPLETOWN"),
    ),
    # ... also when no town follows: the line's last word is the name's, not a town.
    ("12 MOUNT PLEASANT", dict(house_number="12", street="MOUNT PLEASANT", locality=None)),
    (
        "FLAT 3 4 HILL TOP",
        dict(house_number="4", street="HILL TOP", unit="FLAT 3", locality=None),
    ),
    (
        "12 Court Lodge, EX1 2AB",
        dict(house_number="12", street="COURT LODGE", locality=None, postcode="EX1 2AB"),
    ),
    # Thoroughfare words that name a whole street alone are the street before a town.
    (
        "7 BROADWAY NORTHSIDE EXAMPLETOWN",
        dict(house_number="7", street="BROADWAY", locality="NORTHSIDE EXAMPLETOWN"),
    ),
    ("7 PARADE EXAMPLETOWN", dict(house_number="7", street="PARADE", locality="EXAMPLETOWN")),
    # A building named instead of numbered is the premise.
    (
        "WILLOW MILL, FIR LANE, EXAMPLETOWN",
        dict(house_number="WILLOW MILL", hn_int=None, street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    (
        "WILLOW MILL FIR LANE EXAMPLETOWN",
        dict(house_number="WILLOW MILL", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    # ... before a street that ends in a compass point after its thoroughfare word.
    (
        "APARTMENT 12, WILLOW HOUSE, FIR STREET WEST, EXAMPLETOWN",
        dict(house_number="WILLOW HOUSE", street="FIR STREET WEST", unit="APT 12"),
    ),
    (
        "10 KESTREL HOUSE, FIR ROAD EAST, EXAMPLETOWN",
        dict(house_number="KESTREL HOUSE", street="FIR ROAD EAST", unit_id="10"),
    ),
    (
        "UNIT 4 WILLOW MILL MILL STREET EXAMPLETOWN",
        dict(house_number="WILLOW MILL", street="MILL STREET", unit="UNIT 4"),
    ),
    # A premise named like a street (an estate, a parade) before the street and town,
    # read as with commas.
    (
        "UNIT 3B RIVERSIDE BUSINESS PARK FIR LANE EXAMPLETOWN",
        dict(
            house_number="RIVERSIDE BUSINESS PARK",
            street="FIR LANE",
            unit="UNIT 3B",
            locality="EXAMPLETOWN",
        ),
    ),
    (
        "UNIT 3B, RIVERSIDE BUSINESS PARK, FIR LANE, EXAMPLETOWN",
        dict(house_number="RIVERSIDE BUSINESS PARK", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    # A house named with the article and one word, before a named street.
    (
        "THE STABLES FIR LANE NORTHSIDE EXAMPLETOWN",
        dict(house_number="THE STABLES", street="FIR LANE", locality="NORTHSIDE EXAMPLETOWN"),
    ),
    (
        "THE LIMES ST JOHNS ROAD EXAMPLETOWN",
        dict(house_number="THE LIMES", street="ST JOHNS ROAD", locality="EXAMPLETOWN"),
    ),
    # A street named with the article is the article and a thoroughfare word.
    (
        "THE MEWS FIR LANE EXAMPLETOWN",
        dict(house_number="THE MEWS", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    ("THE GREEN EXAMPLETOWN", dict(house_number=None, street="THE GREEN")),
    # One street of two thoroughfare words stays one street.
    ("VICTORIA PARK ROAD EXAMPLETOWN", dict(street="VICTORIA PARK ROAD", locality="EXAMPLETOWN")),
    # A sub-building written after its building's name.
    (
        "MAPLE HOUSE FLAT 5 12 FIR LANE EXAMPLETOWN",
        dict(house_number="12", street="FIR LANE", unit="FLAT 5", locality="EXAMPLETOWN"),
    ),
    (
        "MAPLE HOUSE APARTMENT 5 FIR LANE EXAMPLETOWN",
        dict(house_number="MAPLE HOUSE", street="FIR LANE", unit="APT 5"),
    ),
    # A unit word glued to its number.
    (
        "APT1, 15 FITZGERALD PARK, EXAMPLETOWN",
        dict(house_number="15", street="FITZGERALD PARK", unit="APT 1", unit_id="1"),
    ),
    (
        "FLAT3 HOOPER HALL 4 FIR LANE EXAMPLETOWN",
        dict(house_number="4", street="FIR LANE", unit="FLAT 3", locality="EXAMPLETOWN"),
    ),
    # A number before a building's name and its street is the flat's; the building's
    # name is the premise.
    (
        "11 SCHOFIELD HOUSE FIR LANE EXAMPLETOWN",
        dict(house_number="SCHOFIELD HOUSE", street="FIR LANE", unit_id="11"),
    ),
    (
        "6, WALSH MANSIONS, WHITE ROAD, NORTHSIDE, EXAMPLETOWN",
        dict(house_number="WALSH MANSIONS", street="WHITE ROAD", unit_id="6"),
    ),
    # A building's name, then a street without a type, in a street field.
    (
        "10, MCKENZIE MILL, AKHTAR LEYS, WHITE ROAD, EXAMPLETOWN",
        dict(house_number="MCKENZIE MILL", street="AKHTAR LEYS", unit="# 10"),
    ),
    # ... but a street named like a building keeps its number.
    (
        "12 KINGS COURT ROAD EXAMPLETOWN",
        dict(house_number="12", street="KINGS COURT ROAD", unit=None),
    ),
    # A flat named by its floor or its place in the house is a sub-building too.
    (
        "GROUND FLOOR FLAT 12 HIGH STREET EXAMPLETOWN",
        dict(house_number="12", street="HIGH STREET", unit="GROUND FLOOR FLAT"),
    ),
    (
        "First Floor Flat, 12 High Street, Exampletown",
        dict(house_number="12", street="HIGH STREET", unit="FIRST FLOOR FLAT"),
    ),
    ("1ST FLR FLAT 12 HIGH ST", dict(house_number="12", unit="FIRST FLOOR FLAT")),
    (
        "FLAT GROUND FLOOR, 7 CHURCH ROAD, EXAMPLETOWN",
        dict(house_number="7", street="CHURCH ROAD", unit="GROUND FLOOR FLAT"),
    ),
    (
        "BASEMENT FLAT 7 CHURCH ROAD NORTHSIDE EXAMPLETOWN",
        dict(house_number="7", street="CHURCH ROAD", unit="BASEMENT FLAT"),
    ),
    ("GARDEN FLAT, 7 CHURCH ROAD", dict(house_number="7", unit="GARDEN FLAT")),
    ("TOP FLAT 3 CHURCH ROAD", dict(house_number="3", unit="TOP FLOOR FLAT")),
    # A floor alone is a sub-building too: the premises on that floor, which sources
    # write with the word FLAT or without it (never flat 1, the number's flat).
    (
        "FIRST FLOOR, 2 HIGH STREET, EXAMPLETOWN",
        dict(house_number="2", unit="FIRST FLOOR FLAT", unit_id="FLAT-FIRST"),
    ),
    ("Top Floor, 2 High Street", dict(house_number="2", unit="TOP FLOOR FLAT")),
    ("FLAT 2 FIRST FLOOR 12 HIGH STREET", dict(house_number="12", unit="FLAT 2")),
    ("Studio 3, 1 Church Street", dict(house_number="1", street="CHURCH STREET", unit="STUDIO 3")),
    ("MAISONETTE 4 12 FIR LANE", dict(house_number="12", street="FIR LANE", unit="MAISONETTE 4")),
    # A county after the post town is no locality.
    (
        "12 Acacia Avenue, Exampletown, Devon, EX1 2AB",
        dict(street="ACACIA AVENUE", locality="EXAMPLETOWN", postcode="EX1 2AB"),
    ),
    ("12 ACACIA AVENUE EXAMPLETOWN WEST BERKSHIRE", dict(locality="EXAMPLETOWN")),
    (
        "12 Acacia Avenue Exampletown, Devon, EX1 2AB",
        dict(street="ACACIA AVENUE", locality="EXAMPLETOWN", postcode="EX1 2AB"),
    ),
    # A postcode's district alone is no postcode and no town; after a designator it is
    # the unit's identifier.
    ("12 Acacia Avenue, Exampletown, EX1", dict(locality="EXAMPLETOWN", postcode=None)),
    ("12 ACACIA AVENUE EXAMPLETOWN EX1", dict(locality="EXAMPLETOWN", postcode=None)),
    ("12 Acacia Avenue, Flat B1", dict(unit="FLAT B1", locality=None)),
    # A house letter written apart from its number is the number's.
    ("27 A QUEENS ROAD EXAMPLETOWN", dict(house_number="27A", street="QUEENS ROAD")),
    ("12 B ROAD", dict(house_number="12", street="B ROAD")),
    ("12 B ROAD EXAMPLETOWN", dict(house_number="12", street="B ROAD", locality="EXAMPLETOWN")),
    # A thoroughfare word that begins the street's name is no street of one letter.
    ("14 A Park Road, Exampletown", dict(house_number="14A", street="PARK ROAD")),
    # A compass point after the thoroughfare word ends the street's name when it ends
    # the line; followed by more words it may begin a town's ("EAST GRINSTEAD").
    ("12 Station Road East", dict(street="STATION ROAD EAST", street_dir="E")),
    (
        "12 STATION ROAD WEST, EXAMPLETOWN",
        dict(street="STATION ROAD WEST", street_base="STATION ROAD", locality="EXAMPLETOWN"),
    ),
    ("12 HIGH STREET EAST GRINSTEAD", dict(street="HIGH STREET", locality="EAST GRINSTEAD")),
]


# British premises named, not numbered, with or without a street.
GB_NAMED_PREMISE_CASES = [
    # A comma after the premise's name but none between the street and the town, or
    # the other way round: the premise, its street and the town all the same.
    (
        "Flat 12, Maple House, Fir Lane Exampletown EX1 2AB",
        dict(
            house_number="MAPLE HOUSE",
            street="FIR LANE",
            unit="FLAT 12",
            locality="EXAMPLETOWN",
            postcode="EX1 2AB",
        ),
    ),
    (
        "Willow Mill, Fir Lane Northside, Exampletown",
        dict(house_number="WILLOW MILL", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    (
        "Rose Cottage Fir Lane, Exampletown",
        dict(house_number="ROSE COTTAGE", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    (
        "Riverside Business Park Fir Lane, Exampletown",
        dict(house_number="RIVERSIDE BUSINESS PARK", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    # No locality ends in a thoroughfare word: a second named street ends the line.
    (
        "RIVERSIDE BUSINESS PARK FIR LANE",
        dict(house_number="RIVERSIDE BUSINESS PARK", street="FIR LANE", locality=None),
    ),
    ("VICTORIA PARK ROAD, EXAMPLETOWN", dict(street="VICTORIA PARK ROAD", locality="EXAMPLETOWN")),
    (
        "THE OLD RECTORY, CHURCH LANE",
        dict(house_number="THE OLD RECTORY", street="CHURCH LANE", locality=None),
    ),
    (
        "WILLOW MILL NORTHSIDE EXAMPLETOWN",
        dict(house_number="WILLOW MILL", street=None, locality="NORTHSIDE EXAMPLETOWN"),
    ),
    # Between a named building and its town, a place or a street without a type: the
    # line does not say, the region's records do (kept with the locality, as without
    # commas).
    (
        "WILLOW MILL, NORTHSIDE, EXAMPLETOWN",
        dict(house_number="WILLOW MILL", street=None, locality="NORTHSIDE EXAMPLETOWN"),
    ),
    (
        "WILLOW MILL, NORTHSIDE, EXAMPLETOWN, DEVON",
        dict(house_number="WILLOW MILL", street=None, locality="NORTHSIDE EXAMPLETOWN"),
    ),
    ("THE COTTAGE", dict(house_number="THE COTTAGE", street=None)),
    (
        "Apartment 5, Maple Court, Fir Lane",
        dict(house_number="MAPLE COURT", street="FIR LANE", unit="APT 5"),
    ),
    # ... and a court before a place and a town is a building; what follows it is kept
    # together, for the region's records to settle, unless it ends in a word of the
    # land a street is named after ("LEYS", "ACRE"), which ends a street.
    (
        "APARTMENT 2, REES COURT, AKHTAR FOLLY, WHITETON, EXAMPLETOWN",
        dict(house_number="REES COURT", street=None, locality="AKHTAR FOLLY WHITETON EXAMPLETOWN"),
    ),
    (
        "APARTMENT 2, REES COURT, AKHTAR LEYS, WHITETON, EXAMPLETOWN",
        dict(house_number="REES COURT", street="AKHTAR LEYS", locality="EXAMPLETOWN"),
    ),
    (
        "FLAT 5 FRENCH MILL FOWLER ACRE EXAMPLETOWN",
        dict(house_number="FRENCH MILL", street="FOWLER ACRE", locality="EXAMPLETOWN"),
    ),
    # A short word of the land mistyped is a word of its own ("CARE"), not a street's end.
    ("SUNNYSIDE CARE HOME, 4 FIR LANE, EXAMPLETOWN", dict(house_number="4", street="FIR LANE")),
    # A court is a street as well as a building: with no other street it is the street.
    ("ROSE COURT, EXAMPLETOWN", dict(house_number=None, street="ROSE COURT")),
    ("FIR LANE, EXAMPLETOWN", dict(house_number=None, street="FIR LANE")),
]


# A mistyped thoroughfare word still ends the street, and is put right.
GB_MISTYPED_TYPE_CASES = [
    (
        "96 WOODWARD RAOD ANDREWSTON",
        dict(house_number="96", street="WOODWARD ROAD", locality="ANDREWSTON"),
    ),
    ("4 CHESTNUT AVNUE EXAMPLETOWN", dict(street="CHESTNUT AVENUE", locality="EXAMPLETOWN")),
    ("58 RHODES CRESDENT", dict(street="RHODES CRESCENT")),
    # Its last letter lost.
    ("12 CHESTNUT AVENU EXAMPLETOWN", dict(street="CHESTNUT AVENUE", locality="EXAMPLETOWN")),
    ("7 ALBION TERRAC NORTHSIDE", dict(street="ALBION TERRACE", locality="NORTHSIDE")),
    # A name word that a slip of a thoroughfare word would make is left alone.
    ("12 FIELD END", dict(house_number="12", street="FIELD END")),
    ("3 LIBERTY WAY", dict(street="LIBERTY WAY")),
    ("12 FIELD CLOSE", dict(street="FIELD CLOSE")),
]


# A name and its thoroughfare word written without the space between them, after the
# number, are the two words; a name that ends in a word of its own stays whole.
GLUED_TYPE_CASES = [
    ("GB", "12 HIGHSTREET EXAMPLETOWN EX1 2AB", dict(street="HIGH STREET", locality="EXAMPLETOWN")),
    ("GB", "FLAT 2, 12 ChestnutAvenue, Northside", dict(street="CHESTNUT AVENUE", unit="FLAT 2")),
    ("US", "123 MainStreet, Springfield, IL 62701", dict(street="MAIN ST", locality="SPRINGFIELD")),
    ("GB", "4 SOUTHGATE, EXAMPLETOWN", dict(street="SOUTHGATE", locality="EXAMPLETOWN")),
]


# Parts in the order or with the separators some writers use.
WRITERS_ORDER_CASES = [
    # A British number after its street, as on the continent.
    ("GB", "Fir Lane 12, Exampletown", dict(house_number="12", street="FIR LANE")),
    ("GB", "FIR LANE 12 EXAMPLETOWN EX1 2AB", dict(street="FIR LANE", locality="EXAMPLETOWN")),
    # ... but a building's name and its number stay a premise before its street.
    ("GB", "MAPLE COURT 12 FIR LANE EXAMPLETOWN", dict(house_number="12", street="FIR LANE")),
    # A slash between spaces separates parts; between two single digits it is a fraction.
    ("GB", "Flat 3 / 12 Fir Lane / Exampletown", dict(unit="FLAT 3", street="FIR LANE")),
    ("US", "123 1 / 2 Main St, Springfield, IL", dict(house_number="123 1/2", street="MAIN ST")),
    # The region's name after the town is the region, not the locality.
    ("FI", "Kaivokatu 12 A 3, Helsinki, Uusimaa", dict(locality="HELSINKI", iso_3166_2="FI-18")),
]


@pytest.mark.parametrize(("country", "text", "expected"), GLUED_TYPE_CASES + WRITERS_ORDER_CASES)
def test_a_line_as_its_writer_glued_ordered_or_separated_it(normalize, country, text, expected):
    _assert_fields(normalize(full_address=text, country=country), expected)


@pytest.mark.parametrize(("text", "expected"), GB_MISTYPED_TYPE_CASES)
def test_a_mistyped_british_thoroughfare_word_ends_the_street(normalize, text, expected):
    address = normalize(full_address=text, country="GB", region="GB-ENG")
    _assert_fields(address, {**expected, "reject_reason": None})


def test_a_mistyped_thoroughfare_word_in_a_street_field_drops_the_town_after_it(normalize):
    address = normalize(street="96 WOODWARD RAOD ANDREWSTON BA3 3BE", country="GB")
    assert (address.house_number, address.street) == ("96", "WOODWARD ROAD")


# A dwelling's designator mistyped by one slip of the keys is still the designator, where
# a number follows it; a house number written with look-alike letters for digits is the
# number.
MISTYPED_UNIT_AND_NUMBER_CASES = [
    (
        "GB",
        dict(full_address="Falt 8, Maple Court, 12 Fir Lane, Exampletown EX1 2AB"),
        dict(unit="FLAT 8", unit_id="8", house_number="12", street="FIR LANE"),
    ),
    (
        "GB",
        dict(full_address="APARTMNET 5 MAPLE COURT 12 FIR LANE EXAMPLETOWN"),
        dict(unit="APT 5", unit_id="5", house_number="12", locality="EXAMPLETOWN"),
    ),
    ("GB", dict(house_number="12", street="Fir Lane", unit="Appartment 8"), dict(unit_id="8")),
    ("GB", dict(house_number="12", street="Fir Lane", unit="Flt 8"), dict(unit="FLAT 8")),
    ("US", dict(full_address="123 Main St Siute 4, Springfield, IL"), dict(unit="STE 4")),
    (
        "GB",
        dict(full_address="l2 FIR LANE EXAMPLETOWN"),
        dict(house_number="12", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    ("GB", dict(house_number="1O", street="Fir Lane"), dict(house_number="10")),
    (
        "FI",
        dict(full_address="Mannerheimintie l2 B 4, 00100 Helsinki"),
        dict(house_number="12", street="MANNERHEIMINTIE", unit="B 4"),
    ),
    (
        "FI",
        dict(full_address="Kaivokatu 1O B 4, 00100 Helsinki"),
        dict(house_number="10", street="KAIVOKATU", unit="B 4"),
    ),
    # A building word mistyped close to the keyboard is the building word, where the
    # building is named: before its street, or as the premise.
    (
        "GB",
        dict(full_address="ROSE COTAGE FIR LANE EXAMPLETOWN"),
        dict(house_number="ROSE COTTAGE", street="FIR LANE", locality="EXAMPLETOWN"),
    ),
    (
        "GB",
        dict(full_address="Rose Cotage, Fir Lane, Exampletown"),
        dict(house_number="ROSE COTTAGE"),
    ),
    (
        "GB",
        dict(full_address="APARTMENT 5 WILLOW MANSOINS FIR LANE EXAMPLETOWN"),
        dict(house_number="WILLOW MANSIONS", unit="APT 5", street="FIR LANE"),
    ),
    # ... and a street's name before its thoroughfare word is left as written.
    (
        "GB",
        dict(full_address="12 UPPER GOWER STREET EXAMPLETOWN"),
        dict(street="UPPER GOWER STREET"),
    ),
    # A last L is the house's letter; a slip before a word, and a designator's word
    # in a street name, are left as written; a code with letters only is no number.
    ("GB", dict(house_number="12L", street="Fir Lane"), dict(house_number="12L")),
    ("GB", dict(full_address="3 Falt Lane, Exampletown"), dict(street="FALT LANE", unit=None)),
    ("GB", dict(house_number="IO", street="Fir Lane"), dict(house_number="IO")),
]


@pytest.mark.parametrize(("country", "fields", "expected"), MISTYPED_UNIT_AND_NUMBER_CASES)
def test_a_mistyped_designator_or_misread_number_is_read(normalize, country, fields, expected):
    region = {"GB": "GB-ENG", "US": "US-IL", "FI": "FI-18"}[country]
    address = normalize(**fields, country=country, region=region)
    _assert_fields(address, expected)


# A spaced hyphen after a number joins it to a house number or a letter (a range, a
# house's letter); before a word or a postcode it separates parts as a comma does.
SPACED_HYPHEN_CASES = [
    ("GB", "12 Fir Lane - Flat 3 - Exampletown", dict(unit="FLAT 3", locality="EXAMPLETOWN")),
    ("GB", "10 - 12 Fir Lane, Exampletown", dict(house_number="10-12", street="FIR LANE")),
    ("GB", "12 - A Fir Lane, Exampletown", dict(house_number="12A", street="FIR LANE")),
    ("FI", "Kaivokatu 1 - 00100 Helsinki", dict(house_number="1", postcode="00100")),
    ("US", "123 Main St, Springfield, IL 62701 - 0757", dict(postcode="62701")),
]


@pytest.mark.parametrize(("country", "text", "expected"), SPACED_HYPHEN_CASES)
def test_a_spaced_hyphen_joins_only_a_number_or_letter(normalize, country, text, expected):
    region = {"GB": "GB-ENG", "US": "US-IL", "FI": "FI-18"}[country]
    _assert_fields(normalize(full_address=text, country=country, region=region), expected)


# A US street type mistyped where the line has no type word: it ends the street, put right.
US_MISTYPED_TYPE_CASES = [
    (
        dict(full_address="123 MAIN STRET SPRINGFIELD IL 62701"),
        dict(street="MAIN ST", locality="SPRINGFIELD", postcode="62701"),
    ),
    (dict(full_address="123 OAK AVNEUE SPRINGFIELD IL"), dict(street="OAK AVE")),
    (dict(full_address="123 Oak Avneue, Springfield, IL"), dict(street="OAK AVE")),
    (dict(house_number="123", street="Cedar Boulevrad"), dict(street="CEDAR BLVD")),
    (
        dict(full_address="109 kathryn traill east davidsonville ca 94362"),
        dict(street="KATHRYN TRL", locality="EAST DAVIDSONVILLE"),
    ),
    # A line with a type word of its own keeps its words; a first word is a name.
    (dict(full_address="123 Count Basie Way, Springfield, IL"), dict(street="COUNT BASIE WAY")),
    (dict(house_number="123", street="Drvie In Ave"), dict(street="DRVIE IN AVE")),
    (dict(house_number="5", street="Coutr"), dict(street="COUTR")),
]


@pytest.mark.parametrize(("fields", "expected"), US_MISTYPED_TYPE_CASES)
def test_a_mistyped_us_street_type_ends_the_street(normalize, fields, expected):
    address = normalize(**fields, country="US", region="US-IL")
    _assert_fields(address, {**expected, "reject_reason": None})


@pytest.mark.parametrize(("text", "expected"), GB_NAMED_PREMISE_CASES)
def test_british_named_premises(normalize, text, expected):
    address = normalize(full_address=text, country="GB", region="GB-ENG")
    _assert_fields(address, {**expected, "reject_reason": None})


@pytest.mark.parametrize(("text", "expected"), GB_PAF_CASES)
def test_british_addresses_as_written(normalize, text, expected):
    address = normalize(full_address=text, country="GB", region="GB-ENG")
    _assert_fields(address, {**expected, "reject_reason": None})


# Finnish addresses as written: a premise before the street, house letters with or
# without a space, staircases with apartments, postcodes that lost leading zeros.
FI_AS_WRITTEN_CASES = [
    # The older international prefix before the postcode.
    (
        "Kaivokatu 1, FIN-00100 Helsinki",
        dict(house_number="1", street="KAIVOKATU", postcode="00100", locality="HELSINKI"),
    ),
    # The prefix written apart, with and without commas.
    (
        "Kaivokatu 1, FIN 00100 Helsinki",
        dict(
            house_number="1", street="KAIVOKATU", unit=None, postcode="00100", locality="HELSINKI"
        ),
    ),
    (
        "Hämeentie 7 B 22 FI 00530 Helsinki",
        dict(
            house_number="7", street="HÄMEENTIE", unit="B 22", postcode="00530", locality="HELSINKI"
        ),
    ),
    # Each column joined with a comma: the postcode in a part of its own.
    (
        "Mannerheimintie 12 A 5, 00100, Helsinki",
        dict(
            house_number="12",
            street="MANNERHEIMINTIE",
            unit="A 5",
            postcode="00100",
            locality="HELSINKI",
        ),
    ),
    # A number range written with a typographic dash.
    (
        "Kalevankatu 12\u201314 A 6, 00100 Helsinki",
        dict(house_number="12-14", street="KALEVANKATU", unit="A 6"),
    ),
    # A number, staircase and apartment written together.
    (
        "Kauppakatu 12b24, 00100 Helsinki",
        dict(house_number="12", street="KAUPPAKATU", unit="B 24", postcode="00100"),
    ),
    (
        "Kauppakatu 3 A 4 Helsinki Finland",
        dict(house_number="3", unit="A 4", locality="HELSINKI"),
    ),
    (
        "Asemahalli, Kaivokatu 1, 00100 Helsinki",
        dict(house_number="1", street="KAIVOKATU", unit=None, postcode="00100"),
    ),
    (
        "Ravintola Kappeli Eteläesplanadi 1 00130 Helsinki",
        dict(house_number="1", street="ETELÄESPLANADI", postcode="00130"),
    ),
    # A housing company named after its building is a name; the address follows it.
    (
        "As Oy Kaivokatu 1, Kaivokatu 1 B 7, 00100 Helsinki",
        dict(house_number="1", street="KAIVOKATU", unit="B 7", locality="HELSINKI"),
    ),
    (
        "Bostads Ab Runebergsgatan 2, Runebergsgatan 2 A 5, 00100 Helsingfors",
        dict(house_number="2", street="RUNEBERGSGATAN", unit="A 5", locality="HELSINGFORS"),
    ),
    # With no other numbered line, the company's line is the address.
    (
        "As Oy Kaivokatu 1, 00100 Helsinki",
        dict(house_number="1", street="KAIVOKATU", postcode="00100"),
    ),
    (
        "Stora Robertsgatan 3, 00120 Helsingfors",
        dict(house_number="3", street="STORA ROBERTSGATAN", locality="HELSINGFORS"),
    ),
    ("Kaivokatu 15b, 00100 Helsinki", dict(house_number="15B", hn_suffix="B", unit=None)),
    ("Kaivokatu 15 b, 00100 Helsinki", dict(house_number="15B", hn_suffix="B", unit=None)),
    ("Kaivokatu 15 B, 00100 Helsinki", dict(house_number="15B", hn_suffix="B", unit=None)),
    (
        "Mannerheimintie 2 G, 100 Helsinki",
        dict(house_number="2G", unit=None, postcode="00100", locality="HELSINKI"),
    ),
    (
        "Hämeentie 7 B 22 530 Helsinki",
        dict(house_number="7", unit="B 22", postcode="00530", locality="HELSINKI"),
    ),
    # An apartment number after a staircase letter is no postcode.
    (
        "Hämeentie 7 B 220 Helsinki",
        dict(house_number="7", street="HÄMEENTIE", unit="B 220"),
    ),
    ("Mannerheimintie 12 as. 5, 00100 Helsinki", dict(house_number="12", unit="AS 5")),
    # The apartment in Swedish (bostad), Finland's other official language.
    ("Mannerheimvägen 12 bst 5, 00100 Helsingfors", dict(house_number="12", unit="AS 5")),
    # Written short with a dot, it is no street word cut short ("Kaivok.").
    ("Mannerheimvägen 12 bost. 5, 00100 Helsingfors", dict(street="MANNERHEIMVÄGEN", unit="AS 5")),
    ("Tavastvägen 3 B bostad 12", dict(house_number="3B", street="TAVASTVÄGEN", unit="AS 12")),
    # Business premises ("liikehuoneisto") in a residential building are a unit too,
    # not the town.
    (
        "Kalevankatu 3 lh 2, 00100 Helsinki",
        dict(house_number="3", street="KALEVANKATU", unit="LH 2", locality="HELSINKI"),
    ),
    ("Kalevankatu 3 liikehuoneisto 2", dict(house_number="3", unit="LH 2", locality=None)),
    # A house letter written apart, then a staircase and apartment or "as" and a number.
    (
        "Mannerheimintie 15 b A 3, 00100 Helsinki",
        dict(house_number="15B", street="MANNERHEIMINTIE", unit="A 3", locality="HELSINKI"),
    ),
    (
        "Mannerheimintie 15 b A 3 Helsinki",
        dict(house_number="15B", unit="A 3", locality="HELSINKI"),
    ),
    (
        "Mannerheimintie 15 B as 2 00100 HELSINKI",
        dict(house_number="15B", unit="AS 2", postcode="00100", locality="HELSINKI"),
    ),
    ("Fredrikinkatu 2 G B 12", dict(house_number="2G", street="FREDRIKINKATU", unit="B 12")),
    # A staircase and its apartment written together.
    (
        "Kaivokatu 1 B12 Helsinki",
        dict(house_number="1", street="KAIVOKATU", unit_id="B12", locality="HELSINKI"),
    ),
    # Without a letter after it, the letter is the staircase's.
    ("Fredrikinkatu 2 G 12", dict(house_number="2", street="FREDRIKINKATU", unit="G 12")),
    # The number before the street, or in a part of its own.
    ("12 Kaivokatu, 00100 Helsinki", dict(house_number="12", street="KAIVOKATU")),
    (
        "12 Kaivokatu 00100 Helsinki",
        dict(house_number="12", street="KAIVOKATU", postcode="00100", locality="HELSINKI"),
    ),
    ("Kaivokatu, 12, 00100 Helsinki", dict(house_number="12", street="KAIVOKATU")),
    ("23 a Haravakuja, 00260 Helsinki", dict(house_number="23A", street="HARAVAKUJA")),
    (
        "1 Adolf Lindforsin tie, 00260 Helsinki",
        dict(house_number="1", street="ADOLF LINDFORSIN TIE"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), FI_AS_WRITTEN_CASES)
def test_finnish_addresses_as_written(normalize, text, expected):
    address = normalize(full_address=text, country="FI", region="FI-18")
    _assert_fields(address, {**expected, "reject_reason": None})


# A bracketed remark is a part of its own, as if set apart by commas: never glued to the
# street, the number or the town beside it.
BRACKETED_CASES = [
    (
        "GB",
        "12 HIGH STREET (REAR) EXAMPLETOWN",
        dict(house_number="12", street="HIGH STREET", unit="REAR", locality="EXAMPLETOWN"),
    ),
    (
        "GB",
        "The Old Mill (Unit 4), Mill Lane, Exampletown",
        dict(house_number="THE OLD MILL", street="MILL LANE", unit="UNIT 4"),
    ),
    (
        "FI",
        "Kaivokatu 1 (Asemahalli) 00100 Helsinki",
        dict(house_number="1", street="KAIVOKATU", unit=None, locality="HELSINKI"),
    ),
    (
        "FI",
        "Mannerheimvägen 5 (Mannerheimintie 5), Helsingfors",
        dict(house_number="5", street="MANNERHEIMVÄGEN", unit=None, locality="HELSINGFORS"),
    ),
    # A designator that needs no number is the unit, in brackets or a part of its own.
    (
        "US",
        "123 MAIN ST (REAR) SPRINGFIELD CA",
        dict(house_number="123", street="MAIN ST", unit="REAR", locality="SPRINGFIELD"),
    ),
    (
        "US",
        "123 Main St, Upper, Springfield, CA 91107",
        dict(house_number="123", street="MAIN ST", unit="UPPR", locality="SPRINGFIELD"),
    ),
    (
        "US",
        "123 Main St [Bldg 2] Springfield CA",
        dict(house_number="123", street="MAIN ST", unit="BLDG 2", locality="SPRINGFIELD"),
    ),
]


@pytest.mark.parametrize(("country", "text", "expected"), BRACKETED_CASES)
def test_a_bracketed_remark_is_a_part_of_its_own(normalize, country, text, expected):
    address = normalize(full_address=text, country=country)
    _assert_fields(address, expected)


# US lines as written: a unit before the number, a house letter written apart.
US_AS_WRITTEN_CASES = [
    # A unit, then the town with no comma between them.
    (
        "123 Main St, Apt 4 Springfield, IL 62701",
        dict(house_number="123", unit="APT 4", locality="SPRINGFIELD", postcode="62701"),
    ),
    (
        "123 Main St, Suite 200 Oak Park IL 60302",
        dict(street="MAIN ST", unit="STE 200", locality="OAK PARK", postcode="60302"),
    ),
    ("123 Main St, Apt 4 B", dict(unit_id="4B", locality=None)),
    (
        "12 Main St Springfield CA 94110 USA",
        dict(house_number="12", street="MAIN ST", locality="SPRINGFIELD", postcode="94110"),
    ),
    (
        "APT 46 31 S TODD GRN, SPRINGFIELD, CA 91107",
        dict(house_number="31", street="S TODD GRN", unit="APT 46"),
    ),
    ("#8 301 HAMMOND PL, SPRINGFIELD, CA 95951", dict(house_number="301", unit_id="8")),
    (
        "Suite 107 467 Huffman Way North Springfield CA 90869",
        dict(house_number="467", street="HUFFMAN WAY", unit="STE 107"),
    ),
    ("123 B PARSONS MDWS, SPRINGFIELD, CA 91107", dict(house_number="123B", street="PARSONS MDWS")),
    ("510 A N Gibson Aly, Springfield, CA 91107", dict(house_number="510A", street="N GIBSON ALY")),
    # A one-letter street, a directional or a person's initials are no house letter.
    ("12 B ST, SPRINGFIELD, CA 91107", dict(house_number="12", street="B ST")),
    ("12 E MAIN ST, SPRINGFIELD, CA 91107", dict(house_number="12", street="E MAIN ST")),
    ("12 J F KENNEDY BLVD, SPRINGFIELD, CA 91107", dict(house_number="12")),
    ("12 Main St Apt4, Springfield, CA 91107", dict(house_number="12", unit="APT 4")),
    # A numbered route keeps its number: a town is never a bare number.
    (
        "123 County Road 12 Woodland CA 95695",
        dict(house_number="123", street="COUNTY ROAD 12", locality="WOODLAND"),
    ),
    (
        "123 Old County Road 12 Woodland CA 95695",
        dict(house_number="123", street="OLD COUNTY ROAD 12", locality="WOODLAND"),
    ),
    (
        "123 State Route 1 Pacifica CA 94044",
        dict(house_number="123", street="STATE ROUTE 1", locality="PACIFICA"),
    ),
    ("123 Highway 1 Pacifica CA", dict(street="HIGHWAY 1", locality="PACIFICA")),
    ("123 US Hwy 101 S Salinas CA", dict(street="US HWY 101 S", locality="SALINAS")),
    # A plain road's number after it is no route number: a unit without its
    # designator, as after any other street's type.
    (
        "123 Main Rd 4 Springfield CA",
        dict(street="MAIN RD", unit_id="4", locality="SPRINGFIELD"),
    ),
    # A unit that needs no identifier after the street is no part of the town.
    (
        "123 Main St Rear Springfield CA 91107",
        dict(street="MAIN ST", unit="REAR", locality="SPRINGFIELD", postcode="91107"),
    ),
    ("123 Main St Basement, Springfield, CA", dict(street="MAIN ST", unit="BSMT")),
    # So is a floor written by its ordinal.
    ("123 Main St 2nd Floor, Springfield, CA", dict(street="MAIN ST", unit="FL 2")),
    (
        "123 Main St Second Floor Springfield CA 91107",
        dict(street="MAIN ST", unit="FL 2", locality="SPRINGFIELD"),
    ),
    # Also as a part of its own, between the street and the town.
    ("123 Main St, 4, San Francisco, CA", dict(unit_id="4", locality="SAN FRANCISCO")),
    (
        "123 Main St 4B San Francisco CA 94110",
        dict(street="MAIN ST", unit_id="4B", locality="SAN FRANCISCO", postcode="94110"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), US_AS_WRITTEN_CASES)
def test_us_addresses_as_written(normalize, text, expected):
    address = normalize(full_address=text, country="US", region="US-CA")
    _assert_fields(address, {**expected, "reject_reason": None})


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("9 59 FITZGERALD PARK", dict(house_number="59", street="FITZGERALD PARK", unit_id="9")),
        ("19, Henderson Hall, 61 Ford St", dict(house_number="61", unit_id="19")),
        (
            "11 SCHOFIELD HOUSE WOODWARD ROAD",
            dict(house_number="SCHOFIELD HOUSE", street="WOODWARD ROAD", unit_id="11"),
        ),
    ],
)
def test_a_british_street_field_holding_the_premise(normalize, street, expected):
    address = normalize(street=street, country="GB", region="GB-ENG")
    _assert_fields(address, {**expected, "reject_reason": None})


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        # A building's name before its street, whose first word is a thoroughfare word
        # only as a name ("CROSS AVENUE"), is left out of the street.
        ("PRITCHARD MILL, CROSS AVENUE", "CROSS AVENUE"),
        ("PRITCHARD MILL CROSS AVENUE", "CROSS AVENUE"),
        ("WESTON COURT ELLIS PARK", "ELLIS PARK"),
        # A building word inside one street's name stays.
        ("KINGS COURT ROAD", "KINGS COURT ROAD"),
    ],
)
def test_a_british_street_field_with_the_building_name_and_a_house_number(
    normalize, street, expected
):
    address = normalize(house_number="35", street=street, country="GB", region="GB-ENG")
    _assert_fields(address, dict(house_number="35", street=expected, reject_reason=None))


@pytest.mark.parametrize(
    ("text", "country", "region"),
    [
        *[(text, "GB", "GB-ENG") for text, _ in GB_PAF_CASES],
        *[(text, "FI", "FI-18") for text, _ in FI_AS_WRITTEN_CASES],
        *[(text, "US", "US-CA") for text, _ in US_AS_WRITTEN_CASES],
    ],
)
def test_addresses_as_written_are_idempotent(normalize, text, country, region):
    once = normalize(full_address=text, country=country, region=region)
    again = normalize(
        house_number=once.house_number,
        street=once.street,
        unit=once.unit,
        locality=once.locality,
        region=once.iso_3166_2,
        postcode=once.postcode,
        country=once.iso_3166_1,
    )
    assert again == once


# One address as different sources write it: every form reads the same house number,
# street, unit and (where written) locality and postcode.
FORMS_OF_ONE_ADDRESS = [
    # A trailing ISO code of the country is the country, not the town.
    (
        "GB",
        dict(house_number="18", street="BEECH AVENUE", locality="LEEDS", postcode="LS6 3QT"),
        [
            "18 Beech Avenue, Leeds LS6 3QT",
            "18 Beech Avenue, Leeds LS6 3QT, GB",
            "18 Beech Avenue, Leeds, LS6 3QT, GBR",
            "18 Beech Avenue Leeds LS6 3QT GB",
        ],
    ),
    (
        "FI",
        dict(house_number="5", street="KUUSITIE", locality="HELSINKI", postcode="00330"),
        [
            "Kuusitie 5, 00330 Helsinki",
            "Kuusitie 5, 00330 Helsinki, FI",
            "Kuusitie 5, 00330 Helsinki, FIN",
            "Kuusitie 5, 00330 Helsinki, Suomi Finland",
        ],
    ),
    # A county after the post town, by any of its names, is no locality.
    (
        "GB",
        dict(house_number="12", street="KESTREL WAY", locality="LEEDS", postcode="LS13 4AB"),
        [
            "12 Kestrel Way, Leeds, West Yorkshire, LS13 4AB",
            "12 Kestrel Way, Leeds, W. Yorks LS13 4AB",
            "12 Kestrel Way, Leeds, Tyne & Wear, LS13 4AB",
            "12 Kestrel Way, Leeds, Co. Durham, LS13 4AB",
        ],
    ),
    # A flat's number before its building's name, then the street.
    (
        "GB",
        dict(house_number="KESTREL HOUSE", street="ASH GROVE", unit_id="10", locality="WIGAN"),
        [
            "10 Kestrel House, Ash Grove, Wigan WN1 2LD",
            "Flat 10, Kestrel House, Ash Grove, Wigan",
            "10 Kestrel House Ash Grove Wigan",
            {"unit": "Flat 10", "house_number": "Kestrel House", "street": "Ash Grove"},
        ],
    ),
    # A unit field naming the building as well: the building identifies no flat.
    (
        "GB",
        dict(house_number="2", street="BREWERY LANE", unit_id="6"),
        [
            "Flat 6, The Maltings, 2 Brewery Lane, Malton",
            {"house_number": "2", "street": "Brewery Lane", "unit": "Flat 6"},
            {"house_number": "2", "street": "Brewery Lane", "unit": "Flat 6 The Old Mill"},
            {"house_number": "2", "street": "Brewery Lane", "unit": "Flat 6, Riverside House"},
        ],
    ),
    # A place's name in the genitive before a street word is the street's first word.
    (
        "FI",
        dict(house_number="25", street="SÖRNÄISTEN RANTATIE", unit_id="A14"),
        [
            "Sörnäisten rantatie 25 A 14, 00500 Helsinki",
            "Sörnäisten Rantatie 25 A 14",
            {"house_number": "25", "street": "Sörnäisten rantatie", "unit": "A 14"},
            # A staircase and apartment in the house number's field.
            {"house_number": "25 A 14", "street": "Sörnäisten rantatie"},
            {"house_number": "25 A14", "street": "Sörnäisten rantatie"},
        ],
    ),
    # An apartment's word glued to its number; a person's name before the street.
    (
        "FI",
        dict(house_number="22", street="KUUSAMONTIE", unit_id="5"),
        [
            "Kuusamontie 22 as 5, 00330 Helsinki",
            "Kuusamontie 22 as5",
            "Kuusamontie 22 bst5, Helsingfors",
            "C/O Virtanen Kuusamontie 22 as 5, 00330 Helsinki",
            "c/o Virtanen, Kuusamontie 22 as 5",
        ],
    ),
    # Street words written short: the type's ending, the adjective beginning the name.
    (
        "FI",
        dict(house_number="54", street="MANNERKOSKENTIE"),
        ["Mannerkoskentie 54, Helsinki", "Mannerkoskent. 54, Helsinki", "Mannerkoskent.54"],
    ),
    (
        "FI",
        dict(house_number="7", street="POHJOINEN KANAVAKATU"),
        [
            "Pohjoinen Kanavakatu 7",
            "Pohj. Kanavakatu 7, 00160 Helsinki",
            "P. Kanavakatu 7",
            {"street": "Pohj. Kanavakatu", "house_number": "7"},
        ],
    ),
    (
        "FI",
        dict(house_number="3", street="EKBACKSGATAN"),
        ["Ekbacksgatan 3, Helsingfors", "Ekbacksg. 3, Helsingfors", {"street": "Ekbacksg. 3"}],
    ),
    # A premise or venue name in a street field, before or after the street.
    (
        "FI",
        dict(house_number="1", street="KAIVOKATU", unit=None),
        [
            "Asemahalli, Kaivokatu 1, 00100 Helsinki",
            {"street": "Asemahalli, Kaivokatu 1"},
            {"street": "Kaivokatu 1, Asemahalli"},
            {"street": "Asemahalli, Kaivokatu", "house_number": "1"},
        ],
    ),
    # A street line alone, its name holding suffix words: the last type ends it.
    (
        "US",
        dict(house_number="1021", street="S HOLLOW RD"),
        ["1021 S Hollow Rd", "1021 S Hollow Rd, Hershey, PA", {"street": "1021 S Hollow Rd"}],
    ),
    (
        "US",
        dict(house_number="6120", street="W LAKE SAMMAMISH PKWY NE"),
        ["6120 W Lake Sammamish Pkwy NE, Redmond, WA", "6120 W Lake Sammamish Pkwy NE Redmond WA"],
    ),
    (
        "US",
        dict(house_number="2455", street="BLUFF POINT LOOP"),
        ["2455 Bluff Point Loop", "2455 Bluff Point Loop, WA 98221"],
    ),
    # A bare number after the street's type is its unit, with or without a town after it.
    (
        "US",
        dict(house_number="500", street="PINE RIDGE DR", unit_id="4B", locality="MACON"),
        [
            "500 Pine Ridge Dr 4B, Macon, GA 31204",
            "500 Pine Ridge Dr 4B Macon GA 31204",
            "500 Pine Ridge Dr, 4B, Macon, GA",
            {"street": "Pine Ridge Dr 4B", "house_number": "500"},
        ],
    ),
    # A line before the one with the number and street is no street: an addressee, a
    # company, a "c/o" or "Attn" line.
    (
        "US",
        dict(house_number="400", street="ELMHURST ST", unit_id="2", locality="SALINA"),
        [
            "Jane Doe, 400 Elmhurst St Apt 2, Salina, KS 67401",
            "c/o Acme Corp, 400 Elmhurst St Apt 2, Salina, KS",
            "Apt 2, Acme Corp, 400 Elmhurst St, Salina, KS",
        ],
    ),
    # The whole address in the street field: the town and postcode are no street or unit.
    (
        "US",
        dict(house_number="400", street="ELMHURST ST", unit_id="2", locality="SALINA"),
        [
            "400 Elmhurst St Apt 2, Salina, KS 67401",
            {"street": "400 Elmhurst St Apt 2, Salina, KS 67401"},
            {"street": "400 Elmhurst St Apt 2, Salina, KS 67401", "locality": "Salina"},
            # ... without commas: a street never ends in a state and ZIP.
            {"street": "400 Elmhurst St Apt 2 Salina KS 67401"},
        ],
    ),
    (
        "FI",
        dict(house_number="5", street="KUUSAMONTIE", unit_id="A3", postcode="00330"),
        [
            "Kuusamontie 5 A 3, 00330 Helsinki",
            "Kuusamontie 5, A 3, 00330 Helsinki",
            {"street": "Kuusamontie 5 A 3, 00330 Helsinki"},
            {"street": "Kuusamontie 5, A 3"},
            # ... without commas: an apartment's number has fewer than five digits.
            {"street": "Kuusamontie 5 A 3 00330 Helsinki"},
        ],
    ),
    (
        "GB",
        dict(house_number="51", street="KINGSWAY", locality="DERBY", postcode="DE22 3GH"),
        ["51 Kingsway, Derby, DE22 3GH", {"street": "51 Kingsway, Derby, DE22 3GH"}],
    ),
    # The street a dependent thoroughfare leads off is no town.
    (
        "GB",
        dict(house_number="131", street="CROSS AVENUE", locality=None),
        [{"street": "131 Cross Avenue, Jennings Street", "postcode": "BA5 8PZ"}],
    ),
    # A part of the building that needs no identifier, before or after the number.
    (
        "US",
        dict(house_number="31", street="MARKET ST", unit="REAR", locality="LEEK"),
        [
            "Rear 31 Market St, Leek, PA",
            "Rear, 31 Market St, Leek, PA",
            "31 Market St Rear, Leek, PA",
        ],
    ),
    (
        "GB",
        dict(house_number="8", street="ABERNETHY SQUARE", unit_id="BSMT"),
        [
            "Basement, 8 Abernethy Square, Leek",
            "Basement 8 Abernethy Square",
            "8 Abernethy Square, Basement",
        ],
    ),
    (
        "GB",
        dict(house_number="4", street="MILLBROOK LANE", unit_id="ANNEXE"),
        [
            "Annexe, 4 Millbrook Lane, Tiverton EX16 5QZ",
            "Annexe 4 Millbrook Lane Tiverton",
            "4 Millbrook Lane (Annexe), Tiverton",
            "Annex, 4 Millbrook Lane",
            {"house_number": "4", "street": "Millbrook Lane", "unit": "Annexe"},
        ],
    ),
    # An O' that lost its apostrophe begins the name; it is no house letter.
    (
        "US",
        dict(house_number="219", street_base="ODONNELL"),
        ["219 O'Donnell St, Boston, MA", "219 O Donnell St, Boston, MA", "219 ODonnell St"],
    ),
    (
        "GB",
        dict(house_number="7", street_base="OBRIEN CLOSE"),
        ["7 O'Brien Close, Leeds", "7 O Brien Close, Leeds", "7 O BRIEN CLOSE LEEDS"],
    ),
    # An ordinal past twenty spelled out is its number.
    (
        "US",
        dict(house_number="3300", street="21ST ST", street_base="21ST"),
        ["3300 21st St, Seattle, WA", "3300 Twenty-First St, Seattle, WA", "3300 Twenty First St"],
    ),
    # A numbered route's kind however it is written; the kinds stay apart (below).
    (
        "US",
        dict(house_number="850", street_base="COUNTY ROAD 12", locality="MARSHALL"),
        [
            "850 County Road 12, Marshall, MN 56258",
            "850 CR 12 Marshall MN 56258",
            "850 Co Rd 12, Marshall, MN",
            {"house_number": "850", "street": "CR-12"},
        ],
    ),
    (
        "US",
        dict(house_number="12345", street_base="STATE ROUTE 9"),
        ["12345 State Route 9", "12345 SR 9, Marshall, MN", "12345 St Rt 9", "12345 SR-9"],
    ),
    (
        "US",
        dict(house_number="2201", street_base="US HIGHWAY 2", locality="HAVRE"),
        ["2201 US Highway 2, Havre, MT", "2201 US Hwy 2 Havre MT", "2201 US 2 Havre MT"],
    ),
    # Without commas, a town whose first word is a suffix word begins after the type.
    (
        "US",
        dict(house_number="16A", street="ORCHARD LN", locality="CAMP HILL"),
        ["16A Orchard Ln Camp Hill PA 17011", "16A Orchard Ln, Camp Hill, PA 17011"],
    ),
    (
        "US",
        dict(house_number="5", street="ELM ST", unit_id="12C", locality="MOUNT VERNON"),
        ["5 Elm St Apt 12C Mount Vernon WA 98273", "5 Elm St, Apt 12C, Mount Vernon, WA"],
    ),
    (
        "US",
        dict(house_number="8", street="GLEN PARK WAY", locality="LAKE FOREST PARK"),
        ["8 Glen Park Way Lake Forest Park WA 98155", "8 Glen Park Way, Lake Forest Park, WA"],
    ),
    # The number sign written as a word: nothing before the number, a unit after the street.
    (
        "US",
        dict(house_number="41", street="CEDAR AVE", unit_id="7", locality="FRESNO"),
        [
            "41 Cedar Ave #7, Fresno, CA",
            "41 Cedar Ave No. 7, Fresno, CA",
            "No. 41 Cedar Ave, Apt 7, Fresno, CA",
            {"house_number": "No 41", "street": "Cedar Ave", "unit": "No. 7"},
        ],
    ),
    # A mobile home's space and a private mailbox are units however they are written.
    (
        "US",
        dict(house_number="1200", street="OAK AVE", unit="SPC 12", unit_id="12"),
        [
            "1200 Oak Ave Spc 12, Fresno CA",
            "1200 Oak Ave Sp 12, Fresno CA",
            "1200 Oak Ave Space 12",
        ],
    ),
    (
        "US",
        dict(house_number="900", street="PINE ST", unit="PMB 311", unit_id="311"),
        ["900 Pine St PMB 311, Salem OR 97301", "900 Pine St, PMB 311, Salem, OR"],
    ),
    # A flat's letter written apart from its number, before the street or after it.
    (
        "GB",
        dict(house_number="12", street="HIGH STREET", unit_id="2B"),
        [
            "Flat 2B, 12 High Street, Leeds",
            "Flat 2 B, 12 High Street, Leeds",
            "FLAT 2 B 12 HIGH STREET LEEDS",
            {"house_number": "12", "street": "High Street", "unit": "Flat 2 b"},
        ],
    ),
    (
        "US",
        dict(house_number="31", street="MAIN ST", unit_id="4B"),
        [
            "31 Main St Apt 4B, Salem OR",
            "Apt 4 B, 31 Main St, Salem OR",
            "APT 4 B 31 MAIN ST SALEM OR",
        ],
    ),
    # Scottish tenement flats: the floor and flat before the number (Glasgow), or the
    # flat after the building's number (Edinburgh); the flat's slash is no word break.
    (
        "GB",
        dict(house_number="14", street="CROWN STREET", unit_id="2/1", locality="GLASGOW"),
        [
            "Flat 2/1, 14 Crown Street, Glasgow G5 9XX",
            "2/1, 14 Crown Street, Glasgow",
            "2/1 14 CROWN STREET GLASGOW",
            "14 Crown Street, Flat 2/1, Glasgow",
            {"house_number": "14", "street": "Crown Street", "unit": "2/1"},
            {"street": "Flat 2/1 14 Crown Street"},
        ],
    ),
    (
        "GB",
        dict(house_number="7", street="MARCHMONT ROAD", unit_id="3", locality="EDINBURGH"),
        [
            "7/3 Marchmont Road, Edinburgh EH9 1HX",
            "Flat 3, 7 Marchmont Road, Edinburgh",
            {"house_number": "7/3", "street": "Marchmont Road"},
            {"house_number": "7 / 3", "street": "Marchmont Road"},
            {"street": "7/3 Marchmont Road"},
        ],
    ),
    # An Edinburgh number of two digits before its flat.
    (
        "GB",
        dict(house_number="12", street="HIGH STREET", unit_id="3"),
        [{"house_number": "12/3", "street": "High Street"}, "12/3 High Street, Edinburgh"],
    ),
    # An Edinburgh flat named by its floor and its place on the landing.
    (
        "GB",
        dict(house_number="10", street="MAIN STREET", unit_id="2F1", locality="EDINBURGH"),
        [
            "2F1, 10 Main Street, Edinburgh",
            "2F1 10 MAIN STREET EDINBURGH",
            "10 Main Street, 2F1, Edinburgh",
            "Flat 2F1, 10 Main Street, Edinburgh",
            {"house_number": "10", "street": "Main Street", "unit": "2F1"},
        ],
    ),
    # A Glasgow flat on the first floor reads like a half, but a half has no number after it.
    (
        "GB",
        dict(house_number="14", street="CROWN STREET", unit_id="1/2"),
        [
            "1/2, 14 Crown Street, Glasgow",
            "Flat 1/2 14 Crown Street",
            {"street": "1/2 14 Crown St"},
        ],
    ),
    (
        "GB",
        dict(house_number="14 1/2", street="CROWN STREET", unit_id=None),
        ["14½ Crown Street", {"house_number": "14 1/2", "street": "Crown Street"}],
    ),
    # A unit before the number in the number's or the street's field.
    (
        "GB",
        dict(house_number="12", street="FIR LANE", unit_id="3"),
        [{"house_number": "Flat 3 12", "street": "Fir Lane"}, "Flat 3, 12 Fir Lane"],
    ),
    (
        "US",
        dict(house_number="123", street="MAIN ST", unit_id="4"),
        [
            {"street": "Apt 4, 123 Main St"},
            {"street": "Apt 4 123 Main St"},
            {"house_number": "Apt 4 123", "street": "Main St"},
        ],
    ),
    # A flat and its building in the number's field, read as in free text.
    (
        "GB",
        dict(house_number="MAPLE COURT", street="FIR LANE", unit_id="3"),
        [
            "Flat 3, Maple Court, Fir Lane, Exampletown",
            {"house_number": "Flat 3 Maple Court", "street": "Fir Lane"},
            {"house_number": "Maple Court", "street": "Fir Lane", "unit": "Flat 3"},
        ],
    ),
    (
        "GB",
        dict(house_number="KESTREL HOUSE", street="ASH GROVE", unit_id="10"),
        [
            "10 Kestrel House, Ash Grove, Exampletown",
            {"house_number": "10 Kestrel House", "street": "Ash Grove"},
        ],
    ),
    # A "#" between a unit's designator and its identifier only announces the identifier.
    (
        "US",
        dict(house_number="123", street="MAIN ST", unit_id="4", locality="SPRINGFIELD"),
        [
            "123 Main St Apt 4, Springfield, IL",
            "123 Main St Apt #4 Springfield IL",
            "123 Main St Apt # 4, Springfield IL",
            "Apt #4, 123 Main St, Springfield IL",
            "Apt # 4 123 Main St Springfield IL",
            {"street": "123 Main St Apt #4", "locality": "Springfield"},
        ],
    ),
    # A building of a complex and the apartment in it: one unit, before the town.
    (
        "US",
        dict(house_number="123", street="MAIN ST", unit_id="2-4", locality="SPRINGFIELD"),
        [
            "123 Main St Bldg 2 Apt 4 Springfield IL",
            "123 Main St, Bldg 2, Apt 4, Springfield, IL",
            "123 Main St Bldg 2 Apt #4, Springfield IL",
        ],
    ),
    # A Finnish staircase written after the number, its apartment in a field of its own.
    (
        "FI",
        dict(house_number="5", street="FLEMINGINKATU", unit="A 2", unit_id="A2"),
        [
            "Fleminginkatu 5 A 2, 00530 Helsinki",
            {"street": "Fleminginkatu 5 A", "unit": "2"},
            {"street": "Fleminginkatu", "house_number": "5 A", "unit": "2"},
        ],
    ),
    # A house's own letter is written small or joined: it stays the house's.
    (
        "FI",
        dict(house_number="5B", street="FLEMINGINKATU", unit_id="2"),
        [
            {"street": "Fleminginkatu", "house_number": "5 b", "unit": "2"},
            {"street": "Fleminginkatu", "house_number": "5B", "unit": "2"},
        ],
    ),
    # A staircase named with its word, before or after its letter, or in a field of its own
    # without an apartment: the letter alone, as "5 C" writes it.
    (
        "FI",
        dict(house_number="5C", street="FLEMINGINKATU", unit=None),
        [
            "Fleminginkatu 5 C, 00530 Helsinki",
            "Fleminginkatu 5 C-rappu, 00530 Helsinki",
            "Fleminginkatu 5 rappu C, Helsinki",
            "Fleminginkatu 5 C porras Helsinki",
            {"street": "Fleminginkatu", "house_number": "5", "unit": "C"},
            {"street": "Fleminginkatu", "house_number": "5", "unit": "C-rappu"},
            {"street": "Fleminginkatu 5", "unit": "porras C"},
        ],
    ),
    (
        "FI",
        dict(house_number="5", street="FLEMINGINKATU", unit="C 12", unit_id="C12"),
        [
            "Fleminginkatu 5 C 12, Helsinki",
            "Fleminginkatu 5 porras C 12, Helsinki",
            {"street": "Fleminginkatu", "house_number": "5", "unit": "C-rappu 12"},
            # The apartment named with its own word after the staircase's, commas or none.
            "Fleminginkatu 5, rappu C, asunto 12, Helsinki",
            "Fleminginkatu 5 C-rappu as. 12",
            "Fleminginkatu 5 trappa C bst 12, Helsingfors",
            {"street": "Fleminginkatu", "house_number": "5", "unit": "porras C, as 12"},
        ],
    ),
    # A town followed by its old postal district's number: the town, whichever column.
    (
        "FI",
        dict(house_number="5", street="BULEVARDI", locality="HELSINKI", postcode="00120"),
        [
            "Bulevardi 5, 00120 Helsinki",
            "Bulevardi 5, 00120 Helsinki 12",
            {"street": "Bulevardi 5", "locality": "Helsinki 12", "postcode": "00120"},
            {"street": "Bulevardi 5", "postcode": "00120 Helsinki 12"},
            {"street": "Bulevardi 5", "locality": "00120 HELSINKI 12"},
        ],
    ),
    # A building's name in the number column beside its number and street in the
    # street's: the premise, as the same address written in one line.
    (
        "GB",
        dict(house_number="12", street="FIR LANE", unit="FLAT 8", building_name="MAPLE COURT"),
        [
            "Flat 8, Maple Court, 12 Fir Lane, Exampletown",
            "FLAT 8 MAPLE COURT 12 FIR LANE EXAMPLETOWN",
            {"house_number": "Maple Court", "unit": "Flat 8", "street": "12 Fir Lane"},
            {"unit": "Flat 8 Maple Court", "house_number": "12", "street": "Fir Lane"},
        ],
    ),
    (
        "GB",
        dict(house_number="12", street="FIR LANE", unit=None, building_name="ROSE COTTAGE"),
        [
            "Rose Cottage, 12 Fir Lane, Exampletown",
            {"house_number": "Rose Cottage", "street": "12 Fir Lane"},
        ],
    ),
    # A dependent thoroughfare carries the number; the thoroughfare it leads off is
    # neither the street nor part of the town, with commas or without.
    (
        "GB",
        dict(house_number="3", street="THE MEWS", locality="EXAMPLETOWN", postcode="EX1 2AB"),
        [
            "3 THE MEWS STATION ROAD EXAMPLETOWN EX1 2AB",
            "3 The Mews, Station Road, Exampletown, EX1 2AB",
            "3 THE MEWS STATION ROAD EXAMPLETOWN",
            {"house_number": "3", "street": "The Mews", "locality": "Exampletown"},
        ],
    ),
    (
        "GB",
        dict(house_number="4", street="ASH CLOSE", locality=None),
        ["4 Ash Close High Street", "4 ASH CLOSE"],
    ),
    # A street whose name begins with a staircase's word keeps it.
    (
        "FI",
        dict(house_number="2", street="PORRASTIE", unit="A 4", unit_id="A4"),
        ["Porrastie 2 A 4, Helsinki", {"street": "Porrastie", "house_number": "2 A 4"}],
    ),
    # A company or addressee on the number's own line, without a comma.
    (
        "US",
        dict(house_number="400", street="ELMHURST ST", locality="SALINA", postcode="67401"),
        [
            "400 Elmhurst St, Salina, KS 67401",
            "Harlan Supply Co 400 Elmhurst St Salina KS 67401",
            "Jane Doe 400 Elmhurst St, Salina, KS 67401",
        ],
    ),
    # A post office box as USPS prints it, with or without a comma before the town.
    (
        "US",
        dict(house_number=None, street="PO BOX 123", locality="SALINA"),
        ["PO Box 123, Salina, KS", "P.O. Box 123 Salina KS", "POB 123, Salina KS 67401"],
    ),
    # A lone street line whose type is also a state's code ends in its type.
    (
        "US",
        dict(house_number="12", street="ELM CT"),
        ["12 Elm Ct", "12 Elm Ct, Hartford, CT", {"street": "12 Elm Ct"}],
    ),
    # A number alone before the town: a line joined from columns, its street empty.
    (
        "US",
        dict(house_number="123", street=None, locality="SPRINGFIELD", postcode="62701"),
        ["123, Springfield, IL 62701", {"house_number": "123", "locality": "Springfield"}],
    ),
    # A unit after the town's line, and a state, country and ZIP in parts of their own.
    (
        "US",
        dict(
            house_number="123",
            street="MAIN ST",
            unit="APT 4",
            locality="SPRINGFIELD",
            iso_3166_2="US-IL",
            postcode="62701",
        ),
        [
            "123 Main St Apt 4, Springfield, IL 62701",
            "123 Main St, Springfield, IL 62701, Apt 4",
            "123 Main St, Springfield, IL 62701, Apt 4, USA",
            "123 Main St, Springfield, IL, USA, 62701, Apt 4",
        ],
    ),
    (
        "GB",
        dict(house_number="12", street="FIR LANE", unit="FLAT 3", postcode="EX1 2AB"),
        ["Flat 3, 12 Fir Lane, Exampletown, EX1 2AB", "12 Fir Lane, Exampletown, EX1 2AB, Flat 3"],
    ),
]


def _written_in(form, value):
    squeezed = value.replace(" ", "").casefold()
    written = form if isinstance(form, str) else " ".join(form.values())
    return squeezed in written.replace(" ", "").casefold()


@pytest.mark.parametrize(
    ("country", "expected", "form"),
    [
        (country, expected, form)
        for country, expected, forms in FORMS_OF_ONE_ADDRESS
        for form in forms
    ],
)
def test_every_form_of_one_address_reads_the_same(normalize, country, expected, form):
    fields = {"full_address": form} if isinstance(form, str) else form
    address = normalize(country=country, **fields)
    # The town and postcode are read where the form writes them.
    _assert_fields(
        address,
        {
            name: value
            for name, value in expected.items()
            if name not in ("locality", "postcode") or value is None or _written_in(form, value)
        },
    )


def test_numbered_routes_of_different_kinds_are_different_streets(normalize):
    kinds = ["US Highway 2", "State Route 2", "County Road 2", "Interstate 2", "Highway 2"]
    bases = {normalize(street=kind, country="US").street_base for kind in kinds}
    assert len(bases) == len(kinds)


@pytest.mark.parametrize(
    ("written", "without_diacritics"),
    [
        ("Itäväylä 5", "Itavayla 5"),
        ("Kalliomäki 2", "Kalliomaki 2"),
        ("Granholmsvägen 14", "Granholmsvagen 14"),
    ],
)
def test_a_finnish_street_with_its_diacritics_lost_blocks_with_the_street(
    normalize, written, without_diacritics
):
    # The phonetic key (which blocking reads) finds the type either way.
    keys = [
        normalize(full_address=f"{text}, 00930 Helsinki", country="FI").street_phonetic
        for text in (written, without_diacritics)
    ]
    assert keys[0] == keys[1]
    assert keys[0].endswith(("VÄYLÄ", "MÄKI", "TIE"))


@pytest.mark.parametrize(
    ("country", "text", "street"),
    [
        ("US", "Main St", "MAIN ST"),
        ("FI", "Mannerheimintie", "MANNERHEIMINTIE"),
        ("FI", "Kaivokatu, 00100", "KAIVOKATU"),
        ("FI", "Adolf Lindforsin tie", "ADOLF LINDFORSIN TIE"),
        # A place's name is no street, though some towns end as streets do.
        ("US", "Lake Park", None),
        ("FI", "Riihimäki", None),
        ("FI", "Helsinki, 00100", None),
    ],
)
def test_a_lone_line_is_a_street_when_it_ends_in_a_street_type(normalize, country, text, street):
    address = normalize(full_address=text, country=country)
    assert address.street == street
    assert address.house_number is None
    assert (address.reject_reason == "unparseable_address") == (street is None)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("12 to 14 High Street, Exampletown", None),
        ("12-14 HIGH STREET EXAMPLETOWN", None),
        ("Flat 2, 12 to 14 High Street, Exampletown", "FLAT 2"),
    ],
)
def test_a_range_of_numbers_written_with_a_word_is_the_range(normalize, text, unit):
    address = normalize(full_address=text, country="GB")
    assert (address.house_number, address.street, address.unit) == ("12-14", "HIGH STREET", unit)
    assert address.locality == "EXAMPLETOWN"


@pytest.mark.parametrize(
    ("text", "street", "unit", "base"),
    [
        ("12345 SR-9 Springfield IL", "SR-9", None, "STATE ROUTE 9"),
        ("12345 I-95 Springfield IL", "I-95", None, "INTERSTATE 95"),
        ("12345 CR-12 Apt 4 Springfield IL", "CR-12", "APT 4", "COUNTY ROAD 12"),
    ],
)
def test_a_route_written_as_one_word_ends_the_street(normalize, text, street, unit, base):
    address = normalize(full_address=text, country="US")
    assert (address.street, address.unit, address.locality) == (street, unit, "SPRINGFIELD")
    # The same road as its kind spelled out.
    assert address.street_base == base


@pytest.mark.parametrize(
    ("country", "form", "box", "locality"),
    [
        ("GB", "PO Box 123, Exampletown EX1 1AA", "PO BOX 123", "EXAMPLETOWN"),
        ("GB", "P.O. Box 123 Exampletown", "PO BOX 123", "EXAMPLETOWN"),
        ("GB", {"street": "PO Box 123", "locality": "Exampletown"}, "PO BOX 123", "EXAMPLETOWN"),
        ("FI", "PL 123, 00101 Helsinki", "PL 123", "HELSINKI"),
        ("FI", "Postilokero 123, 00101 Helsinki", "PL 123", "HELSINKI"),
        ("FI", "PB 123, 00101 Helsingfors", "PL 123", "HELSINGFORS"),
        ("FI", {"street": "PL 123", "locality": "Helsinki"}, "PL 123", "HELSINKI"),
        ("US", "PO Box 123, Springfield IL 62701", "PO BOX 123", "SPRINGFIELD"),
    ],
)
def test_a_post_office_box_is_no_house_number(normalize, country, form, box, locality):
    # The box's number is no house's: the box is the record's street, in every country.
    fields = {"full_address": form} if isinstance(form, str) else form
    address = normalize(country=country, **fields)
    assert (address.house_number, address.street, address.locality) == (None, box, locality)


def test_a_box_after_the_street_leaves_the_street(normalize):
    address = normalize(full_address="Kaivokatu 1, PL 123, 00101 Helsinki", country="FI")
    assert (address.house_number, address.street) == ("1", "KAIVOKATU")


@pytest.mark.parametrize(
    ("finnish", "swedish"),
    [
        ("Bulevardi 33 A 2, 00120 Helsinki", "Bulevarden 33 A 2, 00120 Helsingfors"),
        ("Mannerheimintie 5, 00100 Helsinki", "Mannerheimvägen 5, 00100 Helsingfors"),
        ("Eteläesplanadi 2, 00130 Helsinki", "Södra esplanaden 2, 00130 Helsingfors"),
    ],
)
def test_a_street_in_both_languages_has_one_key(normalize, finnish, swedish):
    # A street named by its type alone too: its type is its name in either language.
    keys = {
        normalize(full_address=text, country="FI").street_phonetic for text in (finnish, swedish)
    }
    assert len(keys) == 1
    assert " " in keys.pop()


@pytest.mark.parametrize("written", ["#APT 4", "# APT 4", "APT #4", "APT 4"])
def test_a_number_sign_before_a_designator_announces_nothing(normalize, written):
    address = normalize(full_address=f"123 MAIN ST {written} SPRINGFIELD IL", country="US")
    assert (address.street, address.unit, address.locality) == ("MAIN ST", "APT 4", "SPRINGFIELD")
