"""Casebook reader: PDF-extracted casebook text → one record per case.

Every case header (``団体名：``) yields a record; what cannot be read becomes a warning with
file and line, and the raw text is kept in the record's ``unparsed`` list.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from graph.errors import InputError
from graph.parallel import fork_map
from graph.reader import profile
from graph.reader.metrics import extract_metrics
from graph.text.normalize import key, nfkc, norm_name, norm_prose
from graph.text.places import gazetteer
from graph.text.vocab import Term, activity_groups, activity_types, label_index, target_groups

_HEADER = re.compile(r"^[ \t\u3000]*団[ \t\u3000]*体[ \t\u3000]*名[ \t\u3000]*[:：\ufe55\ufe13]")
_SECTION = re.compile(
    r"^(?:\(\d+\)|\d+[.)])?(取組の種類|取組の対象|取組の内容|取組の成果|取組の様子|団体概要)"
    r"(?:\([^()]*\))?$"
)
_LEGEND = re.compile(r"[★☆][:=]")
# Every section title holds 組 or 概, and no character but 組 and 概 themselves has either in
# its NFKC form (tests/reader/test_fast_paths.py checks all of Unicode); an entity (&#32068;)
# could write them. A line without any of the three is not a section title: no key needed.
_MAY_BE_SECTION = re.compile("[組概&]")
_HEAD_FIELDS = {"団体名": "org", "取組地域": "region", "取組名": "title"}
_MARKS = {"★": "primary", "☆": "secondary"}
# Characters that NFKC turns into a colon (：, ﹕ U+FE55, ︓ U+FE13, :); labels are matched
# on NFKC text, so the raw line is split at the first of these, never at a position of the
# NFKC text.
_COLON = re.compile("[:\uff1a\ufe55\ufe13]")
# A row label: 1–12 letters (kana, kanji, Latin), possibly joined by ・ - / &, and no digit,
# so that times (10:00), counts (第1回：) and URLs (https://) are not taken for labels.
_LABEL_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[・\-/&]){0,11}")
# Where a section's title shows in the warnings of its lines.
_SECTION_FIELDS = {"head": "header", "取組の種類": "activity", "取組の対象": "target",
                   "取組の様子": "scenes"}  # fmt: skip


class CasebookError(InputError):
    """Input that cannot be used at all: names the file and line."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass
class ReadResult:
    """Records of all inputs, with what the reader had to say about them."""

    records: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # encodings, duplicates, stray text

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """All per-field warnings of all records."""
        return [w for r in self.records for w in r["warnings"]]


@dataclass
class _Cell:
    label: str
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Case:
    """The lines of one case, split into header fields, tables, rows and free text."""

    file: str
    start: int
    lines: list[str]
    head: dict[str, _Cell] = field(default_factory=dict)
    tables: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    rows: dict[str, list[_Cell]] = field(default_factory=dict)
    scenes: list[str] = field(default_factory=list)
    sections: dict[str, int] = field(default_factory=dict)
    stray: list[tuple[int, str]] = field(default_factory=list)
    # Label lines no field takes, with the section they stand in and why they are not read.
    unknown: list[tuple[str, _Cell, str]] = field(default_factory=list)
    truncated: int | None = None  # the line where the case seems cut off


# ---------------------------------------------------------------------------- decoding


def decode_casebook(data: bytes, file: str) -> tuple[str, str | None]:
    """Bytes → text; returns the text and a notice when it was not UTF-8."""
    if not data.strip():
        raise CasebookError(file, 1, "empty file: no casebook text")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CasebookError(file, line, "binary file (NUL bytes): not casebook text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.reason == "unexpected end of data":
        try:  # only the last character is cut: a file truncated at a byte, not another encoding
            text = data[: utf8_error.start].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            line = text.count("\n") + 1
            return text, f"{file}:{line}: the file ends inside a character: it may be truncated"
    for encoding in ("cp932", "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
            return text, f"{file}: not UTF-8; decoded as {encoding.upper()}"
    line = data[: utf8_error.start].count(b"\n") + 1
    raise CasebookError(
        file, line, f"not UTF-8 text (byte 0x{data[utf8_error.start]:02x}) and not CP932/EUC-JP"
    )


# ---------------------------------------------------------------------------- splitting


# The header at the start of any line of the whole text (lines end at "\n" once \r is gone).
_HEADER_LINE = re.compile(_HEADER.pattern, re.M)


def split_cases(
    text: str, file: str
) -> tuple[str, list[tuple[int, int, int]], list[tuple[int, str]]]:
    """Find the cases of a text: one regex over the whole text, no list of its lines.

    Returns the text with ``\n`` line ends, each case as (first line number, start and end
    offset in that text), and the non-blank lines before the first case with their numbers.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts: list[tuple[int, int]] = []
    lineno, counted = 1, 0
    for found in _HEADER_LINE.finditer(text):
        pos = found.start()
        lineno += text.count("\n", counted, pos)
        counted = pos
        if _opens_case(text, pos):
            starts.append((lineno, pos))
    if not starts:
        raise CasebookError(file, 1, "no case header (団体名：…) found: not a casebook chapter")
    first = starts[0][1]
    head = text[: first - 1].split("\n") if first else []
    preamble = [(n, line) for n, line in enumerate(head, 1) if line.strip()]
    spans = [
        (line, pos, starts[n + 1][1] - 1 if n + 1 < len(starts) else len(text))
        for n, (line, pos) in enumerate(starts)
    ]
    return text, spans, preamble


def case_lines(text: str, start: int, end: int) -> list[str]:
    """The lines of one case span, without the blank lines at its end."""
    body = text[start:end].split("\n")
    while body and not body[-1].strip():
        body.pop()
    return body


def _lines_before(text: str, pos: int, count: int) -> list[str]:
    """Up to ``count`` lines before the line that starts at ``pos``, in text order."""
    found: list[str] = []
    end = pos - 1  # the "\n" that ends the line before
    while len(found) < count and end >= 0:
        start = text.rfind("\n", 0, end) + 1
        found.append(text[start:end])
        end = start - 1
    return found[::-1]


def _lines_after(text: str, pos: int, count: int) -> list[str]:
    """Up to ``count`` lines after the line that starts at ``pos``."""
    found: list[str] = []
    newline = text.find("\n", pos)
    while len(found) < count and newline >= 0:
        following = text.find("\n", newline + 1)
        found.append(text[newline + 1 : following if following >= 0 else len(text)])
        newline = following
    return found


def _opens_case(text: str, pos: int) -> bool:
    """Whether the ``団体名：`` line at ``pos`` opens a case rather than being the first row of
    団体概要.

    A 団体概要 table written with colons (``団体名：…``, ``代表者：…``) directly follows its
    title and is not followed by 取組地域 / 取組名, as a case header is.
    """
    previous = next((line for line in reversed(_lines_before(text, pos, 5)) if line.strip()), "")
    if key(previous) != "団体概要":
        return True
    following = [line for line in _lines_after(text, pos, 29) if line.strip()][:6]
    return any(_HEAD_START.match(key(line[:20])) for line in following)


_HEAD_START = re.compile(r"^(取組地域|取組名)")


def _scan_case(file: str, start: int, lines: list[str]) -> _Case:
    case = _Case(file, start, lines)
    section = "head"
    last_cell: _Cell | None = None
    last_line = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), 0)
    for offset, raw in enumerate(lines):
        lineno = start + offset
        if not raw.strip():
            continue
        # Section titles and header labels are short; prose lines need no key. The key is
        # made only where it is read: a prose row is normalised once, as its field.
        head = raw if len(raw) < 80 else raw[:40]
        k = key(head) if _MAY_BE_SECTION.search(head) else None
        found = _SECTION.match(k) if k is not None else None
        if found:
            section = found.group(1)
            case.sections[section] = lineno
            last_cell = None
            continue
        if section in ("取組の種類", "取組の対象"):
            k = key(head) if k is None else k
            if _LEGEND.search(k):
                continue  # "★:主な取組 ☆:その他" explains the marks
        labelled = _labelled(raw, tabs=section not in _SECTION_FIELDS or section == "head")
        known = _HEAD_FIELDS if section == "head" else _row_labels(section)
        if labelled is None and section != "取組の様子":
            k = key(head) if k is None else k
            fragment = _label_fragment(k, known)
            if fragment:
                # A label cut short (the case ends, or the extraction broke it): never glued
                # onto the field before it.
                last_cell = _Cell(fragment, lineno, [raw])
                case.unknown.append((section, last_cell, f"truncated row label {fragment}"))
                if offset == last_line:
                    case.truncated = lineno
                continue
        if labelled is not None and section in _SECTION_FIELDS:
            label, value = labelled
            if section == "head" and label in _HEAD_FIELDS:
                last_cell = _Cell(label, lineno, [value])
                case.head[_HEAD_FIELDS[label]] = last_cell
            else:
                last_cell = _Cell(label, lineno, [value])
                case.unknown.append((section, last_cell, f"unknown row label {label}"))
        elif section == "head":
            if last_cell is not None:
                last_cell.lines.append(raw)
            else:
                case.stray.append((lineno, raw))
        elif section in ("取組の種類", "取組の対象"):
            case.tables.setdefault(section, []).append((lineno, raw))
        elif section == "取組の様子":
            case.scenes.append(raw)
        else:
            if labelled is not None and (
                _is_quantity_line(labelled, last_cell, raw)
                or _continues_entries(labelled, last_cell, raw, case.rows.get(section, []), known)
            ):
                labelled = None  # part of the cell above it, not a row of the table
            row_label, value = labelled if labelled is not None else _split_row(raw, section)
            if row_label is not None:
                last_cell = _Cell(row_label, lineno, [value])
                case.rows.setdefault(section, []).append(last_cell)
                if offset == last_line and not value.strip():
                    case.truncated = lineno  # a row label with nothing after it, at the end
            elif last_cell is not None:
                last_cell.lines.append(raw)
            else:
                case.stray.append((lineno, raw))
    return case


def _labelled(raw: str, tabs: bool = True) -> tuple[str, str] | None:
    """``label：value`` (any colon NFKC makes ``:``) or, with ``tabs``, ``label<TAB>value``.

    Returns the label's key and the raw value; None for a line that is not labelled. A colon
    before the first tab wins, so ``取組名：A<TAB>B`` is 取組名 with the value ``A<TAB>B``.
    """
    found = _COLON.search(raw, 0, 60)
    colon = found.start() if found else -1
    tab = raw.find("\t")
    if colon >= 0 and (tab < 0 or colon < tab):
        label = key(raw[:colon])
        if _LABEL_WORD.fullmatch(label) and not raw.startswith("//", colon + 1):
            return label, raw[colon + 1 :]
    if tabs and tab >= 0:
        label = key(raw[:tab])
        if label:
            return label, raw[tab + 1 :]
    return None


_QUANTITY_VALUE = re.compile(r"\s*(?:約|およそ|延べ|のべ|計|合計|平均|月平均|年間)?\s*\d")


def _is_quantity_line(labelled: tuple[str, str], last: _Cell | None, raw: str) -> bool:
    """A ``label：<number>`` line (no tab) right under an outcome row: one of its figures,
    written on a line of its own, not a row of the table."""
    return (last is not None and _is_outcome_label(last.label) and "\t" not in raw
            and _QUANTITY_VALUE.match(nfkc(labelled[1])) is not None)  # fmt: skip


_ENTRY = re.compile(r"^[^。:：﹕︓]{1,40}[:：﹕︓](?!//)")


def _continues_entries(
    labelled: tuple[str, str],
    last: _Cell | None,
    raw: str,
    rows: list[_Cell],
    known: Iterable[str],
) -> bool:
    """A ``name：description`` line (no tab) under a known row whose last line is itself such
    an entry: the next item of a list the cell is written in (``富山赤十字病院：…`` under
    ``連携した団体<TAB>A：…``), not a row of its own. A label line after prose stays unparsed."""
    return (
        last is not None
        and "\t" not in raw
        and labelled[0] not in known  # a row label of the section starts a row
        and any(last is row for row in rows)  # a row the reader knows, not an unknown label
        and _ENTRY.match(nfkc(last.lines[-1]).strip()) is not None
    )


def _label_fragment(k: str, known: Iterable[str]) -> str | None:
    """A line that is only the start of a known label (``設立年`` of 設立年月日), or None."""
    if len(k) < 2 or len(k) > 12 or k in known:
        return None
    for label in known:
        if len(label) > len(k) and label.startswith(k):
            return k
    return None


_CONTENT_LABELS = {"目的": "purpose", "対象とした人": "audience", "対象者": "audience",
                   "内容": "content", "取組内容": "content"}  # fmt: skip
_OUTCOME_LABELS = ("連携した団体", "協力いただいた団体", "対象とした人とつながるために行った工夫",
                   "定性的な成果", "定量的な成果", "成果")  # fmt: skip


def _label_patterns(labels: Iterable[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Longest first, spaces allowed inside the label, then a space or a colon before the value.
    ws = r"[ \t\u3000]*"
    return tuple(
        (label, re.compile(ws + ws.join(map(re.escape, label)) + r"(?:[ \t\u3000]+|[:：])"))
        for label in sorted(labels, key=len, reverse=True)
    )


_ROW_FIELDS = {"取組の内容": "content", "取組の成果": "outcomes", "団体概要": "profile"}
_ROW_LABELS = {
    "取組の内容": _label_patterns(_CONTENT_LABELS),
    "取組の成果": _label_patterns(_OUTCOME_LABELS),
    "団体概要": _label_patterns(profile.PROFILE_LABELS),
}


@cache
def _row_labels(section: str) -> tuple[str, ...]:
    return tuple(label for label, _ in _ROW_LABELS.get(section, ()))


def _split_row(raw: str, section: str) -> tuple[str | None, str]:
    """A row of a line that :func:`_labelled` did not split: without a tab or a colon, a
    known label may start the line, followed by a space; anything else continues a row."""
    if "\t" in raw:
        return None, raw.split("\t", 1)[1]
    k = key(raw)
    for label, pattern in _ROW_LABELS.get(section, ()):
        if k == label:
            return label, ""
        found = pattern.match(raw)
        if found:
            return label, raw[found.end() :]
    return None, raw


# ---------------------------------------------------------------------------- fields


class _Out:
    """Collects warnings and unparsed text for one record."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.warnings: list[dict[str, Any]] = []
        self.unparsed: list[dict[str, Any]] = []

    def warn(self, line: int, field_name: str, message: str, text: str | None = None) -> None:
        self.warnings.append(
            {"file": self.file, "line": line, "field": field_name, "message": message}
        )
        if text is not None and text.strip():
            self.unparsed.append(
                {"file": self.file, "line": line, "field": field_name, "text": text}
            )


class _TableReader:
    """Reads the rows of one ★/☆ table vocabulary: each row's key cut once into marks, items
    and unknown text by one regex (rows repeat from case to case, so the cuts are memoised)."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = terms
        self.index = label_index(terms)
        group_keys = [key(g.ja) for g in activity_groups()]
        # A group heading may follow its number ("1.つながりの場づくり"); a heading never starts
        # with a digit or a dot, so the number is never read back into it.
        assert all(g and not g[0].isdigit() and g[0] != "." for g in group_keys)
        labels = sorted(self.index, key=len, reverse=True)  # the longest item at a position wins
        self.token = re.compile(
            "(?P<mark>[★☆])|(?P<group>(?>\\d+\\.?)?(?:"
            + "|".join(map(re.escape, group_keys))
            + "))|(?P<label>"
            + "|".join(map(re.escape, labels))
            + ")"
        )
        self.order = {t.ja: n for n, t in enumerate(terms)}
        self.memo: dict[str, tuple[tuple[str, Any], ...]] = {}

    def tokens(self, text: str) -> tuple[tuple[str, Any], ...]:
        """``("mark", ★|☆)``, ``("junk", text)`` and ``("term", Term)`` in reading order;
        unknown text is given just before the item that ends it, or at the end of the row."""
        found = self.memo.get(text)
        if found is not None:
            return found
        events: list[tuple[str, Any]] = []
        junk: list[str] = []
        i = 0
        while True:
            match = self.token.search(text, i)
            if match is None:
                junk.append(text[i:])
                break
            junk.append(text[i : match.start()])
            i = match.end()
            if match.lastgroup == "mark":
                events.append(("mark", match.group()))
            elif match.lastgroup == "label":
                if any(junk):
                    events.append(("junk", "".join(junk)))
                junk = []
                events.append(("term", self.index[match.group()]))
        if any(junk):
            events.append(("junk", "".join(junk)))
        result = tuple(events)
        if len(self.memo) < 1 << 14:
            self.memo[text] = result
        return result


_TABLE_TERMS = {"取組の種類": activity_types, "取組の対象": target_groups}


@cache
def _table_reader(section: str) -> _TableReader:
    return _TableReader(_TABLE_TERMS[section]())


def _read_table(
    rows: list[tuple[int, str]], table: _TableReader, field_name: str, out: _Out
) -> tuple[list[str], list[str]]:
    """★/☆ tables: a mark applies to the next item; layout whitespace is ignored."""
    primary: list[str] = []
    secondary: list[str] = []
    seen: set[str] = set()
    mark: tuple[str, int] | None = None
    for lineno, raw in rows:
        for kind, value in table.tokens(key(raw)):
            if kind == "mark":
                if mark is not None:
                    out.warn(lineno, field_name, f"{value}: the previous mark has no item")
                mark = (_MARKS[value], lineno)
            elif kind == "junk":
                out.warn(lineno, field_name, f"unknown item in table: {value}", value)
            elif mark is not None:
                term = value
                if term.ja in seen:
                    out.warn(lineno, field_name, f"{term.ja} marked twice")
                else:
                    (primary if mark[0] == "primary" else secondary).append(term.ja)
                    seen.add(term.ja)
                mark = None
    if mark is not None:
        out.warn(mark[1], field_name, "a ★/☆ mark at the end of the table marks no item")
    order = table.order
    return sorted(primary, key=order.__getitem__), sorted(secondary, key=order.__getitem__)




def split_legal_form(name: str) -> tuple[str | None, str]:
    """``NPO法人クラブしっきーず`` → (``NPO法人``, ``クラブしっきーず``)."""
    from graph.text.vocab import legal_forms

    for term, prefixes in legal_forms():
        for prefix in prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                return term.ja, name[len(prefix) :]
    return None, name


_PAREN_NAME = re.compile(r"(.+?)\((.+)\)")
_QUOTED_NAME = re.compile(r"「(.+?)」")
_NOTE_EDGES = re.compile(r"^[\s、,・/]+|[\s、,・/]+$")


def _aliases(name: str, others: Iterable[str]) -> list[str]:
    found = {norm_name(o) for o in others if o}
    paren = _PAREN_NAME.fullmatch(name)
    if paren:
        found |= {paren.group(1), paren.group(2)}
    quoted = _QUOTED_NAME.search(name)
    if quoted and quoted.group(1) != name:
        found.add(quoted.group(1))
    return sorted(a for a in found if a and a != name)


def read_region(text: str) -> tuple[list[str], list[str], list[str], str | None]:
    """取組地域 → prefectures, municipalities, their codes, and the unplaced rest."""
    gaz = gazetteer()
    prefectures: list[str] = []
    municipalities: list[str] = []
    codes: list[str] = []
    rest: list[str] = []
    pref: str | None = None
    city: str | None = None  # a designated city, so that "横浜市港北区、青葉区" reads both wards
    i = 0
    while i < len(text):
        tail = text[i:]
        found = gaz.match_at(tail, pref)
        if found is None and city:
            ward = gaz.match_at(city + tail, pref)
            if ward and ward[0].kind == "ward":
                found = (ward[0], ward[1] - len(city))
        if found is None and pref is not None:
            found = gaz.match_at(tail)  # a municipality of another prefecture
        if found is None:
            rest.append(text[i])
            i += 1
            continue
        place, length = found
        rest.append(" ")
        if place.kind == "prefecture":
            pref, city = place.name, None
        else:
            pref = place.prefecture
            city = place.city or (place.name if gaz.has_wards(place.name) else None)
            if place.name not in municipalities:
                municipalities.append(place.name)
                codes.append(place.code)
        if place.prefecture not in prefectures:
            prefectures.append(place.prefecture)
        i += length
    note = _NOTE_EDGES.sub("", "".join(rest)).replace(" ", "")
    return prefectures, municipalities, codes, note or None


def _cells(case: _Case, section: str, match: Any) -> list[_Cell]:
    return [c for c in case.rows.get(section, []) if match(c.label)]


def _prose(cells: list[_Cell]) -> str | None:
    parts = [p for p in (norm_prose(c.text) for c in cells) if p]
    return "\n".join(parts) if parts else None


def _is_partner_label(label: str) -> bool:
    return "連携" in label or "協力" in label


def _is_outreach_label(label: str) -> bool:
    return "工夫" in label


def _is_outcome_label(label: str) -> bool:
    return "成果" in label and not _is_outreach_label(label)


def build_record(case: _Case, case_id: str) -> dict[str, Any]:
    """Turn the scanned lines of one case into a record."""
    out = _Out(case.file)
    rec: dict[str, Any] = {"case_id": case_id}
    last = case.start + len(case.lines) - 1
    rec["source"] = {"file": case.file, "line_start": case.start, "line_end": last}

    org_cell = case.head.get("org")
    header_name = norm_name(org_cell.text) if org_cell else ""
    form, org_name = split_legal_form(header_name)
    profile_cells: dict[str, _Cell] = {}
    for cell in case.rows.get("団体概要", []):
        earlier = profile_cells.get(cell.label)
        if earlier is not None:  # the later row is read; the earlier one is kept, not lost
            out.warn(earlier.line, "profile", f"row {cell.label} given twice; the later "
                     f"one (line {cell.line}) is read", earlier.text)  # fmt: skip
        profile_cells[cell.label] = cell
    profile_name_cell = profile_cells.get("団体名")
    profile_form, profile_name = split_legal_form(
        norm_name(profile_name_cell.text) if profile_name_cell else ""
    )
    if not org_name:
        org_name = profile_name
        out.warn(case.start, "org_name", "no 団体名 in the case header")
    rec["org_name"] = org_name
    rec["org_aliases"] = _aliases(org_name, [profile_name])
    rec["legal_form"] = form or profile_form or "任意団体"

    title = case.head.get("title")
    rec["initiative_title"] = norm_name(title.text) if title else None
    if title is None:
        out.warn(case.start, "initiative_title", "no 取組名 in the case header")

    region = case.head.get("region")
    region_text = norm_name(region.text) if region else ""
    prefs, munis, codes, note = read_region(region_text)
    rec.update(
        region_text=region_text or None,
        region_prefectures=prefs,
        region_municipalities=munis,
        region_municipality_codes=codes,
        region_note=note,
    )
    if region is None:
        out.warn(case.start, "region", "no 取組地域 in the case header")
    elif not prefs:
        out.warn(region.line, "region", f"no prefecture or municipality in 取組地域: {region_text}")

    for section, name in (("取組の種類", "activity"), ("取組の対象", "target")):
        rows = case.tables.get(section)
        if rows is None:
            out.warn(case.start, name, f"no {section} table in the case")
            rows = []
        primary, secondary = _read_table(rows, _table_reader(section), name, out)
        rec[f"{name}_primary"], rec[f"{name}_secondary"] = primary, secondary

    content = case.rows.get("取組の内容", [])
    for label, name in _CONTENT_LABELS.items():
        cells = [c for c in content if c.label == label]
        if cells:
            rec[name] = _prose(cells)
    for name in ("purpose", "audience", "content"):
        rec.setdefault(name, None)
    for cell in content:
        if cell.label not in _CONTENT_LABELS:
            out.warn(cell.line, "content", f"unknown row label {cell.label}", cell.text)

    outcome_rows = case.rows.get("取組の成果", [])
    partner_cells = [c for c in outcome_rows if _is_partner_label(c.label)]
    rec["partners_text"] = "\n".join(c.text for c in partner_cells) or None
    rec["outreach"] = _prose([c for c in outcome_rows if _is_outreach_label(c.label)])
    outcome_cells = [c for c in outcome_rows if _is_outcome_label(c.label)]
    rec["outcomes_text"] = _prose(outcome_cells)
    for cell in outcome_rows:
        if not any(
            f(cell.label) for f in (_is_partner_label, _is_outreach_label, _is_outcome_label)
        ):
            out.warn(cell.line, "outcomes", f"unknown row label {cell.label}", cell.text)
    rec["metrics"] = extract_metrics(rec["outcomes_text"] or "")
    rec["scenes_text"] = norm_prose("\n".join(case.scenes))

    profile_fields = profile.read_profile(profile_cells, out.warn)
    rec.update(profile_fields)

    for section in ("取組の種類", "取組の対象", "取組の内容", "取組の成果", "団体概要"):
        if section not in case.sections:
            out.warn(last, section, f"section {section} missing: the case may be truncated")
    _bound_names(rec, case, out)
    for lineno, raw in case.stray:
        out.warn(lineno, "layout", "text outside any field", raw)
    for section, cell, message in case.unknown:
        field_name = _SECTION_FIELDS.get(section, _ROW_FIELDS.get(section, "layout"))
        out.warn(cell.line, field_name, message, cell.text)
    if case.truncated is not None:
        out.warn(case.truncated, "layout", "the case ends inside a row: it may be truncated")
    rec["warnings"] = sorted(out.warnings, key=lambda w: w["line"])
    rec["unparsed"] = sorted(out.unparsed, key=lambda u: u["line"])
    rec["complete"] = case.truncated is None and all(
        s in case.sections for s in ("取組の成果", "団体概要")
    )
    _share(rec)
    return rec


# Short values that recur from case to case (places, counts written alike, metric labels and
# units, warning messages). One string object per distinct value: a pickled chunk of records
# keeps that sharing, so the records of a large corpus weigh less; the values stay as they are.
_SHARED_FIELDS = ("region_text", "region_note", "founded_text", "founded", "incorporated",
                  "staff_text", "representative", "address", "website")  # fmt: skip
_SHARED_LENGTH = 200


def _share(rec: dict[str, Any]) -> None:
    intern = sys.intern
    for name in _SHARED_FIELDS:
        value = rec[name]
        if value is not None and len(value) <= _SHARED_LENGTH:
            rec[name] = intern(value)
    for metric in rec["metrics"]:
        for name in ("label", "unit", "qualifier"):
            value = metric[name]
            if value is not None:
                metric[name] = intern(value)
    for warning in rec["warnings"]:
        warning["message"] = intern(warning["message"])


# Names and short values longer than this are a reading accident (a case glued into its
# header line), not a name: they are cut, with a warning and the whole text in unparsed, so
# that IRIs, labels and the network view stay usable. The longest name in the casebooks so far
# is under 60 characters.
MAX_NAME_LENGTH = 200
_NAME_FIELDS = {"org_name": "org", "initiative_title": "title", "region_text": "region",
                "representative": "representative", "founded_text": "founded",
                "staff_text": "staff", "address": "address", "website": "website"}  # fmt: skip


def _bound_names(rec: dict[str, Any], case: _Case, out: _Out) -> None:
    lines = {name: cell.line for name, cell in case.head.items()}
    for cell in case.rows.get("団体概要", []):
        lines.setdefault(profile.PROFILE_LABELS.get(cell.label, ""), cell.line)
    for name, source in _NAME_FIELDS.items():
        value = rec.get(name)
        if isinstance(value, str) and len(value) > MAX_NAME_LENGTH:
            out.warn(lines.get(source, case.start), name,
                     f"{len(value):,} characters, more than a name has ({MAX_NAME_LENGTH}): "
                     "cut; the whole text is kept in unparsed", value)  # fmt: skip
            rec[name] = value[:MAX_NAME_LENGTH]
    aliases = [a[:MAX_NAME_LENGTH] for a in rec["org_aliases"]]
    rec["org_aliases"] = sorted({a for a in aliases if a != rec["org_name"]})


# ---------------------------------------------------------------------------- files


def read_casebook_text(text: str, file: str, stem: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Records of one casebook text, and notices about text outside any case."""
    text, spans, preamble = split_cases(text, file)
    notices = [
        f"{file}:{n}: text before the first case header: {norm_name(t)}" for n, t in preamble
    ]
    # Each job names its span of the one text; the lines are cut where the case is read (in a
    # forked worker for a large file), so the reading process never holds a list of them all.
    jobs = [
        (text, file, line, start, end, f"{stem}-{n:03d}")
        for n, (line, start, end) in enumerate(spans, 1)
    ]
    return fork_map(_read_case, jobs), notices


def _read_case(job: tuple[str, str, int, int, int, str]) -> dict[str, Any]:
    text, file, line, start, end, case_id = job
    return build_record(_scan_case(file, line, case_lines(text, start, end)), case_id)


DEFAULT_MAX_FILE_SIZE = 256 * 1024 * 1024  # a casebook chapter is well under 1 MB


def _stat(path: Path, shown: str) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError as exc:
        raise CasebookError(shown, 0, "no such file") from exc
    except (OSError, RuntimeError) as exc:  # a symlink loop: ELOOP
        reason = getattr(exc, "strerror", None) or "symlink loop"
        raise CasebookError(shown, 0, f"cannot read: {reason}") from exc


def expand_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given; a directory stands for its ``*.txt`` files. Errors name the path."""
    files: list[Path] = []
    for path in inputs:
        if stat.S_ISDIR(_stat(path, str(path)).st_mode):
            found = sorted(path.glob("*.txt"))
            if not found:
                raise CasebookError(str(path), 0, "directory holds no casebook (*.txt) files")
            files.extend(found)
        else:
            files.append(path)  # regular files only: read_input checks what it opened
    return files


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))  # fmt: skip


def read_input(path: Path, shown: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of one casebook file: a regular file of at most ``max_size`` bytes.

    The file is opened without blocking and checked with ``fstat`` on what was opened (not
    the name, which may change in between), so a FIFO, a device (``/dev/zero`` behind a
    ``.txt`` link) or a socket is refused at once instead of hanging or reading forever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise CasebookError(shown, 0, "no such file") from exc
    except OSError as exc:
        raise CasebookError(shown, 0, f"cannot read: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((k for test, k in _KINDS if test(info.st_mode)), "a special file")
            raise CasebookError(shown, 0, f"{kind}, not a regular file: not read")
        too_big = f"larger than the limit of {max_size:,} bytes (--max-file-size): not read"
        if info.st_size > max_size:
            raise CasebookError(shown, 0, f"{info.st_size:,} bytes, {too_big}")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > max_size:  # it grew while being read
                raise CasebookError(shown, 0, too_big)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise CasebookError(shown, 0, f"cannot read: {exc.strerror}") from exc
    finally:
        os.close(fd)


def source_name(path: Path, corpus_root: Path | None = None) -> str:
    """How a casebook is named in records and IRIs: never an absolute machine path.

    Its path under ``corpus_root`` when given and the file lies below it, else its file name,
    so the same file gives the same graph in any directory and on any machine.
    """
    if corpus_root is not None:
        try:
            return path.resolve().relative_to(corpus_root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # not below it, or a symlink loop
            pass
    return path.name


def _dedupe_key(rec: dict[str, Any]) -> tuple[str, str]:
    return key(rec["org_name"] or ""), key(rec["initiative_title"] or "")


class FileCache(Protocol):
    """Per-file store of reader output, keyed by the file's bytes and name (graph.reader.cache)."""

    def get(self, data: bytes, shown: str, stem: str) -> tuple[list[Any], list[str]] | None:
        """Records and notices of an unchanged file, or None."""

    def put(self, data: bytes, shown: str, stem: str, value: tuple[list[Any], list[str]]) -> None:
        """Remember the reader output of a file."""


def read_file(data: bytes, shown: str, stem: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Records and notices of one casebook file's bytes."""
    text, notice = decode_casebook(data, shown)
    records, notices = read_casebook_text(text, shown, stem)
    return records, ([notice] if notice else []) + notices


def read_casebooks(
    inputs: Iterable[Path],
    progress: Any = None,
    cache: FileCache | None = None,
    corpus_root: Path | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> ReadResult:
    """Read every input into records; raises CasebookError on unusable input.

    With a ``cache``, a file whose bytes and name are unchanged is not read again. Files are
    named by :func:`source_name` (relative to ``corpus_root`` when given); only regular files
    of at most ``max_file_size`` bytes are read.
    """
    result = ReadResult()
    seen_files: dict[tuple[int, int], str] = {}
    seen_cases: dict[tuple[str, str], str] = {}
    stems: set[str] = set()
    files = expand_inputs(inputs)
    shown_names: set[str] = set()
    for path in progress(files) if progress else files:
        shown = source_name(path, corpus_root)
        info = _stat(path, str(path))
        identity = (info.st_dev, info.st_ino)  # the same file under two names is one file
        if identity not in seen_files and shown in shown_names:
            shown = f"{path.parent.name}/{shown}"  # two files of one name in two folders
        shown_names.add(shown)
        if identity in seen_files:
            result.notices.append(f"{shown}: given twice; read once")
            continue
        seen_files[identity] = shown
        data = read_input(path, str(path), max_file_size)
        stem = path.stem if path.stem not in stems else f"{path.parent.name}-{path.stem}"
        stems.add(stem)
        cached = cache.get(data, shown, stem) if cache is not None else None
        if cached is None:
            cached = read_file(data, shown, stem)
            if cache is not None:
                cache.put(data, shown, stem, cached)
        records, notices = cached
        result.notices.extend(notices)
        result.sources.append(shown)
        for rec in records:
            dup = seen_cases.get(_dedupe_key(rec))
            if dup is not None:
                where = f"{shown}:{rec['source']['line_start']}"
                result.notices.append(f"{where}: same case as {dup}; kept once")
                continue
            seen_cases[_dedupe_key(rec)] = rec["case_id"]
            result.records.append(rec)
    return result
