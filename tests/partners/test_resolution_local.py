"""Local facilities whose names repeat from town to town are one body per municipality."""

from __future__ import annotations

from typing import Any

import pytest

from graph.partners.extract import partner_bodies
from tests.partners.cases import case_record


def _record(n: int, municipality: str, prefecture: str, text: str) -> dict[str, Any]:
    return case_record(text, prefecture, municipality, case_id=f"t-{n:03d}", org=f"団体{n}")


def _refs(records: list[dict[str, Any]], label: str) -> list[tuple[str, int]]:
    return [(b.ref, len(b.orgs)) for b in partner_bodies(records) if b.label == label]


@pytest.mark.parametrize("name", ["ひまわり保育園", "中央公民館", "駅前商店街"])
def test_the_same_name_in_two_towns_is_two_bodies(name: str) -> None:
    records = [_record(1, "盛岡市", "岩手県", f"{name}、地域の民生委員"),
               _record(2, "松江市", "島根県", f"{name}、地域の民生委員")]
    refs = _refs(records, name)
    assert len(refs) == 2 and all(orgs == 1 for _, orgs in refs)


@pytest.mark.parametrize("name", ["ひまわり保育園", "中央公民館"])
def test_the_same_name_in_one_town_is_one_body(name: str) -> None:
    records = [_record(1, "盛岡市", "岩手県", f"{name}（会場提供）"),
               _record(2, "盛岡市", "岩手県", f"{name}、盛岡市社会福祉協議会")]
    assert [orgs for _, orgs in _refs(records, name)] == [2]


def test_a_named_company_stays_one_body_across_towns() -> None:
    records = [_record(1, "盛岡市", "岩手県", "株式会社みちのく食品（食材提供）"),
               _record(2, "松江市", "島根県", "株式会社みちのく食品（食材提供）")]
    assert [orgs for _, orgs in _refs(records, "みちのく食品")] == [2]
