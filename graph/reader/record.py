"""The record contract: what the reader returns for one case (see README, "The record").

The declared keys (``RECORD_KEYS`` …) are derived from these types, so the contract, the
tests and the documentation cannot drift apart.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "METRIC_KEYS",
    "PARTNER_KEYS",
    "RECORD_KEYS",
    "Metric",
    "Partner",
    "Record",
    "Source",
    "Unparsed",
    "Warning",
]


class Source(TypedDict):
    """Where a case stands: its casebook (by file name) and its line range."""

    file: str
    line_start: int
    line_end: int


class Warning(TypedDict):
    """A field that could not be read cleanly, at ``file:line``."""

    file: str
    line: int
    field: str
    message: str


class Unparsed(TypedDict):
    """Text the reader kept but did not understand."""

    file: str
    line: int
    field: str
    text: str


class Metric(TypedDict):
    """A quantity of the outcome cells: ``延べ参加者数：386人``."""

    label: str | None
    value: int | float
    unit: str | None
    qualifier: str | None
    text: str


class Partner(TypedDict, total=False):
    """A partner body as extracted (``ref`` and ``parent`` are set by resolution)."""

    mention: str
    canonical: str
    category: str
    municipality: str | None
    generic: bool
    role: str | None
    ref: str
    parent: str | None


class Record(TypedDict):
    """One case of a casebook."""

    case_id: str
    source: Source
    org_name: str | None
    org_aliases: list[str]
    legal_form: str | None
    initiative_title: str | None
    region_text: str | None
    region_note: str | None
    region_prefectures: list[str]
    region_municipalities: list[str]
    region_municipality_codes: list[str]
    activity_primary: list[str]
    activity_secondary: list[str]
    target_primary: list[str]
    target_secondary: list[str]
    purpose: str | None
    audience: str | None
    content: str | None
    outreach: str | None
    outcomes_text: str | None
    message: str | None
    partners_text: str | None
    scenes_text: str | None
    metrics: list[Metric]
    representative: str | None
    founded: str | None
    founded_text: str | None
    incorporated: str | None
    staff_count: int | None
    staff_text: str | None
    address: str | None
    postal_code: str | None
    address_prefecture: str | None
    address_municipality: str | None
    address_municipality_code: str | None
    website: str | None
    partners: list[Partner]
    complete: bool
    warnings: list[Warning]
    unparsed: list[Unparsed]


RECORD_KEYS: tuple[str, ...] = tuple(Record.__annotations__)
# What extraction sets; resolution adds ``ref`` and ``parent``.
PARTNER_KEYS: tuple[str, ...] = tuple(
    k for k in Partner.__annotations__ if k not in ("ref", "parent")
)
METRIC_KEYS: tuple[str, ...] = tuple(Metric.__annotations__)
