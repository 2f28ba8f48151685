"""Bad input: a clear message naming file and line, exit code 2, and no export touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.reader.casebook import CasebookError, read_casebooks
from tests.repo import EMBEDDED

TEXT = EMBEDDED.read_text(encoding="utf-8")


def _build(tmp_path: Path, *inputs: Path) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", *map(str, inputs), "--out", str(out)])
    return result.exit_code, result.output, out


@pytest.fixture
def good_export(tmp_path: Path) -> Path:
    """An out dir holding a good export, to check failures leave it alone."""
    code, _, out = _build(tmp_path, EMBEDDED)
    assert code == 0
    return out


def _assert_refused(tmp_path: Path, good_export: Path, bad: Path, needle: str) -> str:
    before = (good_export / "cases.json").read_bytes()
    code, output, out = _build(tmp_path, bad)
    assert code == 2, output
    assert needle in output, output
    assert "no export written" in output
    assert (out / "cases.json").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    return output


def test_missing_file(tmp_path: Path, good_export: Path) -> None:
    output = _assert_refused(tmp_path, good_export, tmp_path / "nope.txt", "no such file")
    assert "nope.txt" in output


def test_directory_without_casebooks(tmp_path: Path, good_export: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _assert_refused(tmp_path, good_export, empty, "holds no casebook")


def test_empty_file(tmp_path: Path, good_export: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"\n \n")
    _assert_refused(tmp_path, good_export, bad, "empty.txt:1: empty file")


def test_binary_file(tmp_path: Path, good_export: Path) -> None:
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _assert_refused(tmp_path, good_export, bad, "image.txt:3: binary file")


def test_no_case_headers(tmp_path: Path, good_export: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("取組の種類\n交流の場の提供\n", encoding="utf-8")
    _assert_refused(tmp_path, good_export, bad, "notes.txt:1: no case header")


def test_undecodable_bytes(tmp_path: Path, good_export: Path) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes("団体名：x\n".encode() + b"\xff\xfe\xfa\xfb abc\n")
    _assert_refused(tmp_path, good_export, bad, "latin.txt:2: not UTF-8")


def test_cp932_is_decoded_and_reported(tmp_path: Path) -> None:
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes(TEXT.replace("\u2014", "\u2015").encode("cp932"))
    result = read_casebooks([sjis])
    assert any("decoded as CP932" in n for n in result.notices)
    embedded = read_casebooks([EMBEDDED]).records
    assert [r["org_name"] for r in result.records] == [r["org_name"] for r in embedded]
    assert result.records[0]["purpose"] == embedded[0]["purpose"]


def test_truncated_case_is_kept_with_warnings(tmp_path: Path) -> None:
    lines = TEXT.split("\n")
    cut = next(i for i, line in enumerate(lines) if line.startswith("(1) 取組の内容"))
    damaged = tmp_path / "cut.txt"
    second = next(i for i, line in enumerate(lines) if line.startswith("団 体 名"))
    # Case 1 cut in half, then case 2 intact.
    damaged.write_text("\n".join(lines[: cut + 3] + lines[second:]), encoding="utf-8")
    records = read_casebooks([damaged]).records
    assert [r["org_name"] for r in records[:2]] == ["クラブしっきーず", "KOMPOSITION"]
    first = records[0]
    assert first["complete"] is False
    messages = [w["message"] for w in first["warnings"]]
    assert any("取組の成果 missing" in m for m in messages)
    assert all(w["file"].endswith("cut.txt") and w["line"] > 0 for w in first["warnings"])
    assert records[1]["warnings"] == []
    assert records[1]["founded"] == "2002-11-06"


def test_truncated_case_fails_build_with_strict(tmp_path: Path) -> None:
    damaged = tmp_path / "cut.txt"
    damaged.write_text(TEXT[: TEXT.index("(2) 取組の成果")], encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(damaged), "--strict", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "cut.txt:" in result.output and "no export written" in result.output
    assert not (tmp_path / "cases.json").exists()


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    result = read_casebooks([EMBEDDED, EMBEDDED])
    assert len(result.records) == 11
    assert any("given twice" in n for n in result.notices)


def test_same_case_in_two_files_is_kept_once(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(TEXT, encoding="utf-8")
    result = read_casebooks([EMBEDDED, copy])
    assert len(result.records) == 11
    assert sum("kept once" in n for n in result.notices) == 11


def test_same_org_with_another_initiative(tmp_path: Path) -> None:
    later = tmp_path / "kanto-2025.txt"
    case1 = TEXT[: TEXT.index("団 体 名：特定非営利活動法人 KOMPOSITION")]
    later.write_text(case1.replace("地域密着型サードプレイス", "第二期サードプレイス"), "utf-8")
    records = read_casebooks([EMBEDDED, later]).records
    assert len(records) == 12
    assert records[-1]["case_id"] == "kanto-2025-001"
    assert records[-1]["org_name"] == records[0]["org_name"] == "クラブしっきーず"
    assert records[-1]["initiative_title"] != records[0]["initiative_title"]


def test_error_names_file_and_line() -> None:
    err = CasebookError("a.txt", 7, "broken")
    assert str(err) == "a.txt:7: broken"


def test_profile_table_written_with_colons_stays_in_its_case(tmp_path: Path) -> None:
    profile = "団体名\tNPO 法人 クラブしききず\n代表者\t増田 三枝子"
    assert profile in TEXT
    variant = tmp_path / "colons.txt"
    variant.write_text(
        TEXT.replace(profile, "団体名：NPO 法人 クラブしききず\n代表者：増田 三枝子"), "utf-8"
    )
    records = read_casebooks([variant]).records
    assert len(records) == 11
    assert records[0]["org_aliases"] == ["クラブしききず"]
    assert records[0]["representative"] == "増田三枝子"
    assert records[0]["warnings"] == []


def test_header_left_alone_at_the_end_is_a_truncated_case(tmp_path: Path) -> None:
    damaged = tmp_path / "tail.txt"
    damaged.write_text(TEXT + "\n団体名：NPO法人 つづき\n", encoding="utf-8")
    records = read_casebooks([damaged]).records
    assert len(records) == 12
    assert records[-1]["org_name"] == "つづき"
    assert records[-1]["complete"] is False and records[-1]["warnings"]
