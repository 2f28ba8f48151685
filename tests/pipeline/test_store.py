"""``tsunagari build --store DIR`` keeps the validated graph as an on-disk Oxigraph store that
``tsunagari query --store DIR`` answers from, with the same rows as over the export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.resources import (
    CASES_JSON,
    NETWORK_GEXF,
    NETWORK_GRAPHML,
    NETWORK_HTML,
    TRIG_FILE,
    TURTLE_FILE,
)
from tests.repo import EXPORTS_DIR

EXPORTS = (CASES_JSON, NETWORK_GEXF, NETWORK_GRAPHML, NETWORK_HTML, TRIG_FILE, TURTLE_FILE)


def test_build_store_answers_queries_as_the_export(tmp_path: Path) -> None:
    runner = CliRunner()
    out, store = tmp_path / "exports", tmp_path / "store"
    built = runner.invoke(cli, ["build", "--out", str(out), "--store", str(store), "--no-cache"])
    assert built.exit_code == 0, built.output
    assert f"wrote {store}" in built.output
    for name in ("gaps", "organisations-by-target", "outcome-totals"):
        from_store = runner.invoke(cli, ["query", "--name", name, "--store", str(store),
                                         "--format", "csv"])  # fmt: skip
        from_file = runner.invoke(cli, ["query", "--name", name, "--format", "csv",
                                        "--data", str(out / "tsunagari.trig")])  # fmt: skip
        assert from_store.exit_code == 0, from_store.output
        assert from_store.output == from_file.output
        assert from_store.output.count("\n") > 1  # rows, not just a header


def test_failed_build_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    store.mkdir()
    (store / "marker").write_text("old", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not utf-8 \x80")
    result = runner.invoke(cli, ["build", str(bad), "--out", str(tmp_path / "ex"),
                                 "--store", str(store), "--no-cache"])  # fmt: skip
    assert result.exit_code != 0
    assert (store / "marker").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".store.")] == []


def test_query_store_and_data_are_exclusive(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "--name", "gaps", "--store", str(tmp_path),
                                      "--data", str(tmp_path / "x.ttl")])  # fmt: skip
    assert result.exit_code == 2
    assert "give one of" in result.output


def test_build_parallel_and_sequential_write_the_committed_exports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph import pipeline

    seen: list[bool | None] = []
    render = pipeline.render_graph

    def spy(kg: Any, parallel: bool | None = None, *args: Any, **kwargs: Any) -> Any:
        seen.append(parallel)
        return render(kg, parallel, *args, **kwargs)

    monkeypatch.setattr(pipeline, "render_graph", spy)
    runner = CliRunner()
    for flag in ("--parallel", "--sequential", None):
        out = tmp_path / str(flag)
        built = runner.invoke(cli, ["build", "--out", str(out), "--no-cache",
                                    *([flag] if flag else [])])  # fmt: skip
        assert built.exit_code == 0, built.output
        for name in EXPORTS:
            assert (out / name).read_bytes() == (EXPORTS_DIR / name).read_bytes(), (flag, name)
    assert seen == [True, False, False]  # sequential is the default
