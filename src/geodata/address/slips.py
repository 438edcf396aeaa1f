"""Keying slips: what one slip of the keys makes of a word from a closed list.

The parser puts back a word of a closed list (thoroughfare types, compass words) that
a writer mistyped; these are the slips it reads, and the keyboard they are made on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

KEYBOARD_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
"""The letter rows of a QWERTY keyboard, each offset half a key from the one above."""


def neighbouring_keys(letter: str) -> set[str]:
    """The letters beside `letter` on a QWERTY keyboard: in its row and the rows above
    and below."""
    for row, keys in enumerate(KEYBOARD_ROWS):
        if letter in keys:
            at = keys.index(letter)
            near = {keys[i] for i in (at - 1, at + 1) if 0 <= i < len(keys)}
            if row > 0:
                near |= {KEYBOARD_ROWS[row - 1][i] for i in (at, at + 1)}
            if row < 2:
                near |= {KEYBOARD_ROWS[row + 1][i] for i in (at - 1, at) if 0 <= i < 7}
            return near
    return set()


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letters_swapped(word: str) -> set[str]:
    """`word` with two neighbouring letters swapped, each way ("RAOD" for "ROAD")."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def keying_slips(word: str) -> set[str]:
    """What one slip of the keys makes of a word of a closed list: two neighbouring
    letters swapped ("RAOD", "LAEN"), and for a word of five letters or more a letter
    lost ("AVNUE", "AVENU") or struck wrong ("CRESDENT"). A letter added is left out (it
    makes plurals and surnames of the shorter words: "GROVES", "GREENE"), and so is a
    slip shorter than five letters or a plural without its last letter ("FIELD" for
    "FIELDS"): too often a word of its own."""
    slips = letters_swapped(word)
    if len(word) >= 5:
        typed = {word[:i] + word[i + 1 :] for i in range(len(word))}
        typed |= {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in LETTERS}
        slips |= {slip for slip in typed if len(slip) >= 5}
        if word.endswith("S"):
            slips.discard(word[:-1])
    return slips - {word}


def letter_doubled(word: str) -> set[str]:
    """`word` with one of its letters typed twice ("APPARTMENT")."""
    return {word[: i + 1] + word[i:] for i in range(len(word))} - {word}


def near_slips(word: str) -> set[str]:
    """What one slip of the keys makes of a word, where the slip stays close to the
    keyboard: two neighbouring letters swapped ("FALT", "HOSUE"), a letter typed
    twice ("APPARTMENT"), and in a word of five letters or more a letter struck with
    a neighbouring key ("SUITR"), or, when five letters are left, lost ("COTAGE")."""
    slips = letters_swapped(word) | letter_doubled(word)
    if len(word) > 5:
        slips |= {word[:i] + word[i + 1 :] for i in range(len(word))}
    if len(word) >= 5:
        slips |= {
            word[:i] + key + word[i + 1 :]
            for i in range(len(word))
            for key in neighbouring_keys(word[i])
        }
    return slips - {word}


def unambiguous_slips(slips: Mapping[str, Iterable[str]], known: Iterable[str]) -> dict[str, str]:
    """Each slip -> the one word it is a slip of (`slips`: word -> its slips), leaving
    out a slip of two words and one that is a `known` word itself."""
    known = frozenset(known)
    found: dict[str, set[str]] = {}
    for word, of_word in slips.items():
        for slip in of_word:
            found.setdefault(slip, set()).add(word)
    return {
        slip: next(iter(words))
        for slip, words in found.items()
        if len(words) == 1 and slip not in known
    }
