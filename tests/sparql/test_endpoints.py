"""Issue 15: each bundled query gives the same rows over the Turtle export, the TriG export
(union default graph), `tsunagari serve`, and a graph pushed to a store and queried with
`tsunagari query --endpoint URL --graph IRI`; and `--endpoint` goes through the safe client."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.rdf.build import build_graph, export_trig, export_turtle
from graph.sparql.client import RedirectRefusedError
from graph.sparql.push import DEFAULT_GRAPH_IRI, USER_ENV, push_graph
from graph.sparql.query import (
    QueryResult,
    bundled_queries,
    format_result,
    run_query,
    run_remote_query,
)
from graph.sparql.serve import SparqlServer, start_server
from tests.repo import ROOT
from tests.sparql.test_network_safety import Recorder, Redirector

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def exports(records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Path, Path]:
    graph = build_graph(records)
    where = tmp_path_factory.mktemp("exports")
    ttl, trig = where / "tsunagari.ttl", where / "tsunagari.trig"
    ttl.write_bytes(export_turtle(graph))
    trig.write_bytes(export_trig(graph))
    return ttl, trig


@pytest.fixture(scope="module")
def pushed(exports: tuple[Path, Path]) -> Iterator[SparqlServer]:
    """A writable Oxigraph store with the build pushed as one named graph, plus noise in
    another graph that the `--graph` query must not see."""
    with start_server(None, read_only=False, port=None, union_default_graph=False) as store:
        push_graph(store.store_url, exports[1], attempts=2, backoff=0.01, timeout=30)
        push_graph(store.store_url, exports[1], graph_iri="https://example.org/old-build",
                   attempts=2, backoff=0.01, timeout=30)
        yield store


def _rows(result: QueryResult) -> list[tuple[str | None, ...]]:
    return sorted((tuple(row.values()) for row in result.values()), key=repr)


def test_every_bundled_query_same_rows_everywhere(
    exports: tuple[Path, Path], pushed: SparqlServer
) -> None:
    ttl, trig = exports
    queries = bundled_queries()
    nonempty = 0
    with start_server(trig, port=None) as served:
        for name, query in queries.items():
            over_turtle = _rows(run_query(query, ttl, timeout=60))
            assert _rows(run_query(query, trig, timeout=60)) == over_turtle, f"{name}: TriG"
            assert _rows(run_remote_query(query, served.query_url)) == over_turtle, \
                f"{name}: serve"
            # The pushed graph, named by --graph: FROM by the protocol's default-graph-uri.
            remote = run_remote_query(query, pushed.query_url, graph=DEFAULT_GRAPH_IRI)
            assert _rows(remote) == over_turtle, f"{name}: pushed"
            nonempty += bool(over_turtle)
    assert nonempty > len(queries) // 2  # most find something in the embedded cases


def test_without_graph_a_store_without_union_finds_nothing(pushed: SparqlServer) -> None:
    # Why --graph exists: the pushed data sits in a named graph, the default graph is empty.
    result = run_remote_query("organisations-by-place", pushed.query_url)
    assert result.rows == ()


def test_cli_query_endpoint_with_params_and_formats(
    exports: tuple[Path, Path], pushed: SparqlServer
) -> None:
    ttl, _ = exports
    for fmt in ("table", "csv", "json"):
        local = subprocess.run(
            [sys.executable, "-m", "graph", "query", "--name", "organisations-by-target",
             "--param", "target=不登校の児童生徒", "--format", fmt, "--data", str(ttl)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        remote = subprocess.run(
            [sys.executable, "-m", "graph", "query", "--name", "organisations-by-target",
             "--param", "target=不登校の児童生徒", "--format", fmt,
             "--endpoint", pushed.query_url, "--graph", DEFAULT_GRAPH_IRI],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert local.returncode == remote.returncode == 0, remote.stderr
        if fmt == "table":  # same rows; the table's row order is the query's ORDER BY
            assert sorted(local.stdout.splitlines()) == sorted(remote.stdout.splitlines())
        else:
            assert local.stdout == remote.stdout or sorted(local.stdout.splitlines()) == sorted(
                remote.stdout.splitlines())
    assert "KOMPOSITION" in remote.stdout


def test_endpoint_query_never_follows_a_redirect_elsewhere(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, "alice")
    monkeypatch.setenv("TSUNAGARI_PUSH_PASSWORD", "s3cret")
    with Recorder() as elsewhere, Redirector(302, elsewhere.url.rstrip("/")) as hop:
        with pytest.raises(RedirectRefusedError, match="another origin"):
            run_remote_query("gaps", hop.base + "/query")
        assert elsewhere.requests == []


def test_endpoint_query_bad_options_are_one_line(tmp_path: Path) -> None:
    for args in (["--endpoint", "ftp://x/query"], ["--graph", DEFAULT_GRAPH_IRI],
                 ["--endpoint", "http://127.0.0.1:9/q", "--graph", "not an iri"],
                 ["--endpoint", "http://127.0.0.1:9/q", "--timeout", "nan"]):
        result = subprocess.run(
            [sys.executable, "-m", "graph", "query", "--name", "gaps", *args],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, args


def test_format_of_remote_results_matches_local(exports: tuple[Path, Path],
                                                pushed: SparqlServer) -> None:
    ttl, _ = exports
    local = run_query("outcome-totals", ttl)
    remote = run_remote_query("outcome-totals", pushed.query_url, graph=DEFAULT_GRAPH_IRI)
    assert format_result(local, "json") == format_result(remote, "json")
