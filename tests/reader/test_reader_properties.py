"""Property tests: layout noise of the kind PDF extraction makes does not change the records."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.reader.casebook import read_casebook_text
from graph.text.normalize import norm_name, norm_prose
from tests.repo import CASEBOOK_DIR

TEXT = (CASEBOOK_DIR / "kanto-2024-part1.txt").read_text(encoding="utf-8")
# Between two kana/kanji; not after "・", where a space makes a list bullet.
CJK = re.compile(r"(?<=[\u3040-\u30fa\u30fc-\u30ff\u4e00-\u9fff])(?=[\u3040-\u30ff\u4e00-\u9fff])")
# Raw text and positions legitimately change with layout; everything else must not.
LAYOUT_KEYS = {"case_id", "source", "partners_text", "unparsed", "warnings"}


def _read(text: str, stem: str = "x") -> list[dict[str, Any]]:
    return read_casebook_text(text, "x.txt", stem)[0]


def _content(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in LAYOUT_KEYS} for r in records]


BASELINE = _content(_read(TEXT))


def _cases(text: str) -> list[str]:
    starts = [m.start() for m in re.finditer(r"^団\s*体\s*名\s*[:：]", text, re.M)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


@st.composite
def noisy(draw: st.DrawFn) -> str:
    """The embedded text with random layout noise."""
    text = TEXT
    if draw(st.booleans()):
        text = text.replace("：", ":") if draw(st.booleans()) else text.replace(":", "：")
    if draw(st.booleans()):
        text = re.sub(
            r"^(団体名|取組地域|取組名)", lambda m: " ".join(m.group(1)), text, flags=re.M
        )
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, draw(st.sampled_from(["", " ", "\t", "\u3000"])))
    if draw(st.booleans()):  # split words with stray spaces, as "中高 年者"
        for _ in range(draw(st.integers(1, 20))):
            i = draw(st.integers(0, len(lines) - 1))
            spots = [m.start() for m in CJK.finditer(lines[i])]
            if spots:
                pos = draw(st.sampled_from(spots))
                lines[i] = lines[i][:pos] + draw(st.sampled_from([" ", "\u3000"])) + lines[i][pos:]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@settings(max_examples=40, deadline=None)
@given(noisy())
def test_layout_noise_keeps_records(text: str) -> None:
    text = text.removeprefix("\ufeff")  # the file decoder strips a BOM; tested below
    got = _content(_read(text))
    pairs = enumerate(zip(BASELINE, got, strict=False))
    diff = [(n, k, b[k], g.get(k)) for n, (b, g) in pairs for k in b if g.get(k) != b[k]]
    assert len(got) == len(BASELINE) and not diff


@settings(max_examples=20, deadline=None)
@given(st.permutations(range(11)))
def test_reordered_cases(order: list[int]) -> None:
    cases = _cases(TEXT)
    records = _content(_read("".join(cases[i] for i in order)))
    assert records == [BASELINE[i] for i in order]


def test_two_files_concatenated() -> None:
    assert _content(_read(TEXT + "\n" + TEXT)) == BASELINE + BASELINE


def test_bom_and_crlf_file(tmp_path: Any) -> None:
    from graph.reader.casebook import read_casebooks

    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert _content(read_casebooks([path]).records) == BASELINE


@given(st.text())
def test_normalising_twice_equals_once(text: str) -> None:
    once = norm_name(text)
    assert norm_name(once) == once


@given(st.text())
def test_prose_normalisation_is_idempotent(text: str) -> None:
    once = norm_prose(text)
    assert once is None or norm_prose(once) == once


def test_line_numbers_follow_the_file() -> None:
    records = _read("\n\n" + TEXT)
    assert [r["source"]["line_start"] for r in records][:3] == [5, 90, 142]


def test_long_header_value_is_read() -> None:
    title = "孤独・孤立" * 30
    text = TEXT.replace("取組名：地域密着型サードプレイスによる一体的支援事業", f"取組名：{title}")
    assert _read(text)[0]["initiative_title"] == title


def test_section_titles_with_a_legend() -> None:
    legend = "取組の種類（★：主な取組、☆：その他の取組）\n★：主　☆：副\n"
    text = TEXT.replace("取組の種類\n", legend)
    assert _content(_read(text)) == BASELINE
