"""The export set is written all-or-nothing (issue 12, items 6 and 9): a failed rename, a
``kill -9`` between renames, two concurrent builds and a refusing disk leave the old set or the
new set, never a mix; stale temporaries are removed; errors are one line naming the path."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.output as output
from graph.cli import cli
from graph.errors import OutputPathError, WriteError
from graph.output import JOURNAL, STAGING_PREFIX, recover, write_export_set
from tests.repo import EMBEDDED, ROOT

NAMES = ("cases.json", "network.graphml", "network.html", "tsunagari.trig", "tsunagari.ttl")


_SET = """
NAMES = ("cases.json", "network.graphml", "network.html", "tsunagari.trig", "tsunagari.ttl")
def _set(tag):
    return {name: f"{tag}:{name}\\n".encode() * 1000 for name in NAMES}
"""


def _set(tag: str) -> dict[str, bytes]:  # the children get _SET: they import graph.output only
    return {name: f"{tag}:{name}\n".encode() * 1000 for name in NAMES}


def _on_disk(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in NAMES if (out / name).exists()}


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


@pytest.fixture
def old_set(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_export_set(_set("old"), out)
    assert _on_disk(out) == _set("old") and _leftovers(out) == []
    return out


def test_a_failed_rename_keeps_the_old_set(old_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def flaky(src: Path, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        os.replace(src, dst)

    monkeypatch.setattr(output, "_replace", flaky)
    with pytest.raises(WriteError, match="Input/output error"):
        write_export_set(_set("new"), old_set)
    assert _on_disk(old_set) == _set("old")
    assert _leftovers(old_set) == []


def test_a_new_file_is_removed_when_the_switch_fails(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_export_set({"cases.json": b"old"}, out)
    calls = []

    def flaky(src: Path, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        os.replace(src, dst)

    monkeypatch.setattr(output, "_replace", flaky)
    with pytest.raises(WriteError):
        write_export_set({"cases.json": b"new", "tsunagari.ttl": b"new"}, out)
    assert sorted(p.name for p in out.iterdir()) == ["cases.json"]
    assert (out / "cases.json").read_bytes() == b"old"


_KILLER = _SET + textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import graph.output as output
    at, where = int(sys.argv[2]), sys.argv[3]
    calls = []
    def killing(src, dst):
        calls.append(dst)
        if len(calls) == at:
            os.kill(os.getpid(), signal.SIGKILL)
        os.replace(src, dst)
    if where == "switch":
        output._replace = killing
    else:  # during staging, before the journal
        real = output._write_file
        def write(path, data):
            calls.append(path)
            if len(calls) == at:
                os.kill(os.getpid(), signal.SIGKILL)
            real(path, data)
        output._write_file = write
    output.write_export_set(_set("new"), Path(sys.argv[1]))
    """
)


def _killed(out: Path, at: int, where: str) -> None:
    run = subprocess.run([sys.executable, "-c", _KILLER, str(out), str(at), where], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == -9, run.stderr


def test_kill_between_renames_is_finished_by_the_next_writer(old_set: Path) -> None:
    _killed(old_set, 3, "switch")
    half = _on_disk(old_set)
    assert half != _set("old") and half != _set("new")  # what a crash leaves on disk …
    assert JOURNAL in _leftovers(old_set)
    recover(old_set)  # … until the next build (or `recover`) finishes the switch
    assert _on_disk(old_set) == _set("new")
    assert _leftovers(old_set) == []


def test_kill_while_staging_keeps_the_old_set(old_set: Path) -> None:
    _killed(old_set, 3, "staging")
    assert _on_disk(old_set) == _set("old")
    assert any(n.startswith(STAGING_PREFIX) for n in _leftovers(old_set))
    write_export_set(_set("next"), old_set)
    assert _on_disk(old_set) == _set("next")
    assert _leftovers(old_set) == []


_WRITER = _SET + textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import graph.output as output
    def slow(src, dst):
        os.replace(src, dst)
        time.sleep(0.05)
    output._replace = slow
    for n in range(3):
        output.write_export_set(_set(f"{sys.argv[2]}{n}"), Path(sys.argv[1]))
    """
)


def test_concurrent_writers_take_turns(old_set: Path) -> None:
    runs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(old_set), tag], cwd=ROOT)
            for tag in ("a", "b")]  # fmt: skip
    seen = []
    while any(r.poll() is None for r in runs):
        with output.reading(old_set):
            seen.append(_on_disk(old_set))
        time.sleep(0.01)  # flock is not fair: give the writers a turn
    assert [r.returncode for r in runs] == [0, 0]
    sets = [_set(f"{t}{n}") for t in "ab" for n in range(3)] + [_set("old")]
    assert all(s in sets for s in seen), "a reader holding the shared lock saw a mix"
    assert _on_disk(old_set) in (_set("a2"), _set("b2"))
    assert _leftovers(old_set) == []


def test_stale_temporaries_are_removed(old_set: Path) -> None:
    (old_set / ".cases.json.k2j3.tmp").write_bytes(b"half")
    (old_set / f"{STAGING_PREFIX}old").mkdir()
    (old_set / f"{STAGING_PREFIX}old" / "cases.json").write_bytes(b"half")
    (old_set / "README.md").write_text("mine")  # not ours: kept
    write_export_set(_set("new"), old_set)
    assert _leftovers(old_set) == []
    assert (old_set / "README.md").read_text() == "mine"


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "the disk is full"),
                                             (errno.EROFS, "read-only file system"),
                                             (errno.EACCES, "Permission denied")])  # fmt: skip
def test_a_refusing_disk_is_one_line_exit_1(tmp_path: Path, old_set: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            code: int, words: str) -> None:  # fmt: skip
    def refuse(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.os, "fsync", refuse)
    result = CliRunner().invoke(cli, ["build", str(EMBEDDED), "--no-cache", "--out", str(old_set)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and str(old_set) in error[0] and words in error[0], result.output
    monkeypatch.undo()
    assert _on_disk(old_set) == _set("old") and _leftovers(old_set) == []


def test_an_output_path_under_a_file_is_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(OutputPathError, match=r"file\.txt is a file"):
        write_export_set(_set("new"), blocker / "exports")
    result = CliRunner().invoke(cli, ["build", str(EMBEDDED), "--no-cache",
                                      "--out", str(blocker / "exports")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "file.txt is a file, not a directory" in result.output
    assert "no export written" in result.output


def test_commands_that_read_the_exports_finish_an_interrupted_switch(old_set: Path) -> None:
    _killed(old_set, 2, "switch")
    assert _on_disk(old_set) != _set("new")
    result = CliRunner().invoke(cli, ["view", "--no-build", "--out", str(old_set)])
    assert result.exit_code == 0, result.output
    assert _on_disk(old_set) == _set("new") and _leftovers(old_set) == []


@pytest.mark.parametrize("links", [True, False])
def test_a_finished_file_is_staged_and_left_in_place(tmp_path: Path, old_set: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     links: bool) -> None:
    """A value given as the path of a finished (spooled) file is linked, or copied where links
    fail, into the set with the export mode; the source stays for another write."""
    if not links:
        def no_link(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(os, "link", no_link)
    spooled = tmp_path / "spool.ttl"
    spooled.write_bytes(b"@prefix : <x:> .\n" * 100_000)
    os.chmod(spooled, 0o600)
    outputs: dict[str, bytes | Path] = dict(_set("new"))
    outputs["tsunagari.ttl"] = spooled
    write_export_set(outputs, old_set)
    assert (old_set / "tsunagari.ttl").read_bytes() == spooled.read_bytes()
    assert (old_set / "tsunagari.ttl").stat().st_mode & 0o777 == 0o644
    assert (old_set / "cases.json").read_bytes() == _set("new")["cases.json"]
    assert spooled.exists()
    assert _leftovers(old_set) == []
