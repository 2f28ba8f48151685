"""Prefectures and municipalities from the official list of local governments.

The list (47 prefectures, 1,916 municipalities and designated-city wards with their
全国地方公共団体コード) comes from the ``japancode`` package's data files (a 2024 snapshot);
codes there lose their leading zero, so they are padded and their check digit verified here.
The curated change list ``data/places/changes.json`` brings it up to date: places created since
(浜松市中央区 …) are added, and places that no longer exist (浜松市中区 …) are kept as
historical places that still resolve, with the codes of their successors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from graph.resources import places_dir

_MISSING = object()
_COUNTY = re.compile(r"^[^\s都道府県市区町村]{1,6}郡")


@dataclass(frozen=True, order=True)
class Place:
    """A prefecture or municipality with its 6-digit local government code."""

    code: str
    name: str  # official name without spaces: 豊島区, 横浜市, 横浜市港北区, 東京都
    prefecture: str
    kind: str  # "prefecture" | "municipality" | "ward"
    kana: str = ""
    name_en: str | None = None
    until: str | None = None  # last day of a place that no longer exists (ISO date)
    replaced_by: tuple[str, ...] = ()  # codes of its successors

    @property
    def current(self) -> bool:
        """False for a historical place (abolished or renamed; see ``replaced_by``)."""
        return self.until is None

    @property
    def sac_code(self) -> str:
        """The 5-digit code without check digit, as used by e-Stat's LOD area codes."""
        return self.code[:5]

    @property
    def city(self) -> str | None:
        """For a ward of a designated city, the city's name (横浜市)."""
        if self.kind != "ward":
            return None
        return self.name[: self.name.index("市") + 1]


def check_digit(code5: str) -> str:
    """The check digit of a 5-digit local government code."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _full_code(raw: str) -> str:
    code = raw.zfill(6)
    if check_digit(code[:5]) != code[5]:
        raise ValueError(f"bad check digit in local government code {raw}")
    return code


@dataclass(frozen=True)
class Gazetteer:
    """Lookup tables over the official list."""

    prefectures: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]  # municipality name → candidates
    by_code: dict[str, Place]
    cities_with_wards: frozenset[str]
    _matches: dict[tuple[str, str | None], object] = field(default_factory=dict, compare=False)

    def prefecture(self, name: str) -> Place | None:
        """The prefecture of that name (東京都), or None."""
        return self.prefectures.get(name)

    def municipality(self, name: str, prefecture: str | None = None) -> Place | None:
        """The municipality of that name within ``prefecture``; None if unknown or ambiguous."""
        candidates = self.by_name.get(name, ())
        if prefecture:
            candidates = tuple(p for p in candidates if p.prefecture == prefecture)
        if len(candidates) > 1:  # a name that was reused (浜松市天竜区): today's place
            candidates = tuple(p for p in candidates if p.current) or candidates
        return candidates[0] if len(candidates) == 1 else None

    def successors(self, place: Place) -> tuple[Place, ...]:
        """The places that replaced a historical place (empty for a current one)."""
        return tuple(self.by_code[code] for code in place.replaced_by)

    def match_prefix(self, text: str, prefecture: str | None = None) -> Place | None:
        """The longest prefecture or municipality name that starts ``text``."""
        found = self.match_at(text, prefecture)
        return found[0] if found else None

    def match_at(self, text: str, prefecture: str | None = None) -> tuple[Place, int] | None:
        """Like ``match_prefix``, with the number of characters the name took (郡 included)."""
        # Only the first 7 (county) + 12 (name) characters can matter; heads recur across cases.
        head = text[:20]
        cached = self._matches.get((head, prefecture), _MISSING)
        if cached is _MISSING:
            cached = self._match_at(head, prefecture)
            if len(self._matches) < 1 << 16:
                self._matches[(head, prefecture)] = cached
        return cached  # type: ignore[return-value]

    @cached_property
    def _prefecture_lengths(self) -> tuple[int, ...]:
        # No prefecture name starts another, so at most one length can match at a position.
        names = list(self.prefectures)
        assert not any(a != b and b.startswith(a) for a in names for b in names)
        return tuple(sorted({len(name) for name in names}))

    def _match_at(self, text: str, prefecture: str | None) -> tuple[Place, int] | None:
        for length in self._prefecture_lengths:
            pref = self.prefectures.get(text[:length])
            if pref is not None:
                return pref, length
        # 大和郡山市 and 蒲郡市 hold 郡 in their names: try the text as it is before taking a
        # leading "…郡" for a county (山武郡九十九里町).
        county = _COUNTY.match(text)
        for skip in (0, county.end()) if county else (0,):
            for end in range(min(len(text), skip + 12), skip + 1, -1):
                place = self.municipality(text[skip:end], prefecture)
                if place is not None:
                    return place, end
        return None

    def has_wards(self, city: str) -> bool:
        """True for a designated city (政令指定都市) whose wards are in the list."""
        return city in self.cities_with_wards

    def parent(self, place: Place) -> Place:
        """The body a place belongs to: a ward's city, a municipality's prefecture."""
        if place.kind == "ward" and place.city:
            city = self.municipality(place.city, place.prefecture)
            if city is not None:
                return city
        return self.prefectures[place.prefecture]


def _read_json(name: str) -> list[dict[str, str]]:
    with resources.files("japancode").joinpath("data", name).open(encoding="utf-8") as fh:
        data: list[dict[str, str]] = json.load(fh)
    return data


def _changes() -> list[dict[str, Any]]:
    with (places_dir() / "changes.json").open(encoding="utf-8") as fh:
        rows: list[dict[str, Any]] = json.load(fh)["places"]
    return rows


def _apply_changes(by_code: dict[str, Place], prefectures: dict[str, Place]) -> None:
    """Add new places and mark abolished ones, checking the change list against the list."""
    for row in _changes():
        code = _full_code(str(row["code"]))
        place = Place(
            code,
            str(row["name"]),
            str(row["prefecture"]),
            str(row["kind"]),
            str(row.get("kana", "")),
            until=str(row["until"]) if row.get("until") else None,
            replaced_by=tuple(_full_code(str(c)) for c in row.get("replaced_by", ())),
        )
        known = by_code.get(code)
        if place.prefecture not in prefectures:
            raise ValueError(f"data/places: {code}: unknown prefecture {place.prefecture}")
        if place.until is not None and (known is None or known.name != place.name):
            raise ValueError(f"data/places: {code} {place.name} is not in the list to retire")
        if place.until is None and known is not None:
            raise ValueError(f"data/places: {code} is already in the list")
        by_code[code] = place
    for place in by_code.values():
        for successor in place.replaced_by:
            if successor not in by_code:
                raise ValueError(f"data/places: successor {successor} of {place.code} unknown")


@cache
def gazetteer() -> Gazetteer:
    """The official list brought up to date by the change list, loaded once."""
    prefectures: dict[str, Place] = {}
    for row in _read_json("prefectures.json"):
        place = Place(
            _full_code(row["lgcode"]),
            row["pref"],
            row["pref"],
            "prefecture",
            row["prefkana"],
            row["pref_en"],
        )
        prefectures[place.name] = place
    by_code = {p.code: p for p in prefectures.values()}
    for row in _read_json("municipalities.json"):
        name = row["city"].replace(" ", "").replace("\u3000", "")
        kind = "ward" if " " in row["city"] else "municipality"
        place = Place(_full_code(row["lgcode"]), name, row["pref"], kind, row["citykana"])
        by_code[place.code] = place
    _apply_changes(by_code, prefectures)
    by_name: dict[str, list[Place]] = {}
    for place in by_code.values():
        if place.kind != "prefecture":
            by_name.setdefault(place.name, []).append(place)
    return Gazetteer(
        prefectures,
        {name: tuple(sorted(places)) for name, places in by_name.items()},
        by_code,
        frozenset(p.city for p in by_code.values() if p.city),
    )
