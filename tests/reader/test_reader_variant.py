"""A hand-written chapter in styles the embedded one does not use, read field by field.

``tests/reader/golden/variant-chapter.txt`` was written for this test (it is not a published case):
a title line before the first case, full-width spaces in labels, a 取組名 wrapped over two
lines, label：value rows instead of tabs, a legend after 取組の種類, marks and labels in one
cell, 障がい者, a ward and a city in 取組地域, <li> lists, full-width digits, an era date with a
later 公益認定, a 団体概要 table written with colons. Expected values come from reading it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.reader.casebook import ReadResult, read_casebooks

VARIANT = Path(__file__).parent / "golden" / "variant-chapter.txt"

EXPECTED: dict[str, Any] = {
    "org_name": "なにわつながり会",
    "org_aliases": [],
    "legal_form": "公益社団法人",
    "initiative_title": "商店街の空き店舗を活用した多世代の居場所と見守りネットワークの構築",
    "region_prefectures": ["大阪府"],
    "region_municipalities": ["大阪市北区", "堺市"],
    "region_note": None,
    "activity_primary": ["交流の場の提供", "空き家等を活用した地域交流拠点の整備"],
    "activity_secondary": ["居場所づくり", "地域の包括的見守り体制の構築"],
    "target_primary": ["高齢者"],
    "target_secondary": ["こども・若者", "単身世帯"],
    "purpose": "商店街の空き店舗を地域の居場所として再生し、一人暮らしの高齢者と若者が\n"
    "日常的に顔を合わせる関係をつくる。",
    "audience": "商店街周辺に住む一人暮らしの高齢者、近隣の大学生",
    "content": "空き店舗を改装した「まちの縁側」を週5日開所\n大学生による見守り訪問",
    "partners_text": "大阪市北区役所、北区社会福祉協議会、天神橋商店街振興組合、関西大学",
    "outreach": "民生委員と一緒に戸別訪問を行い、チラシを手渡しした。",
    "outcomes_text": "開所日数:230日、来場者数:延べ4,500名、見守り訪問:月平均40件、"
    "協力店舗:12店舗以上",
    "scenes_text": "【会場】まちの縁側(天神橋商店街)",
    "representative": "山本花子",
    "founded": "2013-04-01",
    "incorporated": "2016-04-01",
    "staff_count": 3,
    "address": "大阪市北区天神橋2-1-1",
    "postal_code": "530-0041",
    "address_prefecture": "大阪府",
    "address_municipality": "大阪市北区",
    "website": None,
    "message": "商店街は地域の縁側です。",
    "warnings": [],
}
METRICS = [
    ("開所日数", 230, "日", None),
    ("来場者数", 4500, "名", "延べ"),
    ("見守り訪問", 40, "件", "平均"),
    ("協力店舗", 12, "店舗", "以上"),
]


@pytest.fixture(scope="module")
def variant() -> ReadResult:
    """The variant chapter, read."""
    return read_casebooks([VARIANT])


def test_one_case_and_the_title_line_is_reported(variant: ReadResult) -> None:
    assert len(variant.records) == 1
    assert any("text before the first case header" in n for n in variant.notices)


@pytest.mark.parametrize("field", sorted(EXPECTED))
def test_field(variant: ReadResult, field: str) -> None:
    assert variant.records[0][field] == EXPECTED[field]


def test_metrics(variant: ReadResult) -> None:
    got = [
        (m["label"], m["value"], m["unit"], m["qualifier"]) for m in variant.records[0]["metrics"]
    ]
    assert got == METRICS


def test_partners(variant: ReadResult) -> None:
    from graph.partners.extract import resolve_partners

    records = variant.records
    resolve_partners(records)
    found = {p["canonical"]: (p["category"], p["ref"][:6]) for p in records[0]["partners"]}
    assert found["大阪市北区社会福祉協議会"][0] == "社会福祉協議会"
    assert found["関西大学"][0] == "大学・専門学校"
    assert found["天神橋商店街振興組合"][0] != "行政"
    # 大阪市北区役所 is the ward's office: the ward itself (place:271276)
    assert any(ref == "place:" for _, ref in found.values())
