"""Quantities of the outcome cells, one pattern at a time (texts written for these tests)."""

from __future__ import annotations

import pytest

from graph.reader.metrics import extract_metrics


def _read(text: str) -> list[tuple[str | None, int | float, str | None, str | None]]:
    return [(m["label"], m["value"], m["unit"], m["qualifier"]) for m in extract_metrics(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a qualifier written before the label still qualifies the quantity
        ("延べ参加者数:386人", [("参加者数", 386, "人", "延べ")]),
        ("平均利用者数:16人/日", [("利用者数", 16, "人/日", "平均")]),
        # "(延べ人数)" qualifies the quantity before it; "(延べ64回)" is a quantity of its own
        ("訪問支援:13世帯(延べ64回)",
         [("訪問支援", 13, "世帯", None), ("訪問支援", 64, "回", "延べ")]),
        ("集いの場への参加者数:192人(延べ人数)", [("集いの場への参加者数", 192, "人", "延べ")]),
        # a breakdown in brackets names its parts; うち names the part counted
        ("参加人数:合計80人(小学生41人、大人39人)",
         [("参加人数", 80, "人", "計"), ("小学生", 41, "人", None), ("大人", 39, "人", None)]),
        ("参加者:延べ900人(うち高齢者120人)",
         [("参加者", 900, "人", "延べ"), ("高齢者", 120, "人", None)]),
        # a heading or item number before the name is not part of it; "/" separates items
        ("(定量的成果)開催回数:計12回/協力企業:5社",
         [("開催回数", 12, "回", "計"), ("協力企業", 5, "社", None)]),
        # counters
        ("回収した食品:約1.5トン、参加した家族:8家族、協定を結んだ事業者:3事業者、満足度:約9割",
         [("回収した食品", 1.5, "トン", "約"), ("参加した家族", 8, "家族", None),
          ("協定を結んだ事業者", 3, "事業者", None), ("満足度", 9, "割", "約")]),
        # から is a particle: the second figure is named like the first
        ("会員数:当初40人から77人へ増加", [("当初", 40, "人", None), ("当初", 77, "人", None)]),
        # 点 is not a counter here: the points of an argument are no outcome
        ("効果は次の3点である。", []),
    ],
)
def test_metric_patterns(text: str, expected: list[tuple]) -> None:
    assert _read(text) == expected
