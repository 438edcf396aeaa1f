"""Street name canonicalization: USPS style for the US, cleaned text elsewhere.

US streets are split into predirectional, base name, suffix and postdirectional
(USPS Publication 28, sections 232-233 and Appendix C1) and printed with USPS abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import jellyfish

from geodata.address.slips import letters_swapped, neighbouring_keys, unambiguous_slips
from geodata.address.tables import (
    DIRECTIONAL_PAIRS,
    DIRECTIONALS,
    FI_SV_NAME_ADJECTIVES,
    FI_SV_STREET_TYPES,
    GB_COMPASS_WORDS,
    GB_STREET_TYPE_ABBREVIATIONS,
    GB_THOROUGHFARE_TYPES,
    NAME_WORD_SHORT_FORMS,
    ORDINAL_WORDS,
    STREET_SUFFIXES,
    US_ROUTE_KINDS,
)
from geodata.address.text import clean_words, glued_names_apart, ordinal_suffix

# "2D"/"3D" are older USPS ordinal spellings of "2ND"/"3RD".
_NUMERIC_ORDINAL = re.compile(r"(\d+)(?:ST|ND|RD|TH|D)")
_HAS_DIGIT = re.compile(r"\d")


class Street(NamedTuple):
    """A canonical street and its parts."""

    street: str
    base: str
    street_type: str | None
    directional: str | None
    phonetic: str | None


@lru_cache(maxsize=65536)
def normalize_street(raw: str, iso_3166_1: str | None) -> Street | None:
    """Canonical form of a street name.

    Args:
        raw: The street as given, without house number or unit ("n. main street").
        iso_3166_1: Alpha-2 country code; only "US" gets suffix and directional handling.

    Returns:
        For the US: "N MAIN ST" with base "MAIN", type "ST", directional "N". Elsewhere the
        folded, punctuation-free text ("HÄMEENTIE", "HIGH STREET") as street and base; in GB
        an abbreviated type at the end is spelled out ("High St" -> "HIGH STREET"), and a
        compass point after it is the directional ("STATION ROAD EAST": base "STATION
        ROAD", directional "E"). A US or British base is the name's comparison key
        (`name_key`: "SAINT MARY'S ROAD" has the base "ST MARYS ROAD"). None if
        nothing is left.
    """
    if iso_3166_1 == "US":
        return _us_street(clean_words(raw, keep_apostrophe=False).split())
    text = clean_words(raw)
    if not text:
        return None
    if iso_3166_1 == "GB":
        return _british_street(text.split())
    if iso_3166_1 == "FI":
        # As a Finnish line is read: a number glued to the street's name is apart.
        text = glued_names_apart(text)
        return Street(text, text, None, None, _bilingual_key(text) or street_phonetic(text))
    return Street(text, text, None, None, street_phonetic(text))


def name_key(words: Sequence[str], *, ends_with_type: bool = True) -> str:
    """A street name as its comparison key: the words a writer may spell out or
    shorten (`NAME_WORD_SHORT_FORMS`) short, no leading article ("THE AVENUE" is
    often written "AVENUE"), and no apostrophes or hyphens ("BRIDGE-END ROAD" /
    "BRIDGE END ROAD"), and an O' written apart joined ("O DONNELL"). "SAINT MARY'S
    ROAD" and "ST MARYS ROAD" are one name written two ways, and so one key; the
    street as written stays as it is.

    Args:
        words: The name's words.
        ends_with_type: The last word is the street's type (a British name), which
            is no title ("HILL MOUNT"); else (a US base name, its type apart) every
            word of a name of two or more is read as one.
    """
    if len(words) >= 2 and words[0] == "THE":
        words = words[1:]
    if len(words) >= 3 - (not ends_with_type) and words[0] == "O":
        # "O DONNELL", "O'DONNELL": the Irish O' with its apostrophe lost.
        words = [f"O{words[1]}", *words[2:]]
    titles = len(words) - 1 if ends_with_type or len(words) < 2 else len(words)
    return " ".join(
        (NAME_WORD_SHORT_FORMS.get(word, word) if i < titles else word)
        .replace("'", "")
        .replace("-", " ")
        for i, word in enumerate(words)
    )


def _british_street(words: list[str]) -> Street:
    """A British street: an abbreviated type at the end spelled out ("HIGH ST" is HIGH
    STREET), and a compass point after the type ("STATION ROAD EAST") its directional,
    so that STATION ROAD EAST and STATION ROAD WEST are two streets of one base name.
    The base is the name's comparison key (`name_key`)."""
    compass = words[-1] if len(words) >= 3 and words[-1] in GB_COMPASS_WORDS else None
    name = words[:-1] if compass else words
    if len(name) >= 2 and name[-1] in GB_STREET_TYPE_ABBREVIATIONS:
        name = [*name[:-1], GB_STREET_TYPE_ABBREVIATIONS[name[-1]]]
    base = name_key(name)
    if compass and name[-1] in GB_THOROUGHFARE_TYPES:
        street = " ".join([*name, compass])
        return Street(street, base, None, compass[0], street_phonetic(base))
    text = " ".join([*name, compass] if compass else name)
    key = name_key([*name, compass]) if compass else base
    return Street(text, key, None, None, street_phonetic(key))


# Longest first, so that "GATAN" is found before "GATA".
_NORDIC_LETTERS = str.maketrans("ÄÖÅ", "AOA")
# Types and adjectives found with their letters' diacritics lost too ("ITAVAYLA",
# "GRANHOLMSVAGEN"): a file's encoding or a keyboard drops them.
_FI_SV_TYPES_FOLDED = {
    **FI_SV_STREET_TYPES,
    **{word.translate(_NORDIC_LETTERS): kind for word, kind in FI_SV_STREET_TYPES.items()},
}
_FI_SV_ADJECTIVES_FOLDED = {
    **FI_SV_NAME_ADJECTIVES,
    **{word.translate(_NORDIC_LETTERS): fi for word, fi in FI_SV_NAME_ADJECTIVES.items()},
}
_FI_SV_TYPE_ENDINGS = sorted(_FI_SV_TYPES_FOLDED, key=len, reverse=True)
_VOWELS = frozenset("AEIOUYÄÖÅ")


def _bilingual_key(text: str) -> str | None:
    """One phonetic key for the Finnish and the Swedish name of a street.

    The name without its type (`FI_SV_STREET_TYPES`, as an ending or a word of its
    own) and without a genitive ending (Swedish "-s"; else Finnish "-in" after a
    consonant, or "-n"), as a metaphone key, then the type in Finnish:
    "RUNOKYLÄNPOLKU" and "RUNOKYLÄSTIGEN" are both "RNKL POLKU", "MANNERHEIMINTIE"
    and "MANNERHEIMVÄGEN" both "MNRHM TIE". An adjective that begins the name is read
    in Finnish (`FI_SV_NAME_ADJECTIVES`): "SÖDRA ESPLANADEN" and "ETELÄESPLANADI",
    "STORA ROBERTSGATAN" and "ISO ROOBERTINKATU" share their keys. Types and
    adjectives are found with their diacritics lost as well ("ITAVAYLA" is ITÄVÄYLÄ).
    A street named by its type alone has its type as its name ("BULEVARDI" and
    "BULEVARDEN" share a key). None when the name has no known type.
    """
    words = text.split()
    if len(words) == 1 and words[0] in _FI_SV_TYPES_FOLDED:
        # A street named by its type alone ("BULEVARDI", in Swedish "BULEVARDEN"): its
        # type is its name, in either language.
        street_type = _FI_SV_TYPES_FOLDED[words[0]]
        return f"{street_phonetic(street_type)} {street_type}"
    if len(words) >= 2 and words[-1] in _FI_SV_TYPES_FOLDED:
        street_type, name = _FI_SV_TYPES_FOLDED[words[-1]], words[:-1]
    else:
        ending = next((e for e in _FI_SV_TYPE_ENDINGS if words[-1].endswith(e)), None)
        if ending is None or len(words[-1]) <= len(ending) + 2:
            return None
        street_type = _FI_SV_TYPES_FOLDED[ending]
        name = [*words[:-1], words[-1][: -len(ending)]]
    name = [_FI_SV_ADJECTIVES_FOLDED.get(name[0], name[0]), *name[1:]]
    last = name[-1]
    if last.endswith("S"):
        # Swedish: the genitive is the "-s" alone ("SNELLMANS" is SNELLMAN's).
        last = last[:-1]
    elif len(last) > 3 and last.endswith("IN") and last[-3] not in _VOWELS:
        last = last[:-2]
    elif last.endswith("N"):
        last = last[:-1]
    key = street_phonetic(" ".join([*name[:-1], last]))
    return f"{key} {street_type}" if key else None


def _us_street(words: list[str]) -> Street | None:
    """Split folded US street words into USPS parts.

    A suffix or directional is only taken when at least one word is left for the base name,
    so "NORTH ST" keeps base "NORTH" and "AVENUE B" keeps base "AVENUE B". Every rule looks
    at word classes that abbreviation preserves, which makes the output parse to itself.
    """
    if not words:
        return None
    post = None
    if len(words) >= 3 and (pair := _directional_pair(words[-2], words[-1])):
        post, words = pair, words[:-2]
    elif len(words) >= 2 and words[-1] in DIRECTIONALS:
        post, words = DIRECTIONALS[words[-1]], words[:-1]
    street_type = None
    if len(words) >= 2 and words[-1] in STREET_SUFFIXES:
        street_type, words = STREET_SUFFIXES[words[-1]], words[:-1]
    if street_type is not None and len(words) >= 2 and words[0] in _MISTYPED_DIRECTIONALS:
        # "SOURH GIBSON ALLEY": a compass word struck with a neighbouring key, before a
        # name and a type.
        words = [_MISTYPED_DIRECTIONALS[words[0]], *words[1:]]
    pre = None
    if len(words) >= 3 and (pair := _directional_pair(words[0], words[1])):
        pre, words = pair, words[2:]
    elif len(words) >= 2 and words[0] in DIRECTIONALS:
        pre, words = DIRECTIONALS[words[0]], words[1:]
    name = [_numeric_ordinal(word) for word in _compound_ordinals_joined(words)]
    if street_type is not None and len(name) == 1 and _is_bare_street_number(name[0]):
        # "W 45 ST" is W 45TH ST: a numbered street's name is its ordinal, written
        # short ("45 ST") as often as in full (a route's number has no type after it).
        name = [_ordinal(int(name[0]))]
    street = " ".join(part for part in (pre, " ".join(name), street_type, post) if part)
    directional = "|".join(part for part in (pre, post) if part) or None
    base = _route_key(name) or name_key(_type_named(name), ends_with_type=False)
    return Street(street, base, street_type, directional, street_phonetic(base))


def _mistyped_directionals() -> dict[str, str]:
    """A spelled-out compass word of five letters or more (`NORTH`, `SOUTHWEST`; not
    `EAST`, `WEST`) with one letter struck with a neighbouring key ("SOURH") or two
    neighbouring letters swapped ("SOTUH") -> the word, where the slip is no other word
    of the street tables and no slip of two compass words."""
    # Slips of shorter words are too often words of their own ("EASY", "WETS").
    words = [word for word in DIRECTIONALS if len(word) >= 5 and word.isalpha()]
    slips = {
        word: letters_swapped(word)
        | {
            word[:i] + key + word[i + 1 :]
            for i in range(len(word))
            for key in neighbouring_keys(word[i])
        }
        for word in words
    }
    return unambiguous_slips(slips, {*DIRECTIONALS, *STREET_SUFFIXES})


_MISTYPED_DIRECTIONALS = _mistyped_directionals()
"""A compass word mistyped ("SOURH", "NROTH") -> the word."""

_TITLE_WORDS = frozenset(NAME_WORD_SHORT_FORMS) | frozenset(NAME_WORD_SHORT_FORMS.values())


def _type_named(name: list[str]) -> list[str]:
    """A name that is a street type and a letter or number ("AVENUE B", "AVE B", "AV
    B") with the type's USPS abbreviation, for the comparison key: one street however
    its name's type is spelled. A title word ("ST" for Saint) is no type here."""
    if (
        len(name) == 2
        and name[0] in STREET_SUFFIXES
        and name[0] not in _TITLE_WORDS
        and len(name[1]) <= 3
        and (name[1].isdigit() or len(name[1]) == 1)
    ):
        return [STREET_SUFFIXES[name[0]], name[1]]
    return name


def _route_key(name: Sequence[str]) -> str | None:
    """A numbered route's comparison key, its kind spelled out ("SR 9", "ST RT 9" and
    "STATE ROUTE 9" are STATE ROUTE 9; "CR 12", "CO RD 12" are COUNTY ROAD 12); None
    for a name that is no route. Kinds stay apart: US Highway 2 and County Road 2 are
    two roads."""
    words = " ".join(name).replace("-", " ").split()
    if len(words) < 2 or not words[-1].isdigit():
        return None
    kind = US_ROUTE_KINDS.get(tuple(words[:-1]))
    return f"{kind} {words[-1]}" if kind else None


def _directional_pair(first: str, second: str) -> str | None:
    """Compound directional of two words (NORTH WEST or N W -> NW), None if not a pair."""
    return DIRECTIONAL_PAIRS.get((DIRECTIONALS.get(first, ""), DIRECTIONALS.get(second, "")))


_TENS = {
    "TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FIFTY": 50,
    "SIXTY": 60, "SEVENTY": 70, "EIGHTY": 80, "NINETY": 90,
}  # fmt: skip
_TENTHS = {"TWENTIETH": 20, **{f"{w[:-1]}IETH": n for w, n in _TENS.items()}}
_UNIT_ORDINALS = {word: int(o[:-2]) for word, o in ORDINAL_WORDS.items() if int(o[:-2]) < 10}


def _ordinal(number: int) -> str:
    return f"{number}{ordinal_suffix(str(number))}"


def _is_bare_street_number(word: str) -> bool:
    """Whether a word is a street's number written without its ordinal ending ("45")."""
    return word.isdigit() and len(word) <= 3 and int(word) > 0


def _compound_ordinals_joined(words: Sequence[str]) -> list[str]:
    """Ordinals past twenty spelled out, as their numbers ("TWENTY FIRST",
    "TWENTY-FIRST" and "21ST" are one name; "FORTIETH" is 40TH)."""
    split = [part for word in words for part in (word.split("-") if "-" in word else [word])]
    joined: list[str] = []
    for word in split:
        if word in _UNIT_ORDINALS and joined and joined[-1] in _TENS:
            joined[-1] = _ordinal(_TENS[joined[-1]] + _UNIT_ORDINALS[word])
        elif word in _TENTHS:
            joined.append(_ordinal(_TENTHS[word]))
        else:
            joined.append(word)
    return joined if len(joined) < len(split) or any(w in _TENTHS for w in split) else list(words)


def _numeric_ordinal(word: str) -> str:
    """Numeric ordinal of an ordinal word (FIRST -> 1ST, 2D -> 2ND); other words unchanged."""
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    match = _NUMERIC_ORDINAL.fullmatch(word)
    if match is None:
        return word
    return f"{match.group(1)}{ordinal_suffix(match.group(1))}"


_LONG_FIRST_VOWEL = re.compile(r"^([AEIOUYÄÖÅ])\1+")
"""A word's first vowel doubled ("EERIKIN", "AARON"): metaphone drops such a vowel
whole, so "EERIKIN" would key apart from "ERIKS"; it is read single."""


def street_phonetic(base: str) -> str | None:
    """Phonetic key of a street base name: metaphone per word, words with digits kept as-is.

    Keeping numbered words literal stops "1ST" and "2ND" from sharing a key.

    Args:
        base: Canonical street base name ("MAIN", "1ST", "HÄMEENTIE").

    Returns:
        The key without spaces ("MN", "1ST", "HMNT"), or None if it comes out empty.
    """
    words: Sequence[str] = base.split()
    key = "".join(
        word if _HAS_DIGIT.search(word) else jellyfish.metaphone(_LONG_FIRST_VOWEL.sub(r"\1", word))
        for word in words
    )
    return key.replace(" ", "") or None
