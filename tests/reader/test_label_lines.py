"""Label lines the reader does not know are kept in ``unparsed`` with a ``file:line`` warning,
in every section, with or without a tab, never glued into a name or a field (issue 12, item 4),
and labels followed by a compatibility colon are read (item 9)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.reader.casebook import read_casebook_text
from tests.repo import EMBEDDED

TEXT = EMBEDDED.read_text(encoding="utf-8")
CASE1 = TEXT[: TEXT.index("団 体 名：特定非営利活動法人 KOMPOSITION")]
BASE = read_casebook_text(CASE1, "c.txt", "c")[0][0]


def _insert_after(text: str, anchor: str, line: str) -> tuple[str, int]:
    """The text with ``line`` after the line starting with ``anchor``, and its line number."""
    lines = text.split("\n")
    index = next(i for i, raw in enumerate(lines) if raw.startswith(anchor))
    lines.insert(index + 1, line)
    return "\n".join(lines), index + 2


def _read(text: str) -> dict[str, Any]:
    records = read_casebook_text(text, "c.txt", "c")[0]
    assert len(records) == 1
    return records[0]


def _assert_kept(rec: dict[str, Any], line: int, needle: str) -> None:
    warned = [w for w in rec["warnings"] if w["line"] == line]
    assert warned and all(w["file"] == "c.txt" for w in warned), rec["warnings"]
    assert any(needle in u["text"] and u["line"] == line for u in rec["unparsed"]), rec["unparsed"]


@pytest.mark.parametrize("sep", ["：", "\t", ":", " ："])
def test_unknown_label_after_the_header_is_not_glued_to_the_name(sep: str) -> None:
    text, line = _insert_after(CASE1, "団体名：", f"関連URL{sep}https://example.org/a")
    rec = _read(text)
    assert rec["org_name"] == "クラブしっきーず"
    assert rec["org_aliases"] == BASE["org_aliases"]
    _assert_kept(rec, line, "https://example.org/a")


def test_unknown_label_after_the_title_is_not_glued_to_it() -> None:
    text, line = _insert_after(CASE1, "取組名：", "取組期間：2024年4月～2025年3月")
    rec = _read(text)
    assert rec["initiative_title"] == "地域密着型サードプレイスによる一体的支援事業"
    _assert_kept(rec, line, "2024年4月～2025年3月")


def test_fax_line_is_not_glued_to_the_address() -> None:
    text, line = _insert_after(CASE1, "団体住所\t", "FAX：048-000-0000")
    rec = _read(text)
    assert rec["address"] == "埼玉県志木市柏町3-3-31-106" == BASE["address"]
    assert rec["address_municipality"] == "志木市"
    _assert_kept(rec, line, "048-000-0000")
    assert any(w["field"] == "profile" and "FAX" in w["message"] for w in rec["warnings"])


def test_remark_line_does_not_vanish_into_the_content() -> None:
    text, line = _insert_after(CASE1, "内容\t", "備考：会場は変更になる場合があります")
    rec = _read(text)
    assert rec["content"] == BASE["content"]
    assert "会場は変更" not in (rec["content"] or "")
    _assert_kept(rec, line, "会場は変更になる場合があります")


@pytest.mark.parametrize("anchor", ["取組の種類", "取組の対象", "(3) 取組の様子", "(2) 取組の成果"])
def test_unknown_label_in_other_sections_is_kept(anchor: str) -> None:
    text, line = _insert_after(CASE1, anchor, "担当者：山田 花子")
    rec = _read(text)
    _assert_kept(rec, line, "山田 花子")
    assert "山田" not in (rec["scenes_text"] or "") + (rec["partners_text"] or "")
    for name in ("activity_primary", "activity_secondary", "target_primary", "target_secondary"):
        assert rec[name] == BASE[name]


def test_case_cut_inside_a_profile_label() -> None:
    cut = CASE1[: CASE1.index("設立年月日\t2000年")] + "設立年"
    rec = _read(cut)
    assert rec["representative"] == "増田三枝子"  # not 増田三枝子設立年
    assert rec["complete"] is False
    line = cut.count("\n") + 1
    assert any(w["line"] == line and "truncated" in w["message"] for w in rec["warnings"])
    assert any(u["text"] == "設立年" for u in rec["unparsed"])


def test_case_cut_after_a_row_label_is_not_complete() -> None:
    cut = CASE1[: CASE1.index("設立年月日\t2000年")] + "設立年月日\t"
    rec = _read(cut)
    assert rec["complete"] is False
    assert rec["founded"] is None and rec["representative"] == "増田三枝子"


def test_profile_row_given_twice_keeps_the_earlier_text() -> None:
    text, line = _insert_after(CASE1, "代表者\t", "代表者\t山田 太郎")
    rec = _read(text)
    assert rec["representative"] == "山田太郎"
    assert any(u["text"] == "増田 三枝子" and u["line"] == line - 1 for u in rec["unparsed"])


@pytest.mark.parametrize("colon", ["\ufe55", "\ufe13", ":", "："])
def test_compatibility_colons_after_header_labels(colon: str) -> None:
    text = CASE1.replace("団体名：", f"団体名{colon}").replace("取組名：", f"取組名{colon}")
    rec = _read(text)
    assert rec["org_name"] == "クラブしっきーず"
    assert rec["initiative_title"] == "地域密着型サードプレイスによる一体的支援事業"
    assert rec["warnings"] == []


def test_compatibility_colon_in_a_profile_row() -> None:
    rec = _read(CASE1.replace("代表者\t増田 三枝子", "代表者\ufe55増田 三枝子"))
    assert rec["representative"] == "増田三枝子"
    assert rec["warnings"] == []


@pytest.mark.parametrize("line", ["10:00～12:00 開催", "第1回：オリエンテーション",
                                  "https://example.org/", "・参加費：無料"])  # fmt: skip
def test_prose_lines_with_colons_stay_prose(line: str) -> None:
    text, _ = _insert_after(CASE1, "内容\t", line)
    rec = _read(text)
    assert rec["warnings"] == []
    assert (rec["content"] or "").count("\n") == (BASE["content"] or "").count("\n") + 1


def test_a_name_of_100000_characters_is_cut_with_the_whole_text_kept() -> None:
    name = "あ" * 100_000
    rec = _read(CASE1.replace("団体名：NPO 法人 クラブしっきーず", f"団体名：NPO 法人 {name}"))
    assert rec["org_name"] == "あ" * 200
    warned = [w for w in rec["warnings"] if w["field"] == "org_name"]
    assert warned and warned[0]["line"] == 3 and "100,000 characters" in warned[0]["message"]
    assert any(u["text"] == name for u in rec["unparsed"])
    assert all(len(a) <= 200 for a in rec["org_aliases"])


def test_figures_on_lines_of_their_own_stay_in_the_outcomes() -> None:
    row = "定量的な成果\t<ul"
    assert row in CASE1
    figures = "定量的な成果\t\n参加者数：延べ３８６人\n相談件数：42件\n"
    text = CASE1.replace(row, figures + row[7:], 1)
    rec = _read(text)
    assert rec["warnings"] == []
    figures = {(m["label"], m["value"]) for m in rec["metrics"]}
    assert {("参加者数", 386), ("相談件数", 42)} <= figures, rec["metrics"]


def _replace_partner_cell(text: str, cell: str) -> str:
    lines = text.split("\n")
    index = next(i for i, raw in enumerate(lines) if raw.startswith("連携した団体"))
    label = lines[index].split("\t", 1)[0]
    lines[index : index + 1] = [f"{label}\t{cell}"]
    return "\n".join(lines)


def test_a_cell_written_as_name_role_lines_keeps_every_line() -> None:
    """``name：role`` on the first line of a cell, then more such lines: one list, one cell."""
    cell = ("特定非営利活動法人みどりの家：会場の提供、広報への協力\n"
            "市立中央病院：退院後の相談先の紹介\n"
            "地区の自治会や民生委員：見守りが必要な世帯の情報共有")
    rec = _read(_replace_partner_cell(CASE1, cell))
    assert rec["partners_text"] is not None
    for line in cell.split("\n"):
        assert line in rec["partners_text"]
    assert not [w for w in rec["warnings"] if "unknown row label" in w["message"]]


def test_a_label_line_after_prose_in_a_cell_is_still_unparsed() -> None:
    cell = "市内の小学校と公民館の協力を得て、毎月の会を開いた。"
    text = _replace_partner_cell(CASE1, cell)
    text, line = _insert_after(text, "連携した団体", "備考：詳細は別紙")
    rec = _read(text)
    assert "備考" not in (rec["partners_text"] or "")
    _assert_kept(rec, line, "詳細は別紙")
