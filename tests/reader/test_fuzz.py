"""Fuzz: a real case of the embedded chapter, mutated the way damaged extractions and hostile
files are (issue 12): deleted, duplicated and swapped lines, combining marks, RTL and
zero-width characters, compatibility colons, full-width digits, stray ★/☆, a cut at a byte.

Whatever the damage: no exception but a ``file:line`` CasebookError escapes the reader, every
case header yields a record, and the cases around the damaged one read as before.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.reader.casebook import CasebookError, read_file
from graph.text.normalize import key
from tests.repo import EMBEDDED

TEXT = EMBEDDED.read_text(encoding="utf-8")
# A case header, as the README defines it: a 団体名 label with a colon at the start of a line
# (spaces allowed between its characters), unless it is the first row of a 団体概要 table:
# right after that title and not followed by 取組地域 / 取組名 as a header is.
HEADER = re.compile(r"^[ \t\u3000]*団[ \t\u3000]*体[ \t\u3000]*名[ \t\u3000]*[:：\ufe55\ufe13]")
STARTS = [m.start() for m in re.finditer(HEADER.pattern, TEXT, re.M)]
CASES = [TEXT[a:b] for a, b in zip(STARTS, [*STARTS[1:], len(TEXT)], strict=True)]
PREAMBLE = TEXT[: STARTS[0]]
assert len(CASES) == 11

NOISE = (
    "\u0301", "\u3099", "\u20dd",  # combining marks
    "\u202e", "\u202b", "\u200f", "\u0627\u0644", "\u05d0",  # RTL overrides, marks, letters
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060",  # zero-width
    "\ufe55", "\ufe13", "：", ":",  # colons, compatibility forms included
    "０", "１", "２０２４", "３",  # full-width digits
    "★", "☆", "\t", " ", "\u3000", "\r",
)  # fmt: skip
# Raw positions and warnings legitimately move with the damage; the fields must not.
LAYOUT = {"case_id", "source", "warnings", "unparsed"}


def _read(data: bytes) -> list[dict[str, Any]]:
    return read_file(data, "f.txt", "f")[0]


BASELINE = _read(TEXT.encode())


def _fields(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k not in LAYOUT}


@st.composite
def damaged(draw: st.DrawFn) -> tuple[int, str, int | None]:
    """(which case, its damaged text, a byte to cut the whole file at or None)."""
    index = draw(st.integers(0, len(CASES) - 1))
    lines = CASES[index].rstrip("\n").split("\n")
    for _ in range(draw(st.integers(1, 10))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "noise", "noise", "mark",
                                   "colon"]))  # fmt: skip
        # Half the colons go to the header block, where a label opens the case.
        head = op == "colon" and draw(st.booleans())
        i = draw(st.integers(0, min(len(lines), 7 if head else len(lines)) - 1))
        separator = re.search("[:：\t]", lines[i])
        if op == "colon" and separator:  # the label's colon or tab in another form
            at = separator.start()
            colon = draw(st.sampled_from(["\ufe55", "\ufe13", "：", ":", "\t", " ："]))
            lines[i] = lines[i][:at] + colon + lines[i][at + 1 :]
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            pos = draw(st.integers(0, len(lines[i])))
            if op == "mark":
                piece = draw(st.sampled_from(["★", "☆", "★\t", "☆ ☆"]))
            else:
                piece = draw(st.one_of(st.sampled_from(NOISE),
                                       st.text(min_size=1, max_size=3)))  # fmt: skip
            lines[i] = lines[i][:pos] + piece + lines[i][pos:]
    case = "\n".join(lines) + "\n\n"
    cut = None
    if draw(st.integers(0, 4)) == 0:  # the file ends inside the damaged case, at any byte
        before = len((PREAMBLE + "".join(CASES[:index])).encode())
        cut = before + draw(st.integers(1, len(case.encode())))
    return index, case, cut


def _headers(text: str) -> list[int]:
    """Line numbers of case headers, by the definition above (not by the reader's code)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = []
    for n, line in enumerate(lines):
        if not HEADER.match(line):
            continue
        previous = next((p for p in reversed(lines[max(0, n - 5) : n]) if p.strip()), "")
        following = [key(p[:20]) for p in lines[n + 1 : n + 30] if p.strip()][:6]
        if key(previous) == "団体概要" and not any(
            p.startswith(("取組地域", "取組名")) for p in following
        ):
            continue  # the first row of a profile table written with colons
        found.append(n + 1)
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_case(sample: tuple[int, str, int | None]) -> None:
    index, case, cut = sample
    text = PREAMBLE + "".join(CASES[:index]) + case + "".join(CASES[index + 1 :])
    data = text.encode()
    if cut is not None:
        data = data[:cut]
    try:
        records = _read(data)
    except CasebookError as exc:  # the whole file refused: only with a file and a line
        assert re.fullmatch(r"f\.txt:\d+: .+", str(exc), re.S), str(exc)
        assert exc.line >= 1
        return
    shown = data.decode("utf-8", errors="ignore")
    starts = _headers(shown)
    # Every header yields a record, in order, starting at that line …
    assert [r["source"]["line_start"] for r in records] == starts
    for rec in records:
        assert all(w["file"] == "f.txt" and w["line"] >= 1 for w in rec["warnings"])
        assert all(u["file"] == "f.txt" and u["line"] >= 1 for u in rec["unparsed"])
    # … the cases before the damaged one read the same (when it still opens with a header) …
    lines_before = (PREAMBLE + "".join(CASES[:index])).count("\n") + 1
    if HEADER.match(case) and lines_before in starts:
        assert records[:index] == BASELINE[:index]
    # … and so do the cases after it, but for their positions in the file.
    after = len(CASES) - index - 1
    if cut is None and after:
        assert [_fields(r) for r in records[-after:]] == [_fields(r) for r in BASELINE[-after:]]


def test_the_fuzz_definition_of_a_header_agrees_with_the_intact_file() -> None:
    assert _headers(TEXT) == [r["source"]["line_start"] for r in BASELINE]
