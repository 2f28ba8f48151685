"""Only regular files are read, with a size limit; symlink loops and damaged cache entries
give a message or a re-read, never a hang or a traceback (issue 12, items 9 and 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.reader.cache import ReadCache
from graph.reader.casebook import CasebookError, read_casebooks, read_input
from tests.repo import EMBEDDED, ROOT


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / EMBEDDED.name).write_bytes(EMBEDDED.read_bytes())
    return folder


def _build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "--no-cache", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_a_fifo_named_txt_is_refused_at_once(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    os.mkfifo(folder / "pipe.txt")  # no writer: opening it for reading would block forever
    # In a child with a timeout, so that a hang fails the test instead of stopping the suite.
    run = subprocess.run([sys.executable, "-m", "graph", "build", str(folder), "--no-cache",
                          "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert f"{folder / 'pipe.txt'}:0: a FIFO, not a regular file" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_txt_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    (folder / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(CasebookError, match="a device, not a regular file"):
        read_casebooks([folder])


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    size = EMBEDDED.stat().st_size
    with pytest.raises(CasebookError, match="larger than the limit of 1,024 bytes"):
        read_input(EMBEDDED, "x.txt", 1024)
    assert len(read_input(EMBEDDED, "x.txt", size)) == size
    code, output = _build(str(EMBEDDED), "--max-file-size", "1k", "--out", str(tmp_path / "o"))
    assert code == 2 and "--max-file-size" in output, output
    code, output = _build(str(EMBEDDED), "--max-file-size", "1M", "--out", str(tmp_path / "o"))
    assert code == 0, output


def test_symlink_loops_are_named(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    (folder / "self.txt").symlink_to("self.txt")
    code, output = _build(str(folder), "--out", str(tmp_path / "o"))
    assert code == 2, output
    assert "self.txt:0: cannot read: Too many levels of symbolic links" in output
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    code, output = _build(str(tmp_path / "a"), "--out", str(tmp_path / "o"))
    assert code == 2 and "Too many levels of symbolic links" in output, output
    code, output = _build(str(EMBEDDED), "--corpus-root", str(tmp_path / "a"),
                          "--out", str(tmp_path / "o"))  # fmt: skip
    assert code == 0, output


def test_the_same_file_under_a_link_is_read_once(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(EMBEDDED)
    result = read_casebooks([EMBEDDED, link])
    assert len(result.records) == 11
    assert any("given twice" in n for n in result.notices)


@pytest.mark.parametrize("entry", [[], {"records": {}, "notices": []}, {"records": [1]},
                                   {"records": [{"case_id": 1}], "notices": []}, "text",
                                   {"records": [], "notices": [None]}])  # fmt: skip
def test_a_cache_entry_of_the_wrong_shape_is_discarded(tmp_path: Path, entry: object) -> None:
    cache = ReadCache(tmp_path / "cache")
    first = read_casebooks([EMBEDDED], cache=cache).records
    (path,) = (tmp_path / "cache").glob("*.json")
    path.write_text(json.dumps(entry), encoding="utf-8")
    again = ReadCache(tmp_path / "cache")
    assert read_casebooks([EMBEDDED], cache=again).records == first
    assert again.hits == 0 and again.misses == 1
    third = ReadCache(tmp_path / "cache")  # the entry was written again, whole
    assert read_casebooks([EMBEDDED], cache=third).records == first and third.hits == 1
    code, output = _build_cached(tmp_path, path, entry)
    assert code == 0, output


def _build_cached(tmp_path: Path, path: Path, entry: object) -> tuple[int, str]:
    path.write_text(json.dumps(entry), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(EMBEDDED), "--cache-dir", str(tmp_path),
                                      "--out", str(tmp_path / "out")])  # fmt: skip
    return result.exit_code, result.output
