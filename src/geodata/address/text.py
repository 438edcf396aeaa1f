"""Unicode folding and word splitting shared by the address part normalizers.

Everything here is a fixed point: applying a function to its own output changes nothing, which
is what makes normalize_address idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from geodata.address.slips import near_slips, unambiguous_slips
from geodata.address.tables import (
    DIRECTIONALS,
    GB_BUILDING_WORDS,
    GB_THOROUGHFARE_TYPES,
    ORDINAL_WORDS,
    STREET_SUFFIXES,
    UNIT_DESIGNATORS,
)

# NFKC turns "½" into "1", FRACTION SLASH, "2" glued to the preceding digits ("12½" becomes
# "121/2"), so vulgar fractions are spelled out with a leading space first.
_FRACTIONS = {"¼": " 1/4", "½": " 1/2", "¾": " 3/4", "⅓": " 1/3", "⅔": " 2/3"}
_FRACTION_RE = re.compile("[" + "".join(_FRACTIONS) + "]")
# Typographic apostrophes, the fraction slash and dashes have ASCII equivalents NFKC does
# not map.
_CHAR_MAP = str.maketrans(
    {
        "\u2019": "'",  # RIGHT SINGLE QUOTATION MARK
        "\u2018": "'",  # LEFT SINGLE QUOTATION MARK
        "\u02bc": "'",  # MODIFIER LETTER APOSTROPHE
        "\u00b4": "'",  # ACUTE ACCENT
        "\u2044": "/",  # FRACTION SLASH
        # Dashes a word processor puts in a number range ("12\u201314"): a hyphen.
        "\u2010": "-",  # HYPHEN
        "\u2011": "-",  # NON-BREAKING HYPHEN
        "\u2012": "-",  # FIGURE DASH
        "\u2013": "-",  # EN DASH
        "\u2014": "-",  # EM DASH
        "\u2212": "-",  # MINUS SIGN
    }
)

LOOKALIKE_DIGITS = str.maketrans("OIL", "011")
"""Letters written or keyed for the digits they look like: O for 0, I and L (a lower-case
"l", folded) for 1."""

# Word characters are \w minus "_"; every other character except the kept ones becomes a space.
_NOT_WORD_KEEP_HYPHEN_APOSTROPHE = re.compile(r"[^\w\s'-]|_")
_NOT_WORD_KEEP_HYPHEN = re.compile(r"[^\w\s-]|_")
_NOT_WORD_KEEP_HYPHEN_SLASH = re.compile(r"[^\w\s/-]|_")
_NOT_WORD_FREE_TEXT = re.compile(r"[^\w\s'/#-]|_")
_SPACED_HYPHEN = re.compile(r"\s*-[\s-]*")
_SPACED_SLASH = re.compile(r"\s*/[\s/]*")
_SPACED_FRACTION_SLASH = re.compile(r"(?<=\d)\s*/[\s/]*(?=\d)")
# A hyphen or apostrophe only joins two words; at a word edge it is noise.
_EDGE_JOINER = re.compile(r"(?<![\w])['-]+|['-]+(?![\w])")
_REPEATED_APOSTROPHE = re.compile(r"'{2,}")
_HASH = re.compile(r"#")
# An apostrophe joins letters ("O'NEIL"); beside a digit it separates ("STE'12").
_APOSTROPHE_BY_DIGIT = re.compile(r"'+(?=\d)|(?<=\d)'+")
# In free text only a hyphen after a digit joins words: unspaced, to any word ("12-A",
# "10-12"), spaced, to a house number or a letter ("10 - 12", "12 - A"); elsewhere a spaced
# hyphen separates ("Main St - Apt 4", "Flat 3 - Exampletown", "Kaivokatu 1 - 00100
# Helsinki": a postcode is no house number).
_DIGIT_HYPHEN = re.compile(r"(?<=\d)\s*-\s*(?=[1-9]\d{0,3}(?!\d)|[^\W\d_](?![^\W\d_])|(?<=-)\w)")
_SPACED_SEPARATOR_HYPHEN = re.compile(r"\s+-+\s*|\s*-+\s+")
# A range of house numbers written with a word ("12 to 14"), as British addresses often
# write a building that spans several numbers: the range "12-14".
_RANGE_WORD = re.compile(r"\b(\d+)\s+TO\s+(\d+)(?=[A-Z]?\b)")
# A unit word glued to its number ("FLAT3", "APT12B") is the word and the number. Only
# words of three letters or more: two-letter ones ("PH", "RM", "FL") are also the
# letters of British postcode areas ("PH1", "RM12").
_GLUED_UNIT = re.compile(
    "("
    + "|".join(sorted((w for w in UNIT_DESIGNATORS if len(w) >= 3), key=len, reverse=True))
    + r")(\d+[A-Z]?)"
)

# The designators that name a dwelling or a let unit, whose words are mistyped as often
# as any other (a flat, an apartment, a suite, a studio; Finnish "asunto", "huoneisto").
_DWELLING_DESIGNATORS = frozenset({"APT", "STE", "UNIT", "FLAT", "STUDIO", "MAISONETTE", "AS"})


def _mistyped_designators() -> dict[str, str]:
    """A slip of a dwelling designator's word (`near_slips`; of a word spelled out: the
    designator, or a variant of five letters or more, not "APPT" or "BOST") -> the word,
    where the slip is no word of the street, building, compass or unit tables and no
    slip of two designators."""
    words = [
        word
        for word, designator in UNIT_DESIGNATORS.items()
        if designator in _DWELLING_DESIGNATORS
        and word.isalpha()
        and (len(word) > 4 or (len(word) == 4 and word == designator))
    ]
    known = {
        *UNIT_DESIGNATORS,
        *STREET_SUFFIXES,
        *STREET_SUFFIXES.values(),
        *GB_THOROUGHFARE_TYPES,
        *GB_BUILDING_WORDS,
        *DIRECTIONALS,
        *ORDINAL_WORDS,
    }
    return unambiguous_slips({word: near_slips(word) for word in words}, known)


MISTYPED_DESIGNATORS = _mistyped_designators()
"""A dwelling designator mistyped ("FALT", "APARTMNET", "SIUTE") -> the word."""

_HAS_DIGIT = re.compile(r"\d")


def _designators_spelled(tokens: list[str]) -> list[str]:
    """Tokens with a mistyped dwelling designator put right where the next token holds a
    number ("FALT 8" is FLAT 8); a slip before a word is left as written."""
    if MISTYPED_DESIGNATORS.keys().isdisjoint(tokens):
        return tokens
    return [
        MISTYPED_DESIGNATORS[token]
        if token in MISTYPED_DESIGNATORS and _HAS_DIGIT.search(following)
        else token
        for token, following in zip(tokens, [*tokens[1:], ""], strict=True)
    ]


def fold(text: str) -> str:
    """Canonical uppercase form of a string: NFKC, casefolded, then uppercased.

    Args:
        text: Any string.

    Returns:
        The folded string; letters such as "ä" survive as "Ä", "ß" becomes "SS".
    """
    if not text.isascii():
        text = _FRACTION_RE.sub(lambda m: _FRACTIONS[m.group()], text)
        # Mapped before NFKC (which decomposes the acute accent into a combining one) and after
        # it (which produces FRACTION SLASH from fractions such as "⅛").
        text = unicodedata.normalize("NFKC", text.translate(_CHAR_MAP)).translate(_CHAR_MAP)
        # Casefold before upper so that e.g. "ß" and "ẞ" meet; NFKC again because casefolding
        # can leave decomposed sequences.
        return unicodedata.normalize("NFKC", text.casefold().upper())
    return text.upper()


def clean_words(text: str, *, keep_apostrophe: bool = True) -> str:
    """Folded text with punctuation removed, hyphens and apostrophes joining words only.

    Args:
        text: Any string.
        keep_apostrophe: Keep apostrophes inside words ("D'ALENE"); when False they are deleted,
            joining the word ("OFARRELL").

    Returns:
        Words separated by single spaces; "" if nothing is left.
    """
    text = fold(text)
    words = text.split()
    # Fast path: plain words need none of the substitutions below (\w is str.isalnum plus "_").
    if all(word.isalnum() for word in words):
        return " ".join(words)
    if keep_apostrophe:
        text = _NOT_WORD_KEEP_HYPHEN_APOSTROPHE.sub(" ", text)
        text = _REPEATED_APOSTROPHE.sub("'", text)
    else:
        text = _NOT_WORD_KEEP_HYPHEN.sub(" ", text.replace("'", ""))
    text = _SPACED_HYPHEN.sub("-", text)
    text = _EDGE_JOINER.sub(" ", text)
    return " ".join(text.split())


def _range_as_hyphen(match: re.Match[str]) -> str:
    first, last = match.groups()
    return f"{first}-{last}" if int(first) < int(last) else match.group()


def ranges_with_hyphen(text: str) -> str:
    """A folded text with its ranges of numbers written with a word as a hyphen's:
    "12 TO 14 HIGH STREET" -> "12-14 HIGH STREET". Only a rising range: "2 TO 1" is
    left as written."""
    return _RANGE_WORD.sub(_range_as_hyphen, text) if "TO" in text else text


def clean_house_number(text: str) -> str:
    """Folded house number keeping only letters, digits, hyphens, slashes and single spaces.

    Args:
        text: A raw house number such as "12 - a" or "#12½".

    Returns:
        The cleaned string ("12-A", "12 1/2"); "" if nothing is left.
    """
    text = ranges_with_hyphen(fold(text))
    text = _NOT_WORD_KEEP_HYPHEN_SLASH.sub(" ", text)
    text = _SPACED_HYPHEN.sub("-", text)
    text = _SPACED_SLASH.sub("/", text)
    text = " ".join(text.split())
    return text.strip("-/ ")


def free_text_tokens(text: str) -> list[str]:
    """Tokens of one comma-separated part of a free-text address (a new list: the
    caller may change it).

    "#" becomes its own token, "/" (fractions) and hyphens after digits (ranges) are kept,
    other punctuation separates tokens, and a unit word glued to its number ("FLAT3")
    is two tokens.

    Args:
        text: One part of a free-text address, e.g. "123 N. Main St #4".

    Returns:
        The folded tokens, e.g. ["123", "N", "MAIN", "ST", "#", "4"].
    """
    # A record's parse reads its parts more than once, and a town's or a street's part
    # recurs across records: the tokens are kept, and copied for the caller.
    return list(_free_text_tokens(text))


@lru_cache(maxsize=65536)
def _free_text_tokens(text: str) -> tuple[str, ...]:
    """`free_text_tokens`, as a tuple."""
    text = ranges_with_hyphen(fold(text))
    text = _NOT_WORD_FREE_TEXT.sub(" ", text)
    text = _HASH.sub(" # ", text)
    text = _APOSTROPHE_BY_DIGIT.sub(" ", text)
    text = _DIGIT_HYPHEN.sub("-", text)
    text = _SPACED_SEPARATOR_HYPHEN.sub(" ", text)
    text = _SPACED_FRACTION_SLASH.sub("/", text)
    tokens = []
    for token in text.split():
        token = token.strip("-'/")
        if token:
            tokens.extend(split_glued_unit(token))
    tokens = _designators_spelled(tokens)
    if "#" in tokens:
        # "#APT 4": a number sign before a designator announces nothing of its own.
        tokens = [
            token
            for token, following in zip(tokens, [*tokens[1:], None], strict=True)
            if token != "#" or UNIT_DESIGNATORS.get(following, "#") == "#"
        ]
    if "BOX" in tokens or "POB" in tokens:
        tokens = _post_office_box(tokens)
    if "NO" not in tokens:
        return tuple(tokens)
    # "No. 4", "No 12": the number sign written as a word. It says nothing before the
    # first number ("No. 12 High Street" is number 12); after a street it is a unit's "#".
    signs = [
        at
        for at, token in enumerate(tokens)
        if token == "NO" and tokens[at + 1 : at + 2] and tokens[at + 1][0].isdigit()
    ]
    for at in reversed(signs):
        if at == 0:
            del tokens[0]
        else:
            tokens[at] = "#"
    return tuple(tokens)


_POST_OFFICE_BOX_SPELLINGS = (("P", "O", "BOX"), ("POST", "OFFICE", "BOX"), ("POB",))


def _post_office_box(tokens: list[str]) -> list[str]:
    """A post office box spelled as USPS prints it ("P.O. Box", "Post Office Box" and
    "POB" are "PO BOX", Pub 28 section 2)."""
    for spelling in _POST_OFFICE_BOX_SPELLINGS:
        size = len(spelling)
        for at in range(len(tokens) - size):
            if tuple(tokens[at : at + size]) == spelling and tokens[at + size][:1].isdigit():
                return [*tokens[:at], "PO", "BOX", *tokens[at + size :]]
    return tokens


def split_glued_unit(word: str) -> list[str]:
    """A unit word glued to its number as the two words ("FLAT3" -> ["FLAT", "3"]); any
    other word alone."""
    glued = _GLUED_UNIT.fullmatch(word)
    return list(glued.groups()) if glued else [word]


def numbers_apart(text: str) -> str:
    """Text with a number and the name after it written apart where they were written
    without the space between them ("12High Street", "3Maple Court", "00100Helsinki");
    a house letter ("12A"), two letters ("12AB") and an ordinal ("12th", "1STREET":
    the number's own suffix comes first) stay whole."""
    # Folded first where it is not ASCII: a letter may fold into two ("ß", "ﬁ") and
    # make a name of a letter.
    folded = text if text.isascii() else fold(text)
    if _NUMBER_BEFORE_NAME.search(folded) is None:
        return text
    return _NUMBER_BEFORE_NAME.sub(_number_apart, folded)


def _number_apart(glued: re.Match[str]) -> str:
    number, name = glued.groups()
    if name.upper().startswith(ordinal_suffix(number)):
        return glued.group()
    return f"{number} {name}"


def ordinal_suffix(number: str) -> str:
    """The English ordinal's letters after a number written in digits ("1" -> "ST",
    "12" -> "TH", "23" -> "RD")."""
    if number[-2:-1] == "1":
        return "TH"
    return {"1": "ST", "2": "ND", "3": "RD"}.get(number[-1], "TH")


def split_glued_name(word: str) -> list[str]:
    """A name of four letters or more and the number after it written without the space
    between them, as the two words ("MANNERHEIMINTIE12" -> ["MANNERHEIMINTIE", "12"];
    "AS12" and "A3" stay whole); any other word alone."""
    glued = _NAME_BEFORE_NUMBER.fullmatch(word)
    return list(glued.groups()) if glued else [word]


def glued_names_apart(text: str) -> str:
    """Cleaned words with every name glued to a number written apart
    (`split_glued_name`), as free text's tokens are."""
    return " ".join(part for word in text.split() for part in split_glued_name(word))


_NAME_BEFORE_NUMBER = re.compile(r"([^\W\d_]{4,})(\d\w*)")
_NUMBER_BEFORE_NAME = re.compile(r"(?<!\w)(\d{1,5})([^\W\d_](?:'?[^\W\d_]){2,})")
