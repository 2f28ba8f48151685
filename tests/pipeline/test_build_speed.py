"""Incremental rebuild (a casebook file that did not change is not read again) and the
parallel rendering of a large graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.pipeline import run_build
from graph.reader import cache as cache_module
from graph.reader.cache import ReadCache
from tests.repo import CASEBOOK_DIR

TEXT = (CASEBOOK_DIR / "kanto-2024-part1.txt").read_text(encoding="utf-8")
HEADER = "団 体 名：特定非営利活動法人 KOMPOSITION"


@pytest.fixture
def chapters(tmp_path: Path) -> list[Path]:
    """The embedded chapter split into three files."""
    cut1 = TEXT.index(HEADER)
    cut2 = TEXT.index("団体名：一般社団法人 Arts Alive")
    paths = []
    for n, part in enumerate((TEXT[:cut1], TEXT[cut1:cut2], TEXT[cut2:]), 1):
        path = tmp_path / f"chapter{n}.txt"
        path.write_text(part, encoding="utf-8")
        paths.append(path)
    return paths


def test_unchanged_files_come_from_the_cache(tmp_path: Path, chapters: list[Path]) -> None:
    cold = ReadCache(tmp_path / "cache")
    first = run_build(chapters, cache=cold)
    assert (cold.hits, cold.misses) == (0, 3)

    warm = ReadCache(tmp_path / "cache")
    second = run_build(chapters, cache=warm)
    assert (warm.hits, warm.misses) == (3, 0)
    assert second.outputs == first.outputs

    chapters[1].write_text(
        chapters[1].read_text(encoding="utf-8").replace("寺井 元一", "寺井 元二"), "utf-8"
    )
    third_cache = ReadCache(tmp_path / "cache")
    third = run_build(chapters, cache=third_cache)
    assert (third_cache.hits, third_cache.misses) == (2, 1)
    assert third.read.records[1]["representative"] == "寺井元二"
    uncached = run_build(chapters)
    assert third.outputs == uncached.outputs


def test_a_new_reader_invalidates_the_cache(
    tmp_path: Path, chapters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_build(chapters, cache=ReadCache(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "reader_fingerprint", lambda: "another reader")
    again = ReadCache(tmp_path / "cache")
    run_build(chapters, cache=again)
    assert (again.hits, again.misses) == (0, 3)


def test_a_damaged_entry_is_read_again(tmp_path: Path, chapters: list[Path]) -> None:
    run_build(chapters, cache=ReadCache(tmp_path / "cache"))
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = ReadCache(tmp_path / "cache")
    result = run_build(chapters, cache=again)
    assert (again.hits, again.misses) == (0, 3)
    assert len(result.read.records) == 11


def test_the_same_bytes_under_another_name_are_not_shared(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    run_build([a], cache=ReadCache(tmp_path / "cache"))
    b.write_text(TEXT, encoding="utf-8")
    second = ReadCache(tmp_path / "cache")
    result = run_build([b], cache=second)
    assert second.misses == 1
    assert result.read.records[0]["case_id"] == "b-001"


def test_parallel_rendering_gives_the_same_bytes() -> None:
    sequential = run_build([CASEBOOK_DIR], parallel=False)
    parallel = run_build([CASEBOOK_DIR], parallel=True)
    assert parallel.outputs == sequential.outputs


def test_parallel_rendering_stops_on_a_violation(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph import pipeline as build
    from graph.validate.shacl import ValidationError, ValidationReport

    def broken(kg: object, **options: object) -> ValidationReport:
        return ValidationReport(conforms=False, violations=(), triples=0)

    monkeypatch.setattr(build, "validate_graph", broken)  # run in the validation thread
    with pytest.raises(ValidationError):
        run_build([CASEBOOK_DIR], parallel=True)


def test_lean_build_writes_the_same_export_set(tmp_path: Path) -> None:
    """A lean build (exports spooled to files, records dropped) writes byte for byte the set
    of the in-memory build, and its summary is the same."""
    from graph.pipeline import write_outputs

    held = run_build([CASEBOOK_DIR], lean=False)
    lean = run_build([CASEBOOK_DIR], lean=True)
    assert all(isinstance(v, bytes) for v in held.outputs.values())
    spooled = {name for name, v in lean.outputs.items() if isinstance(v, Path)}
    assert spooled == set(held.outputs)
    assert lean.records_dropped and lean.read.records == [] and not held.records_dropped
    assert lean.summary == held.summary and lean.summary["cases"] == len(held.read.records)
    assert lean.read.sources == held.read.sources
    for name in held.outputs:
        assert lean.output_bytes(name) == held.outputs[name], name
    write_outputs(held.outputs, tmp_path / "held")
    write_outputs(lean.outputs, tmp_path / "lean")
    write_outputs(lean.outputs, tmp_path / "again")  # the spooled files stay usable
    for name in held.outputs:
        assert (tmp_path / "lean" / name).read_bytes() == held.outputs[name], name
        assert (tmp_path / "again" / name).read_bytes() == held.outputs[name], name
    assert lean.spool is not None
    spool = Path(lean.spool.name)
    del lean
    assert not spool.exists()  # the spool goes with the result
    kept = run_build([CASEBOOK_DIR], lean=True, keep_records=True)
    assert kept.read.records == held.read.records and not kept.records_dropped


def test_lean_build_removes_its_spool_on_a_violation(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    import tempfile

    from graph import pipeline as build
    from graph.validate.shacl import ValidationError, ValidationReport

    def broken(kg: object, **options: object) -> ValidationReport:
        return ValidationReport(conforms=False, violations=(), triples=0)

    monkeypatch.setattr(build, "validate_graph", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ValidationError):
        run_build([CASEBOOK_DIR], lean=True)
    assert list(tmp_path.iterdir()) == []
