"""How addresses go wrong on their way into files: keying slips, case, dropped and moved parts.

Written from how people and systems damage addresses: a finger hits the key next to the
right one, two letters swap, a letter is lost or doubled; forms are filled in capitals or
without any; spreadsheets drop leading zeros; a field left empty; parts written in the order
of another country's habit. Each function takes a `random.Random` so a source's records are
drawn from one stream.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    """Letters next to each letter on a QWERTY keyboard (same row and the rows beside it;
    each row sits about half a key to the right of the one above)."""
    where = {c: (r, i + 0.5 * r) for r, row in enumerate(_KEYBOARD_ROWS) for i, c in enumerate(row)}
    return {
        c: "".join(
            other
            for other, (r2, x2) in where.items()
            if other != c and abs(r2 - r) <= 1 and abs(x2 - x) <= 1.0
        )
        for c, (r, x) in where.items()
    }


KEYBOARD_NEIGHBOURS: dict[str, str] = _neighbours()

SLIPS: dict[str, float] = {"neighbour": 0.4, "swap": 0.25, "drop": 0.2, "double": 0.15}
"""Kinds of keying slip and how often each happens."""


def weighted(r: random.Random, options: Mapping[str, float]) -> str:
    """One key of `options`, drawn with its weight."""
    return r.choices(list(options), weights=list(options.values()))[0]


def slip(word: str, r: random.Random) -> str:
    """`word` with one keying slip inside it (never at its first letter, which people check)."""
    letters = [i for i in range(1, len(word)) if word[i].isalpha()]
    if len(word) < 4 or not letters:
        return word
    i = r.choice(letters)
    kind = weighted(r, SLIPS)
    if kind == "neighbour":
        near = KEYBOARD_NEIGHBOURS.get(word[i].lower())
        if not near:
            return word
        c = r.choice(near)
        return word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1 :]
    if kind == "swap" and i + 1 < len(word) and word[i + 1].isalpha():
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    return word[:i] + word[i + 1 :]


def slip_in(text: str, r: random.Random) -> str:
    """`text` with a keying slip in one of its longer words (numbers are left alone)."""
    words = text.split(" ")
    long_words = [k for k, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_words:
        return text
    k = r.choice(long_words)
    words[k] = slip(words[k], r)
    return " ".join(words)


def cased(text: str, style: str) -> str:
    """`text` as typed: `upper`, `lower`, `title` (each word capitalised) or `asis`."""
    if style == "upper":
        return text.upper()
    if style == "lower":
        return text.lower()
    if style == "title":
        return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    return text


def joined(parts: Sequence[str | None], commas: bool) -> str:
    """The parts that are there, with or without commas between them."""
    return (", " if commas else " ").join(p for p in parts if p)


def leading_zeros_lost(code: str) -> str:
    """A code stored as a number: `00100` -> `100`."""
    return code.lstrip("0") or "0"


def maybe(r: random.Random, share: float) -> bool:
    """True with probability `share`."""
    return r.random() < share
