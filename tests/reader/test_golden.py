"""Golden test: every field of the 11 embedded cases, as read by a person from the text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden" / "kanto-2024-part1.expected.json"
EXPECTED: list[dict[str, Any]] = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
FIELDS = sorted({name for case in EXPECTED for name in case})


def test_eleven_cases(records: list[dict[str, Any]]) -> None:
    assert [r["case_id"] for r in records] == [c["case_id"] for c in EXPECTED]


@pytest.mark.parametrize("field", FIELDS)
def test_field(records: list[dict[str, Any]], field: str) -> None:
    got = {r["case_id"]: r[field] for r in records}
    want = {c["case_id"]: c[field] for c in EXPECTED}
    wrong = {cid: (want[cid], got.get(cid)) for cid in want if got.get(cid) != want[cid]}
    assert not wrong, f"{field}: expected vs got per case: {wrong}"


def test_every_record_has_the_contract_keys(records: list[dict[str, Any]]) -> None:
    from graph import RECORD_KEYS

    assert all(set(RECORD_KEYS) <= set(r) for r in records)


def test_no_warnings_on_embedded(records: list[dict[str, Any]]) -> None:
    assert [w for r in records for w in r["warnings"]] == []
