"""Street canonicalization: USPS style for the US, folded text elsewhere."""

from __future__ import annotations

import pytest

from geodata.address.street import normalize_street, street_phonetic
from geodata.address.tables import DIRECTIONALS, STREET_SUFFIXES


@pytest.mark.parametrize(
    ("raw", "street", "base", "street_type", "directional"),
    [
        ("n. main street", "N MAIN ST", "MAIN", "ST", "N"),
        ("North Main Street", "N MAIN ST", "MAIN", "ST", "N"),
        ("N MAIN ST", "N MAIN ST", "MAIN", "ST", "N"),
        ("Main Street North", "MAIN ST N", "MAIN", "ST", "N"),
        ("Mission St.", "MISSION ST", "MISSION", "ST", None),
        ("Park Ave", "PARK AVE", "PARK", "AVE", None),
        ("Park Avenu", "PARK AVE", "PARK", "AVE", None),
        ("Sunset Boulevard", "SUNSET BLVD", "SUNSET", "BLVD", None),
        ("Southwest Oak Parkway", "SW OAK PKWY", "OAK", "PKWY", "SW"),
        ("South West Oak Pkwy", "SW OAK PKWY", "OAK", "PKWY", "SW"),
        ("N Main St SW", "N MAIN ST SW", "MAIN", "ST", "N|SW"),
        ("Pennsylvania Ave North West", "PENNSYLVANIA AVE NW", "PENNSYLVANIA", "AVE", "NW"),
        # Common spellings that Pub 28 does not list.
        ("S Willow La", "S WILLOW LN", "WILLOW", "LN", "S"),
        ("Clifton Crt", "CLIFTON CT", "CLIFTON", "CT", None),
        ("Bayshore Bl", "BAYSHORE BLVD", "BAYSHORE", "BLVD", None),
        ("La Salle St", "LA SALLE ST", "LA SALLE", "ST", None),
        # A suffix or directional needs a base name left over.
        # A type as the name's first word keys by its abbreviation, however it is spelled.
        ("Avenue B", "AVENUE B", "AVE B", None, None),
        ("Ave. B", "AVE B", "AVE B", None, None),
        ("Road 5", "ROAD 5", "RD 5", None, None),
        ("North Street", "NORTH ST", "NORTH", "ST", None),
        ("Avenue of the Stars", "AVENUE OF THE STARS", "AVENUE OF THE STARS", None, None),
        ("Broadway", "BROADWAY", "BROADWAY", None, None),
        ("Highway 1", "HIGHWAY 1", "HIGHWAY 1", None, None),
        # Only the last word is a suffix.
        ("St. Charles Ave", "ST CHARLES AVE", "ST CHARLES", "AVE", None),
        ("Court Street", "COURT ST", "COURT", "ST", None),
        # Ordinals.
        ("1st St", "1ST ST", "1ST", "ST", None),
        ("First Street", "1ST ST", "1ST", "ST", None),
        ("Twentieth Ave", "20TH AVE", "20TH", "AVE", None),
        ("2d Ave", "2ND AVE", "2ND", "AVE", None),
        ("21th St", "21ST ST", "21ST", "ST", None),
        ("11st St", "11TH ST", "11TH", "ST", None),
        # Punctuation.
        ("O'Farrell St", "OFARRELL ST", "OFARRELL", "ST", None),
        ("MLK Jr. Blvd", "MLK JR BLVD", "MLK JR", "BLVD", None),
    ],
)
def test_us_street(raw, street, base, street_type, directional):
    result = normalize_street(raw, "US")
    assert (result.street, result.base, result.street_type, result.directional) == (
        street,
        base,
        street_type,
        directional,
    )
    assert normalize_street(result.street, "US") == result


@pytest.mark.parametrize(
    ("raw", "iso", "expected", "base"),
    [
        ("Mannerheimintie", "FI", "MANNERHEIMINTIE", None),
        ("hämeentie", "FI", "HÄMEENTIE", None),
        ("Etelä - Esplanadi", "FI", "ETELÄ-ESPLANADI", None),
        ("High Street", "GB", "HIGH STREET", None),
        # A British base is the name's comparison key, without its apostrophes.
        ("St. John's Road", "GB", "ST JOHN'S ROAD", "ST JOHNS ROAD"),
        ("St John\u2019s Road", "GB", "ST JOHN'S ROAD", "ST JOHNS ROAD"),
        ("Hauptstraße", "DE", "HAUPTSTRASSE", None),
        ("Main Street", None, "MAIN STREET", None),
    ],
)
def test_non_us_street_is_folded_text(raw, iso, expected, base):
    result = normalize_street(raw, iso)
    assert result[:4] == (expected, base or expected, None, None)
    if iso != "FI":  # (Finnish keys are the next tests')
        assert result.phonetic == street_phonetic(base or expected)


def test_first_street_equals_1st_street():
    assert normalize_street("First Street", "US") == normalize_street("1st St", "US")


@pytest.mark.parametrize(
    ("short", "ordinal"),
    [("W 45 St", "W 45th Street"), ("5 Ave", "Fifth Avenue"), ("N 1 ST", "North 1st St")],
)
def test_a_numbered_street_without_its_ordinal_ending_is_its_ordinal(short, ordinal):
    assert normalize_street(short, "US") == normalize_street(ordinal, "US")


@pytest.mark.parametrize("route", ["Hwy 101", "County Road 12", "Avenue 5"])
def test_a_routes_number_is_no_ordinal(route):
    assert "TH" not in normalize_street(route, "US").street.split()[-1]


def test_directional_keeps_streets_apart_but_base_equal():
    north = normalize_street("N Main St", "US")
    south = normalize_street("S Main St", "US")
    assert north.street != south.street
    assert north.base == south.base
    assert north.phonetic == south.phonetic


@pytest.mark.parametrize("raw", ["", "...", "#"])
def test_empty_street_is_none(raw):
    assert normalize_street(raw, "US") is None
    assert normalize_street(raw, "FI") is None


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("MAIN", "MN"),
        ("MANE", "MN"),
        ("1ST", "1ST"),
        ("HÄMEENTIE", "HMNT"),
        ("HIGH STREET", "HSTRT"),
        # A doubled first vowel is read as one (metaphone would drop it whole).
        ("AARON", "ARN"),
        ("ARON", "ARN"),
    ],
)
def test_street_phonetic(base, expected):
    assert street_phonetic(base) == expected


def test_suffix_table_covers_pub28_and_maps_abbreviations_to_themselves():
    assert len(set(STREET_SUFFIXES.values())) >= 150
    for abbreviation in set(STREET_SUFFIXES.values()):
        assert STREET_SUFFIXES[abbreviation] == abbreviation
    for variant, abbreviation in {
        "ALLEY": "ALY",
        "AVN": "AVE",
        "AVNUE": "AVE",
        "EXPRESSWAY": "EXPY",
        "STRT": "ST",
        "STR": "ST",
        "TERRACE": "TER",
        "WAY": "WAY",
    }.items():
        assert STREET_SUFFIXES[variant] == abbreviation


def test_directional_abbreviations_map_to_themselves():
    for abbreviation in set(DIRECTIONALS.values()):
        assert DIRECTIONALS[abbreviation] == abbreviation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("High St", "HIGH STREET"),
        ("high st.", "HIGH STREET"),
        ("Station Rd", "STATION ROAD"),
        ("Park Ave", "PARK AVENUE"),
        ("Orchard Cl", "ORCHARD CLOSE"),
        ("St John's Rd", "ST JOHN'S ROAD"),
        ("St", "ST"),
    ],
)
def test_gb_abbreviated_street_type_is_spelled_out(raw, expected):
    result = normalize_street(raw, "GB")
    assert result.street == expected
    assert normalize_street(result.street, "GB") == result


def test_a_british_compass_point_after_the_type_is_the_streets_directional():
    east, west = (
        normalize_street("Station Road East", "GB"),
        normalize_street("Station Rd West", "GB"),
    )
    assert (east.street, west.street) == ("STATION ROAD EAST", "STATION ROAD WEST")
    assert east.base == west.base == "STATION ROAD"
    assert (east.directional, west.directional) == ("E", "W")
    assert east.phonetic == west.phonetic  # they block together; the directionals part them
    assert normalize_street(east.street, "GB") == east
    # A compass point that begins the name, or follows no thoroughfare word, is the name.
    assert normalize_street("West Street", "GB").directional is None
    assert normalize_street("Kensington Gore North", "GB").street == "KENSINGTON GORE NORTH"


@pytest.mark.parametrize(
    ("finnish", "swedish"),
    [
        ("Runokylänpolku", "Runokylästigen"),
        ("Sahaajankatu", "Sahaajagatan"),
        ("Mannerheimintie", "Mannerheimvägen"),
        ("Aleksanterinkatu", "Alexandersgatan"),
        ("Gneissikuja", "Gneissigränd"),
        # The Swedish genitive is the "-s" alone; a long first vowel is one vowel.
        ("Snellmaninkatu", "Snellmansgatan"),
        ("Eerikinkatu", "Eriksgatan"),
        # The adjective that begins the name is translated, not shared.
        ("Eteläesplanadi", "Södra Esplanaden"),
        ("Pohjoisesplanadi", "Norra esplanaden"),
        ("Iso Roobertinkatu", "Stora Robertsgatan"),
        ("Pieni Roobertinkatu", "Lilla Robertsgatan"),
        # A Finnish adjective keeps its own sound, typing errors and all.
        ("Pieni Iso Roobertinkatu", "Pieno Iso Roobertinkatu"),
    ],
)
def test_the_finnish_and_swedish_names_of_a_street_share_a_phonetic_key(finnish, swedish):
    assert normalize_street(finnish, "FI").phonetic == normalize_street(swedish, "FI").phonetic


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Runokylänpolku", "Runokyläntie"),  # one name, two types: two streets
        ("Kaivokatu", "Brunnsgatan"),  # a name translated, not shared
        ("Pohjoisesplanadi", "Eteläesplanadi"),  # north and south of one park: two streets
        ("Iso Roobertinkatu", "Pieni Roobertinkatu"),
    ],
)
def test_streets_of_other_names_or_types_keep_other_keys(one, other):
    assert normalize_street(one, "FI").phonetic != normalize_street(other, "FI").phonetic


@pytest.mark.parametrize(
    ("country", "spelled", "short"),
    [
        ("GB", "Saint Mary's Road", "St Marys Rd"),
        ("GB", "Mount Pleasant Road", "Mt. Pleasant Road"),
        ("GB", "Saint John's Road East", "ST JOHNS ROAD EAST"),
        ("US", "Saint Charles Ave", "St. Charles Av"),
        ("US", "Mount Vernon Avenue", "Mt Vernon Ave"),
        ("US", "N Fort Washington Ave", "North Ft Washington Avenue"),
        ("GB", "The Crescent", "Crescent"),
        ("GB", "Bridge-End Road", "Bridge End Rd"),
        ("US", "Doctor Martin Luther King Junior Blvd", "Dr Martin Luther King Jr Blvd"),
    ],
)
def test_a_name_word_spelled_out_or_short_is_one_name(country, spelled, short):
    long_form, short_form = normalize_street(spelled, country), normalize_street(short, country)
    # The comparison key and the blocking key agree; the street as written is kept.
    assert long_form.base == short_form.base
    assert long_form.phonetic == short_form.phonetic
    assert long_form.street != short_form.street
    assert normalize_street(long_form.street, country) == long_form


def test_only_words_inside_a_name_are_shortened():
    # A type that ends the name is the street's type, not a title.
    assert normalize_street("Hill Mount", "GB").base == "HILL MOUNT"
    assert normalize_street("Saint St", "US").base == "SAINT"
    assert normalize_street("The", "GB").base == "THE"
    # Apostrophes never part two names; other letters do.
    assert normalize_street("Queen's Road", "GB").base == "QUEENS ROAD"
    assert (
        normalize_street("St Mary's Road", "GB").base
        != normalize_street("St Martin's Road", "GB").base
    )


@pytest.mark.parametrize(
    ("raw", "street"),
    [
        # A neighbouring key struck, or two letters swapped, in a long compass word.
        ("Sourh Gibson Alley", "S GIBSON ALY"),
        ("NROTH MAIN ST", "N MAIN ST"),
        ("Soutjwest Elm Avenue", "SW ELM AVE"),
        # Not a compass word: a name whose letters are not a slip of one (H and E are
        # no neighbours), a short compass word's slip (too often a word), or a slip
        # without a type after the name.
        ("Norte Vista Dr", "NORTE VISTA DR"),
        ("Easy Rider Way", "EASY RIDER WAY"),
        ("Sourh St", "SOURH ST"),
    ],
)
def test_a_mistyped_compass_word_before_a_name_and_type_is_the_directional(raw, street):
    assert normalize_street(raw, "US").street == street
