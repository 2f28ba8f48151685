"""Romanised names (Hepburn, via pykakasi), computed at build time so the page stays offline.

Used twice: as a search key (``Sankakusha`` finds サンカクシャ) and as the English name of a
municipality that has none (志木市 → Shiki-shi). pykakasi reads kanji by dictionary, so a
rare place name may be read wrongly; the Japanese name is always shown beside it.
"""

from __future__ import annotations

import re
from functools import cache

import pykakasi

# a municipality name is one or more units each ending in one of these (横浜市港北区)
_UNIT = re.compile(r"(.+?)(市|区|町|村|郡)")
_UNIT_EN = {"市": "shi", "区": "ku", "町": "machi", "村": "mura", "郡": "gun"}


@cache
def _kakasi() -> pykakasi.kakasi:
    return pykakasi.kakasi()


@cache
def romanise(text: str) -> str:
    """``text`` in Hepburn romaji, lower case, words separated by spaces."""
    return " ".join(
        w for item in _kakasi().convert(text) if (w := item["hepburn"].strip())
    ).strip()


@cache
def place_name_en(text: str) -> str:
    """A municipality's English name from its Japanese one: 横浜市港北区 → Yokohama-shi Kouhoku-ku.

    Each unit's stem is romanised on its own (pykakasi would read 松戸市 as one word); 町 is
    written -machi although some towns read it -chō."""
    units = _UNIT.findall(text)
    if not units or "".join(a + b for a, b in units) != text:
        return " ".join(w.capitalize() for w in romanise(text).split()) or text
    return " ".join(
        "".join(romanise(stem).split()).capitalize() + "-" + _UNIT_EN[unit] for stem, unit in units
    )
