"""The reader's fast paths give exactly what the plain formulations they replace give.

Normalisation settles with cheap tests instead of a confirming pass, squash() skips its ASCII
regexes on text without an ASCII letter or digit before a gap, and ★/☆ rows are cut by one regex.
Each is checked here against the plain version, written out in the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.reader import casebook
from graph.text import normalize
from graph.text.normalize import key, nfkc
from graph.text.vocab import activity_groups, activity_types, label_index, target_groups

_WS = r"[ \t\u3000\u00a0\u2002-\u200b]"
_WS_RUN = re.compile(_WS + "+")
_SPACED = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z]" + _WS + r"+){1,}[A-Za-z](?![A-Za-z0-9])")
_GAP = re.compile(r"(?<=[A-Za-z0-9])" + _WS + r"+(?=[A-Za-z0-9])")


def plain_squash(text: str) -> str:
    if not _WS_RUN.search(text):
        return text
    text = _SPACED.sub(lambda m: _WS_RUN.sub("", m.group(0)), text)
    return _WS_RUN.sub("", _GAP.sub("\x00", text)).replace("\x00", " ")


def plain_fixed_point(step: Callable[[str], str], text: str) -> str:
    for _ in range(4):
        new = step(text)
        if new == text:
            break
        text = new
    return text


# Text where the shortcuts matter: ASCII words and spaced letters, every layout space,
# compatibility and combining characters, entities, tags, NUL (squash's placeholder).
PIECES = ["N P O", "a b", "x1 y", " 2 ", "ab", "Z", "1", " ", "  ", "\t", "\u3000", "\u00a0",
          "\u2003", "\u200b", "\n", "\r", "\x00", "&amp;", "&lt;b&gt;", "&nbsp;", "<p>", "</li>",
          "・", "①", "´", "\u0301", "ｶﾞ", "ア", "\u3099", "：", "団体", "法人"]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=25).map("".join) | st.text(max_size=30)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_squash_equals_the_plain_regexes(text: str) -> None:
    assert normalize.squash(text) == plain_squash(text)
    assert normalize._resquash(text) == plain_squash(text)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_settling_equals_the_plain_fixed_point(text: str) -> None:
    assert normalize._settle_name(text) == plain_fixed_point(normalize._norm_name_once, text)
    assert normalize.norm_name(text) == plain_fixed_point(normalize._norm_name_once, text)
    prose_step = lambda t: plain_squash(nfkc(t))  # noqa: E731
    assert normalize._settle_prose(text) == plain_fixed_point(prose_step, text)


def plain_read_table(rows: list[tuple[int, str]], terms: Any, field_name: str) -> Any:
    """The ★/☆ table reader as it was: a loop over characters (warnings in order)."""
    out = casebook._Out("t.txt")
    index = label_index(terms)
    group_keys = [key(g.ja) for g in activity_groups()]
    labels = sorted(index, key=len, reverse=True)
    primary: list[str] = []
    secondary: list[str] = []
    seen: set[str] = set()
    mark: tuple[str, int] | None = None
    for lineno, raw in rows:
        text = key(raw)
        junk = ""
        i = 0
        while i < len(text):
            char = text[i]
            if char in "★☆":
                if mark is not None:
                    out.warn(lineno, field_name, f"{char}: the previous mark has no item")
                mark = ("primary" if char == "★" else "secondary", lineno)
                i += 1
                continue
            group = re.match(r"\d+\.?", text[i:])
            skip = group.end() if group else 0
            hit = next((g for g in group_keys if text.startswith(g, i + skip)), None)
            if hit:
                i += skip + len(hit)
                continue
            hit = next((lab for lab in labels if text.startswith(lab, i)), None)
            if hit is None:
                junk += char
                i += 1
                continue
            if junk:
                out.warn(lineno, field_name, f"unknown item in table: {junk}", junk)
                junk = ""
            term = index[hit]
            i += len(hit)
            if mark is not None:
                if term.ja in seen:
                    out.warn(lineno, field_name, f"{term.ja} marked twice")
                else:
                    (primary if mark[0] == "primary" else secondary).append(term.ja)
                    seen.add(term.ja)
                mark = None
        if junk:
            out.warn(lineno, field_name, f"unknown item in table: {junk}", junk)
    if mark is not None:
        out.warn(mark[1], field_name, "a ★/☆ mark at the end of the table marks no item")
    order = {t.ja: n for n, t in enumerate(terms)}
    result = sorted(primary, key=order.__getitem__), sorted(secondary, key=order.__getitem__)
    return result, out.warnings, out.unparsed


def _table_pieces() -> list[str]:
    words = [t.ja for t in (*activity_types(), *target_groups())]
    groups = [g.ja for g in activity_groups()]
    return [*words, *groups, *(f"{n}. {g}" for n, g in enumerate(groups, 1)), "★", "☆", "\t",
            " ", "1", "2.", "3)", "x", "支援", "・", "づくり", "の"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(["取組の種類", "取組の対象"]),
    st.lists(st.lists(st.sampled_from(_table_pieces()), max_size=8).map("".join), max_size=5),
)
def test_table_rows_read_as_by_the_character_loop(section: str, lines: list[str]) -> None:
    rows = list(enumerate(lines, 10))
    table = casebook._table_reader(section)
    out = casebook._Out("t.txt")
    got = casebook._read_table(rows, table, "f", out)
    assert (got, out.warnings, out.unparsed) == plain_read_table(rows, table.terms, "f")


def plain_split(text: str) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """Cases as the reader cut them from a list of all lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def opens(i: int) -> bool:
        before = [line for line in lines[max(0, i - 5) : i] if line.strip()]
        if key(before[-1] if before else "") != "団体概要":
            return True
        following = [line for line in lines[i + 1 : i + 30] if line.strip()][:6]
        return any(re.match(r"^(取組地域|取組名)", key(line[:20])) for line in following)

    starts = [i for i, line in enumerate(lines) if casebook._HEADER.match(line) and opens(i)]
    cases = []
    for n, start in enumerate(starts):
        body = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        while body and not body[-1].strip():
            body.pop()
        cases.append((start + 1, body))
    return cases, [(i + 1, lines[i]) for i in range(starts[0]) if lines[i].strip()]


def test_cases_are_cut_as_from_a_list_of_lines() -> None:
    from tests.repo import EMBEDDED

    text = EMBEDDED.read_text(encoding="utf-8")
    profile = text.index("団体概要\n") + len("団体概要\n")
    variants = [
        text,
        "前書き\n\n  \n" + text,
        text.replace("\n", "\r\n"),
        text.replace("\n", "\r") + "\n\n\n",
        # a 団体概要 table written with colons: its 団体名 row opens no case
        text[:profile] + "\n団体名：NPO法人 つづき\n代表者：増田 三枝子\n" + text[profile:],
        text[:profile] + "団体名：NPO法人 つづき\n取組地域：東京都\n" + text[profile:],
    ]
    for variant in variants:
        normal, spans, preamble = casebook.split_cases(variant, "x.txt")
        cases = [(line, casebook.case_lines(normal, a, b)) for line, a, b in spans]
        assert (cases, preamble) == plain_split(variant)


def test_section_titles_need_a_kumi_or_gai() -> None:
    """A line is keyed for its section title only when it holds 組, 概 or &: every title holds
    組 or 概, and no other character has either in its NFKC form."""
    import sys
    import unicodedata

    found = re.search(r"\(([^()]*団体概要)\)", casebook._SECTION.pattern)
    assert found is not None
    titles = found.group(1).split("|")
    assert len(titles) == 6 and all({"組", "概"} & set(title) for title in titles)
    holding = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and {"組", "概"} & set(unicodedata.normalize("NFKC", chr(c)))
    ]
    assert holding == ["概", "組"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["東京都", "京都府", "京都", "北海道", "神奈川県", "和歌山県",
                                 "鹿児島", "県", "都", "府", "道", "市", "x", "大阪府"]),
                max_size=4).map("".join))  # fmt: skip
def test_prefectures_found_as_by_the_loop(text: str) -> None:
    from graph.text.places import gazetteer

    gaz = gazetteer()
    plain = next(((p, len(p.name)) for p in gaz.prefectures.values() if text.startswith(p.name)),
                 None)  # fmt: skip
    found = gaz._match_at(text, None)
    assert (found if found is not None and found[0].kind == "prefecture" else None) == plain
