"""`push` and `query --endpoint` against a real Virtuoso (Debian's virtuoso-opensource 7.2):
digest auth, content verification (Virtuoso writes xsd:boolean back as 0/1), re-push,
failures, and every bundled query giving the rows `tsunagari query` gives locally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.rdf.build import build_graph, export_trig, export_turtle
from graph.sparql.client import credentials_from_env
from graph.sparql.push import (
    AUTH_SCHEME_ENV,
    DEFAULT_GRAPH_IRI,
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    AuthenticationError,
    RequestRejectedError,
    count_triples,
    push_graph,
    read_graph,
)
from graph.sparql.query import QueryResult, bundled_queries, run_query, run_remote_query
from tests.sparql.test_serve_push import TRIG_V1, TRIG_V2
from tests.sparql.virtuoso import PASSWORD, USER, Virtuoso, running_virtuoso

pytestmark = [pytest.mark.server, pytest.mark.slow]
FAST = {"attempts": 2, "backoff": 0.01, "timeout": 30.0}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture
def digest(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv(AUTH_SCHEME_ENV, "digest")


@pytest.fixture(scope="module")
def exports(records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Path, Path]:
    graph = build_graph(records)
    where = tmp_path_factory.mktemp("exports")
    ttl, trig = where / "tsunagari.ttl", where / "tsunagari.trig"
    ttl.write_bytes(export_turtle(graph))
    trig.write_bytes(export_trig(graph))
    return ttl, trig


def _rows(result: QueryResult) -> list[tuple[str | None, ...]]:
    return sorted((tuple(row.values()) for row in result.values()), key=repr)


def test_push_the_export_verify_repush_and_query(
    virtuoso: Virtuoso, digest: None, exports: tuple[Path, Path]
) -> None:
    ttl, trig = exports
    first = push_graph(virtuoso.graph_store, trig, **FAST)  # type: ignore[arg-type]
    assert first.query_url == virtuoso.query_auth  # derived from the Graph Store URL
    assert first.triples > 1000
    again = push_graph(virtuoso.graph_store, trig, **FAST)  # type: ignore[arg-type]
    assert (again.triples, again.digest) == (first.triples, first.digest)
    creds = credentials_from_env()
    assert count_triples(virtuoso.query_auth, DEFAULT_GRAPH_IRI, credentials=creds) == (
        first.triples + 1)  # and the digest marker
    for name, query in bundled_queries().items():
        local = _rows(run_query(query, ttl))
        remote = _rows(run_remote_query(query, virtuoso.query, graph=DEFAULT_GRAPH_IRI))
        assert remote == local, name
    # The authenticated query endpoint, with the push credentials from the environment.
    authenticated = run_remote_query("gaps", virtuoso.query_auth, graph=DEFAULT_GRAPH_IRI)
    assert _rows(authenticated) == _rows(run_query("gaps", ttl))
    with pytest.raises(AuthenticationError, match="401"):
        run_remote_query("gaps", virtuoso.query_auth, env={})


def test_push_replaces_the_graph(virtuoso: Virtuoso, digest: None, tmp_path: Path) -> None:
    iri = "https://example.org/replace-me"
    v1, v2 = tmp_path / "v1.trig", tmp_path / "v2.trig"
    v1.write_text(TRIG_V1, encoding="utf-8")
    v2.write_text(TRIG_V2, encoding="utf-8")
    push_graph(virtuoso.graph_store, v1, graph_iri=iri, **FAST)  # type: ignore[arg-type]
    push_graph(virtuoso.graph_store, v2, graph_iri=iri, **FAST)  # type: ignore[arg-type]
    lines = b"".join(read_graph(virtuoso.query_auth, iri, credentials=credentials_from_env()))
    assert b'"13"' in lines and b'"12"' not in lines  # the old value is gone, not kept beside


def test_push_failures(virtuoso: Virtuoso, monkeypatch: pytest.MonkeyPatch,
                       tmp_path: Path) -> None:
    data = tmp_path / "v1.trig"
    data.write_text(TRIG_V1, encoding="utf-8")
    for name in (USER_ENV, PASSWORD_ENV, TOKEN_ENV, AUTH_SCHEME_ENV):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(AuthenticationError, match=USER_ENV):
        push_graph(virtuoso.graph_store, data, **FAST)  # type: ignore[arg-type]
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    monkeypatch.setenv(AUTH_SCHEME_ENV, "digest")
    with pytest.raises(AuthenticationError, match="refused the digest credentials"):
        push_graph(virtuoso.graph_store, data, **FAST)  # type: ignore[arg-type]
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    # Virtuoso answers a PUT to a path it does not serve with 501, not 404.
    with pytest.raises(RequestRejectedError, match="refused the PUT with HTTP 501"):
        push_graph(virtuoso.base + "/no-such/sparql-graph-crud-auth", data,
                   query_endpoint=virtuoso.query_auth, **FAST)  # type: ignore[arg-type]
