"""normalize_address: one address record (structured fields and/or free text) in, canonical parts
and a reject reason out. Deterministic and idempotent; no Spark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geodata.address.freetext import (
    ParsedAddress,
    StreetLine,
    british_building_before_street,
    british_building_beside_number,
    drop_finnish_staircase_words,
    ends_in_street_type,
    expand_finnish_abbreviations,
    finnish_number_field_apart,
    has_parts,
    parse_free_text,
    split_british_number_field,
    split_british_unit_field,
    split_house_number_field,
    split_street,
    split_town_field,
    unit_field_alone,
)
from geodata.address.house_number import HouseNumber, is_vulgar_fraction, normalize_house_number
from geodata.address.postcode import is_gb_postcode, is_us_zip, normalize_postcode
from geodata.address.region import country_of_region, resolve_country, resolve_region
from geodata.address.slips import KEYBOARD_ROWS
from geodata.address.street import normalize_street
from geodata.address.tables import GB_THOROUGHFARE_TYPES, STREET_SUFFIXES, UNIT_DESIGNATORS
from geodata.address.text import clean_words, fold, free_text_tokens, numbers_apart
from geodata.address.unit import Unit, is_floor_alone, leading_unit_length, normalize_unit

REJECT_REASONS: tuple[str, ...] = (
    "unparseable_address",
    "unknown_country",
    "unknown_region",
)
"""Reject reason codes, in the order they are checked (the first that applies is reported).

Only what cannot be an address is rejected: a record with a house number or a
building's name, a street or a usable point is an address with the parts it has."""


@dataclass(frozen=True, slots=True)
class NormalizedAddress:
    """Canonical parts of one address; every field is None when absent or unusable.

    Attributes:
        house_number: Display form: "12", "12A", "12 1/2", "10-12".
        hn_int: Leading integer of the house number (10 for "10-12").
        hn_suffix: The rest after the leading integer ("A", "1/2", "-12").
        street: Display form; USPS style for the US ("N MAIN ST"), folded text elsewhere.
        street_base: Street without type and directionals ("MAIN").
        street_type: USPS suffix abbreviation ("ST"); US only.
        street_dir: Directionals, pre and post joined with "|" ("N", "N|SW"); US only.
        street_phonetic: Metaphone key of street_base without spaces.
        unit: Display form with Pub 28 designator ("APT 4B", "# 4", "FLAT 2", "A 5").
        unit_id: Identifier compared between records ("4B", "4", "2", "A5").
        locality: Folded locality name ("SAN FRANCISCO").
        postcode: "94103" (US), "00100" (FI), "SW1A 1AA" (GB), folded text elsewhere.
        iso_3166_1: Alpha-2 country code.
        iso_3166_2: Region code ("US-CA", "FI-18").
        reject_reason: None if the record is usable, else one of REJECT_REASONS.
        building_name: The building's name a British record writes beside its building
            number ("MAPLE COURT" of "FLAT 5 MAPLE COURT 12 FIR LANE"), which the
            address leaves out; None for any other record. It is what the record says
            about a name, not part of its address: it is not compared, and a record
            fed back in has none.
    """

    house_number: str | None
    hn_int: int | None
    hn_suffix: str | None
    street: str | None
    street_base: str | None
    street_type: str | None
    street_dir: str | None
    street_phonetic: str | None
    unit: str | None
    unit_id: str | None
    locality: str | None
    postcode: str | None
    iso_3166_1: str | None
    iso_3166_2: str | None
    reject_reason: str | None
    building_name: str | None = field(default=None, compare=False)


def normalize_address(
    *,
    house_number: str | None,
    street: str | None,
    unit: str | None,
    locality: str | None,
    region: str | None,
    postcode: str | None,
    country: str | None,
    full_address: str | None,
    has_point: bool = False,
) -> NormalizedAddress:
    """Normalize one address record.

    Structured fields win; free text fills the gaps and is only parsed when the record has
    neither a house number nor a street. A street field may carry the house number (when
    house_number is empty) and a unit (used when unit is empty). Empty strings count as None.

    Feeding the output back in (house_number, street, unit, locality, region=iso_3166_2,
    postcode, country=iso_3166_1, full_address=None, the same has_point) returns the same
    result.

    Args:
        house_number: House number as given ("12 a", "10 - 12").
        street: Street name as given ("North Main Street").
        unit: Secondary unit as given ("Apt 4", "#4", "A 5").
        locality: City or town.
        region: State/region as ISO 3166-2 code, local code or name ("US-CA", "CA", "Uusimaa").
        postcode: Postcode as given ("94103-1234").
        country: Country as code or name ("US", "United States", "UK", "Finland").
        full_address: One-line free-text address.
        has_point: The record has a usable point (one the ingest kept).

    Returns:
        The normalized address. reject_reason is the first of REJECT_REASONS that applies:
        neither a house number (or building name) nor a street nor a point, country
        unrecognised, region missing or not in the country. A record missing its street or
        its number is an address all the same. Rejected records keep every part that parsed.
    """
    house_number, street = _whole(_given(house_number)), _given_text(street)
    unit = _whole(_given(unit))
    if unit == "0":
        # A unit column's filler for "none" (a numeric column's gaps filled with 0): no
        # flat is numbered 0.
        unit = None
    given_street = street
    written_number = house_number or street
    locality, region, postcode = _given(locality), _given(region), _whole(_given(postcode))
    country, full_address = _given(country), _given_text(full_address)
    iso_3166_1 = resolve_country(country) if country else None
    if iso_3166_1 is None and region:
        iso_3166_1 = country_of_region(region)
    if iso_3166_1 is None and postcode and is_gb_postcode(fold(postcode)):
        # A postcode of the Royal Mail's shape (letters, digits, then digit and two
        # letters) is written nowhere else.
        iso_3166_1 = "GB"

    if iso_3166_1 == "FI":
        # "Mannerheimint. 5", "Pohj. Kanavakatu": street words written short.
        street = expand_finnish_abbreviations(street) if street else None
        full_address = expand_finnish_abbreviations(full_address) if full_address else None
        # "15 B-rappu", "porras B": a staircase's word beside its letter.
        street, full_address, house_number, unit = (
            drop_finnish_staircase_words(value) if value else None
            for value in (street, full_address, house_number, unit)
        )
        # "15B12": a number, staircase and apartment written together, as in a line.
        house_number = finnish_number_field_apart(house_number) if house_number else None
    if house_number and not street and iso_3166_1 and _is_street_line(house_number, iso_3166_1):
        # "12 Fir Lane" in the number column and none in the street's: the first line.
        house_number, street = None, house_number
    if house_number and not unit and iso_3166_1:
        # "Flat 2" in the number column (beside "14 High Street"): the column holds the
        # flat, the street line its building's number, if any.
        unit = _unit_in_number_field(house_number, street, iso_3166_1)
        house_number = None if unit else house_number
    if house_number and not unit:
        # "15 b A 3", "12 FLAT 3": a unit written in the house number's field.
        house_number, unit = split_house_number_field(house_number)
    if house_number and not unit and iso_3166_1 == "GB":
        # "12/3": a Scottish flat after its building's number (see parse_free_text);
        # "Flat 3 Maple Court", "10 Kestrel House": the flat and its building, as in
        # free text.
        house_number, unit = _scottish_flat_number(house_number)
        if not unit:
            house_number, unit = split_british_number_field(house_number)
    if unit and iso_3166_1 == "GB":
        # "Flat 3 Maple Court": the building's name identifies no flat; it is the
        # premise where the record has no number, as in free text, and a number the
        # street field starts with comes first ("12 Fir Lane"): the premise is taken
        # below, once the street field is read.
        unit, building = split_british_unit_field(unit)
    else:
        building = None
    if (
        building is None
        and house_number
        and street
        and _is_name_beside_numbered_line(house_number, street, iso_3166_1)
    ):
        # "Maple Court" in the number column beside "12 Fir Lane" in the street's: the
        # building's name, its number the street line's, as "Maple Court, 12 Fir Lane".
        building, house_number = house_number, None
    if (
        building is None
        and house_number
        and iso_3166_1 == "GB"
        and (named := _name_then_number(house_number))
    ):
        # "Maple Court 12", "Willow Mill, 12": the building's name and its number in the
        # number column (the Postcode Address File's two fields joined), as free text
        # reads "MAPLE COURT 12 FIR LANE".
        building, house_number = named
    if building is None and house_number and not unit and iso_3166_1 == "GB":
        # "Flat 3, Maple Court, 12": the sub-building too (the file's three fields).
        tokens = free_text_tokens(house_number)
        at = leading_unit_length(tokens)
        if 0 < at < len(tokens) and (named := _name_then_number(" ".join(tokens[at:]))):
            unit, (building, house_number) = " ".join(tokens[:at]), named
    number = _house_number(house_number) if house_number else None
    unit_parts = _unit(unit, iso_3166_1) if unit else None
    street_text = None
    if street and (whole := _whole_address_in_street(street, iso_3166_1)) is not None:
        # "400 Elmhurst St, Salina, KS 67401": the field holds the whole address; what
        # the record gives in its own fields wins.
        street, street_text = None, whole.street
        if number is None and whole.house_number:
            number = _house_number(whole.house_number)
        if unit_parts is None and whole.unit:
            unit_parts = _unit(whole.unit, iso_3166_1)
        locality = locality or whole.locality
        region = region or whole.region
        postcode = postcode or whole.postcode
    if street:
        line = split_street(street, iso_3166_1, number is not None)
        if number is not None and (own := _number_written_again(street, iso_3166_1, number)):
            # "123 Main St", "530 1/2 Jacqueline Ln" in the street column beside the
            # same number in the number column: the source's first address line (read
            # as written here, and as printed below).
            line = own
        street_text = line.street
        if number is None and line.house_number:
            number = _house_number(line.house_number)
        if unit_parts is None and line.unit:
            unit_parts = _unit(line.unit, iso_3166_1)
    if number is None and building:
        number = _house_number(building)
    if full_address and number is None and not _has_street(street_text, iso_3166_1):
        parsed = parse_free_text(full_address, iso_3166_1)
        if iso_3166_1 is None:
            iso_3166_1 = parsed.country
        if parsed.house_number:
            number = _house_number(parsed.house_number)
        street_text = parsed.street
        if unit_parts is None and parsed.unit:
            unit_parts = _unit(parsed.unit, iso_3166_1)
        locality = locality or parsed.locality
        region = region or parsed.region
        postcode = postcode or parsed.postcode
        if iso_3166_1 is None and region:
            iso_3166_1 = country_of_region(region)

    if iso_3166_1 == "FI":
        # "00120 Helsinki 12": a town with its old postal district's number.
        locality, postcode = (
            _without_postal_district(value) if value else None for value in (locality, postcode)
        )
    if iso_3166_1 is not None:
        locality, region, postcode = _town_line_apart(locality, region, postcode, iso_3166_1)
    if unit_parts is not None and iso_3166_1 == "FI":
        if number is not None and _is_staircase_apart(written_number, number, unit_parts):
            # "Fleminginkatu 5 A" with the apartment "2" in a field of its own: the
            # capital written apart is the staircase, as in "Fleminginkatu 5 A 2".
            unit_parts = normalize_unit(f"{number.suffix} {unit_parts.unit_id}")
            number = _house_number(str(number.number))
        if number is not None and _is_letter_alone(number, unit_parts):
            # "Kaivokatu 15" with the staircase "B" in a field of its own and no
            # apartment: the same place as "Kaivokatu 15 B" written in one line.
            number, unit_parts = _house_number(f"{number.number}{unit_parts.unit_id}"), None
        else:
            unit_parts = _finnish_staircase(unit_parts)
    street_parts = normalize_street(street_text, iso_3166_1) if street_text else None
    while number is not None and street_parts is not None:
        # "123 Main St" in the street column beside a number column of 123: the
        # source's first address line, whose number is the record's own.
        line = _number_written_again(street_parts.street, iso_3166_1, number)
        if line is None:
            break
        street_parts = normalize_street(line.street, iso_3166_1)
        if unit_parts is None and line.unit:
            unit_parts = _unit(line.unit, iso_3166_1)
    iso_3166_2 = resolve_region(region, iso_3166_1) if region else None
    return NormalizedAddress(
        house_number=number.display if number else None,
        hn_int=number.number if number else None,
        hn_suffix=number.suffix if number else None,
        street=street_parts.street if street_parts else None,
        street_base=street_parts.base if street_parts else None,
        street_type=street_parts.street_type if street_parts else None,
        street_dir=street_parts.directional if street_parts else None,
        street_phonetic=street_parts.phonetic if street_parts else None,
        unit=unit_parts.display if unit_parts else None,
        unit_id=unit_parts.unit_id if unit_parts else None,
        locality=_locality(locality, iso_3166_1) if locality else None,
        postcode=normalize_postcode(postcode, iso_3166_1) if postcode else None,
        iso_3166_1=iso_3166_1,
        iso_3166_2=iso_3166_2,
        reject_reason=_reject_reason(
            number is not None or street_parts is not None or has_point, iso_3166_1, iso_3166_2
        ),
        building_name=_building_beside_number(
            number, building, (full_address, street, house_number), given_street, iso_3166_1
        ),
    )


_BUILDING_NAME = re.compile(r"(?=.*[^\W\d_]{3})[^\W\d_]+(?:[ '.&]+[^\W\d_]+)*\.?")
"""A building's name as a number field may hold it: words of letters ("Maple Court",
"St. John's House"), one of three letters or more (so no letter alone: "A")."""


def _is_name_beside_numbered_line(name: str, street: str, iso_3166_1: str | None) -> bool:
    """Whether a British number field holds a building's name (words, no digit) while
    the street field holds the building's number and a street named by its type."""
    if iso_3166_1 != "GB" or not _BUILDING_NAME.fullmatch(name.strip()):
        return False
    if not street.lstrip()[:1].isascii() or not street.lstrip()[:1].isdigit():
        return False
    premise = _house_number(name)
    return premise is not None and premise.number is None and _is_street_line(street, "GB")


def _name_then_number(field: str) -> tuple[str, str] | None:
    """A number field holding a building's name, then its number ("Maple Court 12",
    "Willow Mill, 12"): the name and the number; None for any other field (British
    records write a premise so)."""
    # Read as the number is printed ("MAPLE COURT 12"), so that the printed form reads
    # the same when fed back.
    whole = _house_number(field)
    words = whole.display.split() if whole is not None else []
    if len(words) < 2 or words[0] in UNIT_DESIGNATORS:
        return None
    name = " ".join(words[:-1])
    number = _house_number(words[-1])
    if not _BUILDING_NAME.fullmatch(name) or number is None or number.number is None:
        return None
    return name, words[-1]


def _building_beside_number(
    number: HouseNumber | None,
    building: str | None,
    texts: tuple[str | None, ...],
    street: str | None,
    iso_3166_1: str | None,
) -> str | None:
    """The building's name a British record gives beside its building number, as a
    premise's name is written (`house_number` of "MAPLE COURT, FIR LANE"): the name in
    its unit field, before the number in the field that holds it, or before the street
    in the street field."""
    if iso_3166_1 != "GB" or number is None or number.number is None:
        return None
    name = (
        building
        or next(
            (found for text in texts if text and (found := british_building_beside_number(text))),
            None,
        )
        or (british_building_before_street(street) if street else None)
    )
    premise = _house_number(name) if name else None
    return premise.display if premise is not None and premise.number is None else None


_FI_POSTAL_DISTRICT = re.compile(r"(.*[^\W\d].*?)(?:[\s,]+\d{1,2})+")


def _without_postal_district(text: str) -> str:
    """A Finnish town without the number of its postal district after it ("Helsinki 12",
    "00120 Helsinki 12": the district the postcode's third and fourth digits name, as
    letters were addressed before five-digit postcodes). A Finnish town's name holds no
    number, so one or two digits after its words are no part of it."""
    match = _FI_POSTAL_DISTRICT.fullmatch(text.strip())
    return match.group(1) if match else text


def _locality(locality: str, iso_3166_1: str | None) -> str | None:
    """The canonical locality; a Finnish one read again without a district's number that
    only its cleaning set apart ("HELSINKI/12")."""
    cleaned = normalize_locality(locality)
    return _without_postal_district(cleaned) if cleaned and iso_3166_1 == "FI" else cleaned


def _town_line_apart(
    locality: str | None, region: str | None, postcode: str | None, iso_3166_1: str
) -> tuple[str | None, str | None, str | None]:
    """The locality, region and postcode of a record whose locality column holds the
    town's whole line ("00100 Helsinki", "Springfield, IL 62701") or whose postcode
    column holds the postcode with its town ("EX1 2AB EXAMPLETOWN"). What a column of
    its own gives wins over what was written beside the town."""
    if locality and (town := split_town_field(locality, iso_3166_1)) is not None:
        locality, region, postcode = town.locality, region or town.region, postcode or town.postcode
    if (
        postcode
        and normalize_postcode(postcode, iso_3166_1) is None
        and (town := split_town_field(postcode, iso_3166_1)) is not None
        and town.postcode is not None
    ):
        locality, region, postcode = locality or town.locality, region or town.region, town.postcode
    return locality, region, postcode


def _is_street_line(text: str, iso_3166_1: str) -> bool:
    """Whether a field holds a number and a street named by its type ("12 Fir Lane",
    "123 Main St", "Kaivokatu 1 A 3"), read as a street field is; a building's name
    ("10 Kestrel House", "Willow Mill") is none."""
    if not any(ch.isalpha() for ch in text) or len(free_text_tokens(text)) < 2:
        return False
    line = split_street(text, iso_3166_1, False)
    if line.house_number is None or line.street is None:
        return False
    words = line.street.split()
    if iso_3166_1 == "GB":
        return len(words) >= 2 and words[-1] in GB_THOROUGHFARE_TYPES
    if iso_3166_1 == "US":
        # After a number, any street type ends a street ("510 S CAMPOS PATH").
        return len(words) >= 2 and words[-1] in STREET_SUFFIXES
    return ends_in_street_type(line.street, iso_3166_1)


def _unit(raw: str, iso_3166_1: str | None) -> Unit | None:
    """The canonical unit; in Britain a floor alone ("FIRST FLOOR", "GROUND FLOOR") is
    the flat on that floor ("FIRST FLOOR FLAT"), as sources write one sub-building with
    the word or without it."""
    if iso_3166_1 == "GB" and is_floor_alone(free_text_tokens(raw)):
        raw = f"{raw} FLAT"
    return normalize_unit(raw)


def _unit_in_number_field(house_number: str, street: str | None, iso_3166_1: str) -> str | None:
    """The unit a house number field holds alone ("Flat 2", "Apt 4", "A 3"), or, when
    the street field starts with the building's own number ("10 Main Street"), a
    British "2/1"; None otherwise. A unit is never a building's number or name."""
    flat = unit_field_alone(house_number, iso_3166_1)
    if (
        flat is None
        and iso_3166_1 == "GB"
        and street
        and _scottish_flat_number(house_number)[1]
        and _is_street_line(street, iso_3166_1)
    ):
        # "2/1": the floor and the flat, in Glasgow's way (as free text reads "2/1 10
        # MAIN STREET"), where "12/3" alone is flat 3 of number 12.
        flat = "FLAT " + "/".join(
            part.replace(" ", "") for part in _SCOTTISH_FLAT_NUMBER.fullmatch(house_number).groups()
        )
    return flat


def _number_written_again(
    street: str, iso_3166_1: str | None, number: HouseNumber
) -> StreetLine | None:
    """A street's parse when it also holds the record's own house number ("123 MAIN ST",
    "KAIVOKATU 15 B 3" beside a number of 123 or 15); None when it holds no number or
    another one (a street named by a number keeps it: "5 MILE RD" beside 120)."""
    if number.number is None or str(number.number) not in street:
        return None
    line = split_street(street, iso_3166_1, False)
    if line.house_number is None or line.street is None:
        return None
    if normalize_street(line.street, iso_3166_1) is None:
        return None
    return line if _house_number(line.house_number) == number else None


def _whole_address_in_street(street: str, iso_3166_1: str | None) -> ParsedAddress | None:
    """A street field's parse as a one-line address, when the field holds a number and
    its street and, after a comma, their town or postcode (or, British, ends in a full
    postcode, commas or none); None otherwise (a street field's own reading then
    applies: a unit, a premise's name or a flat after a comma)."""
    if iso_3166_1 is None:
        return None
    whole_line = _ends_in_town_line(street, iso_3166_1)
    if not (has_parts(street) or whole_line):
        return None
    parsed = parse_free_text(street, iso_3166_1)
    # A whole line may name a building and no street ("FLAT 7 FRENCH MILL NORTHSIDE
    # EXAMPLETOWN EX1 2AB").
    has_street = parsed.street is not None or (whole_line and parsed.locality is not None)
    if not has_street or parsed.house_number is None or parsed.country != iso_3166_1:
        return None
    locality = parsed.locality
    if iso_3166_1 == "GB" and locality and locality.split()[-1] in GB_THOROUGHFARE_TYPES:
        # "131 CROSS AVENUE, JENNINGS STREET": the street a dependent one leads off.
        locality = None
    return parsed if locality or parsed.postcode else None


_FI_TOWN_LINE_END = re.compile(r"(?:FI-?)?\d{5}(?: [^\W\d_]+)+")
"""A Finnish postcode and its town's words, as a line ends with them."""

_FI_POSTCODE_WORD = re.compile(r"(?:FI-?)?\d{5}")


def _ends_in_town_line(text: str, iso_3166_1: str) -> bool:
    """Whether a field ends as an address's town line does, which a street never does,
    so that the field holds a whole address, commas or none: a full British postcode
    ("144 FOWLER ACRE ANDREWSTON BA4 8PZ"), a US state's code and ZIP ("123 MAIN ST
    SPRINGFIELD IL 62701"), a Finnish postcode and town ("KAIVOKATU 1 A 3 00100
    HELSINKI": an apartment's number has fewer digits)."""
    words = clean_words(text).split()
    if iso_3166_1 == "GB":
        return any(len(words) > size and is_gb_postcode("".join(words[-size:])) for size in (1, 2))
    # The line's own number comes before its town's line.
    if iso_3166_1 == "US":
        return (
            len(words) > 3
            and words[0][:1].isdigit()
            and is_us_zip(words[-1])
            and len(words[-2]) == 2
            and resolve_region(words[-2], "US") is not None
        )
    if iso_3166_1 == "FI":
        # A street's name first, its number, and one postcode only.
        return (
            bool(words)
            and words[0].isalpha()
            and any(
                _FI_TOWN_LINE_END.fullmatch(" ".join(words[at:]))
                and any(word[:1].isdigit() for word in words[1:at])
                and not any(_FI_POSTCODE_WORD.fullmatch(word) for word in words[1:at])
                for at in range(2, len(words) - 1)
            )
        )
    return False


@lru_cache(maxsize=65536)
def normalize_locality(raw: str) -> str | None:
    """Canonical locality name: folded, punctuation removed, spaces collapsed.

    Args:
        raw: Locality as given ("San Francisco", "St. Louis", "Helsinki").

    Returns:
        "SAN FRANCISCO", "ST LOUIS", "HELSINKI"; None if nothing is left.
    """
    return clean_words(raw) or None


def _reject_reason(is_address: bool, iso_3166_1: str | None, iso_3166_2: str | None) -> str | None:
    """First applicable reject reason, in REJECT_REASONS order."""
    # Judged on the parsed parts (not on whether free text was given) so a record fed
    # back in gets the same verdict. A house number has a digit, or is a building's name
    # that identifies its premise where there is no number ("WILLOW MILL").
    if not is_address:
        return "unparseable_address"
    if iso_3166_1 is None:
        return "unknown_country"
    if iso_3166_2 is None:
        return "unknown_region"
    return None


_GLUED_STAIRCASE = re.compile(r"# ([A-Z])(\d+[A-Z]?)")
"""A unit without designator that is a letter and a number written together ("# A3")."""


_CAPITAL_APART = re.compile(r"\d\s+[A-ZÄÖÅ]\s*")


def _is_staircase_apart(written: str | None, number: HouseNumber, unit: Unit | None) -> bool:
    """Whether a Finnish house number's letter is a staircase: a capital written apart
    after the number ("5 A", where a house's own letter is written small or joined:
    "5 b", "5b") in a record whose unit is an apartment's number alone ("2")."""
    return (
        written is not None
        and unit is not None
        and unit.display == f"# {unit.unit_id}"
        and unit.unit_id.isdigit()
        and number.number is not None
        and number.suffix is not None
        and len(number.suffix) == 1
        and number.display == f"{number.number}{number.suffix}"
        and _CAPITAL_APART.search(written.rstrip()[-4:]) is not None
        and written.rstrip()[-1] == number.suffix
    )


def _is_letter_alone(number: HouseNumber, unit: Unit) -> bool:
    """Whether a Finnish unit is a letter alone ("B": a staircase without an apartment)
    beside a house number that has no letter of its own."""
    return (
        unit.display == f"# {unit.unit_id}"
        and len(unit.unit_id) == 1
        and unit.unit_id.isalpha()
        and number.number is not None
        and number.display == str(number.number)
    )


def _finnish_staircase(unit: Unit) -> Unit:
    """A Finnish unit written as a letter and a number together ("A3") is a staircase and
    an apartment, displayed apart as Finnish addresses write them ("A 3"); its id, and so
    what it is compared on, stays."""
    match = _GLUED_STAIRCASE.fullmatch(unit.display)
    if match is None:
        return unit
    return Unit(f"{match.group(1)} {match.group(2)}", unit.unit_id)


_SCOTTISH_FLAT_NUMBER = re.compile(r"\s*(\d+\s*[A-Za-z]?)\s*/\s*(\d+\s*[A-Za-z]?)\s*")
_LEADING_DIGITS = re.compile(r"\d+")


def _scottish_flat_number(raw: str) -> tuple[str, str | None]:
    """A British house number field "12/3" as number 12 and flat 3; any other whole, and
    a half or a quarter ("1/2", what "½" is printed as) too."""
    match = _SCOTTISH_FLAT_NUMBER.fullmatch(raw)
    if match is None:
        return raw, None
    numbers = [_LEADING_DIGITS.match(group).group() for group in match.groups()]
    if is_vulgar_fraction("/".join(numbers)):
        return raw, None
    return match.group(1), f"FLAT {match.group(2)}"


def _house_number(raw: str) -> HouseNumber | None:
    """The canonical house number, or None when it has neither a digit nor a building's
    name ("N/A -", "X", "REAR")."""
    number = normalize_house_number(raw)
    if number is not None and number.number is None and not _is_premise_name(number.display):
        return None
    return number


_PREMISE_WORD = re.compile(r"[^\W\d_]{2,}")
"""A word of at least two letters: what a building's name has and "X" or "-" have not."""


def _is_premise_name(display: str) -> bool:
    """Whether a house number without digits is a building's name.

    It needs a word of two or more letters that is not a unit designator: "REAR" or
    "BSMT" alone name a part of some building, not which one.
    """
    return any(word not in UNIT_DESIGNATORS for word in _PREMISE_WORD.findall(display))


# Values sources write instead of leaving a field empty.
_PLACEHOLDERS = frozenset(
    {"N/A", "NA", "N.A.", "N.A", "UNKNOWN", "UNK", "NONE", "NULL", "NIL", "TBD", "NOT AVAILABLE"}
    | {"TBC", "TBA", "NOT KNOWN", "NOT GIVEN", "NOT APPLICABLE", "NO ADDRESS", "UNKNOWN ADDRESS"}
    # A missing value as a dataframe or a spreadsheet writes it out.
    | {"NAN", "#N/A"}
)

_KEY_RUN = 4
"""A word that is this many or more keys next to each other in one row of a keyboard
is typed, not written: "QWERTY", "ASDF", "LKJH" (but "LIBERTY" only holds one)."""
_ROWS_BOTH_WAYS = (*KEYBOARD_ROWS, *(row[::-1] for row in KEYBOARD_ROWS))
# Vowels, with Welsh "W" ("CWM", "BWLCH") and "Y".
_VOWELS = frozenset("AEIOUYWÅÄÖÆØÉÈÜ")


def _is_keyboard_mash(word: str) -> bool:
    """Whether one word is keys struck rather than a name: one letter repeated ("XXXXX",
    "ZZZ"), neighbouring keys of a keyboard row ("QWERTY", "ASDF"), or five or more
    letters without a vowel."""
    if len(word) < 3 or not word.isalpha():
        return False
    if len(set(word)) == 1:
        return True
    if len(word) >= _KEY_RUN and any(word in row for row in _ROWS_BOTH_WAYS):
        return True
    return len(word) >= 5 and not any(letter in _VOWELS for letter in word)


# A letter or digit of any script: exactly the characters `str.isalnum` accepts
# (Python's `\w` is those plus "_"), found in C rather than a Python loop.
_ALPHANUMERIC = re.compile(r"[^\W_]")


_DECIMAL_WHOLE = re.compile(r"\s*(\d+)\.0+\s*")


def _whole(value: str | None) -> str | None:
    """A number written as a decimal with no fraction ("12.0": a numeric column with
    gaps, read as floats) as the whole number ("12"); any other value as given."""
    match = _DECIMAL_WHOLE.fullmatch(value) if value else None
    return match.group(1) if match else value


def _given(value: str | None) -> str | None:
    """The value, or None if it is empty, blank, only punctuation or a placeholder like N/A."""
    if not value:
        return None
    stripped = value.strip()
    if not stripped or stripped.upper() in _PLACEHOLDERS or not _ALPHANUMERIC.search(stripped):
        return None
    return value


def _given_text(value: str | None) -> str | None:
    """A street or free-text address as `_given` reads it, and None for keyboard mash
    ("ASDF", "XXXXX"): one word that is no name is no street. A number glued to the
    name after it is written apart (`numbers_apart`: "12High Street")."""
    value = _given(value)
    if value is None:
        return None
    stripped = value.strip()
    if " " not in stripped and _is_keyboard_mash(stripped.upper()):
        return None
    return numbers_apart(value)


def _has_street(street_text: str | None, iso_3166_1: str | None) -> bool:
    """Whether a street field holds anything that normalizes to a street."""
    return bool(street_text) and normalize_street(street_text, iso_3166_1) is not None
