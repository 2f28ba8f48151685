"""`serve` and `push` against a real Oxigraph server on 127.0.0.1, faults from a local proxy.

The proxy sits between the client and the real server and injects what the network and stores
do to a publisher: 401 until credentials come, 500 once or for good, a hang past the client's
timeout, a store that keeps only part of the body. After each failure the graph published
before must still be there, whole.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypedDict

import pyoxigraph
import pytest

from graph.rdf.build import build_graph, export_trig
from graph.sparql.push import (
    DEFAULT_GRAPH_IRI,
    MARKER_PREDICATE,
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    AuthenticationError,
    CredentialsError,
    EndpointUnreachableError,
    PushError,
    ServerError,
    VerificationError,
    count_triples,
    credentials_from_env,
    derive_query_endpoint,
    graph_store_url,
    push_graph,
    select,
    serialize_triples,
)
from graph.sparql.query import bundled_queries, run_query
from graph.sparql.serve import ServeError, SparqlServer, free_port, start_server

server = pytest.mark.server
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _Retry(TypedDict):
    attempts: int
    backoff: float
    timeout: float


FAST: _Retry = {"attempts": 3, "backoff": 0.01, "timeout": 5.0}  # keep failure tests quick

# Two case graphs and a default graph, sharing one statement (the union must count it once),
# with kanji literals and IRIs in the shape of the real export.
TRIG_V1 = """\
@prefix ts: <https://w3id.org/tsunagari/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/tsunagari/id/> .

id:place\\/131016 a ts:Municipality ; rdfs:label "千代田区"@ja .
id:case\\/a-001 {
  id:org\\/つながり a ts:Organisation ; rdfs:label "つながり"@ja ;
      ts:runs id:initiative\\/a .
  id:initiative\\/a ts:activeIn id:place\\/131016 ; ts:staffCount 12 .
}
id:case\\/a-002 {
  id:org\\/ひだまり a ts:Organisation ; rdfs:label "ひだまり"@ja .
  id:place\\/131016 a ts:Municipality .
}
"""
TRIG_V2 = TRIG_V1.replace("ts:staffCount 12 .", "ts:staffCount 13 .").replace(
    'rdfs:label "ひだまり"@ja .', 'rdfs:label "ひだまり"@ja ; ts:runs id:initiative\\/b .'
)
QUERY = """\
PREFIX ts: <https://w3id.org/tsunagari/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?org ?label ?place WHERE {
  ?org a ts:Organisation ; rdfs:label ?label .
  OPTIONAL { ?org ts:runs/ts:activeIn ?place }
} ORDER BY ?label
"""


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # urllib would send even 127.0.0.1 through a proxy named in the environment.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in (USER_ENV, PASSWORD_ENV, TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "v1.trig"
    path.write_text(TRIG_V1, encoding="utf-8")
    return path


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    path = tmp_path / "v2.trig"
    path.write_text(TRIG_V2, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store() -> Iterator[SparqlServer]:
    """A writable Oxigraph server (`oxigraph serve`), empty, on a free port."""
    with start_server(None, read_only=False, port=None) as running:
        yield running


def _rows(results: dict[str, Any]) -> list[tuple[str | None, ...]]:
    names = results["head"]["vars"]
    return [
        tuple(row[n]["value"] if n in row else None for n in names)
        for row in results["results"]["bindings"]
    ]


def _local_rows(data: Path, query: str) -> list[tuple[str | None, ...]]:
    local = pyoxigraph.Store()
    local.load(path=data)
    solutions = local.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [tuple(s[n].value if s[n] is not None else None for n in names) for s in solutions]


def _graph_triples(store: SparqlServer, graph: str = DEFAULT_GRAPH_IRI) -> set[tuple[str, ...]]:
    """The graph's triples as pushed, without push's digest marker."""
    results = select(store.query_url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {
        (r[0] or "", r[1] or "", r[2] or "")
        for r in _rows(results)
        if r[1] != MARKER_PREDICATE
    }


def _local_triples(data: Path) -> set[tuple[str, ...]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value) for q in pyoxigraph.parse(path=data)
    }


# ------------------------------------------------------------------------------------ serve


@server
def test_serve_answers_queries_and_refuses_updates(v1: Path) -> None:
    running = start_server(v1, port=None)
    workdir = running.store_dir
    try:
        assert running.url.startswith("http://127.0.0.1:")
        with LOCAL.open(running.url, timeout=5) as page:  # the browser query page
            assert page.headers["Content-Type"].startswith("text/html")
        rows = _rows(select(running.query_url, QUERY))
        assert rows == _local_rows(v1, QUERY)
        assert (
            "https://w3id.org/tsunagari/id/org/つながり",
            "つながり",
            "https://w3id.org/tsunagari/id/place/131016",
        ) in rows
        # The named case graphs survive loading: GRAPH still tells the cases apart.
        graphs = _rows(select(running.query_url, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"))
        assert len(graphs) == 2
        for method, url, body, ctype in (
            ("POST", running.update_url, b"update=CLEAR+ALL", "application/x-www-form-urlencoded"),
            (
                "PUT",
                running.store_url + "?default",
                b"<http://a> <http://b> <http://c> .",
                "application/n-triples",
            ),
            ("DELETE", running.store_url + "?default", None, None),
        ):
            request = urllib.request.Request(url, data=body, method=method)
            if ctype:
                request.add_header("Content-Type", ctype)
            with pytest.raises(urllib.error.HTTPError) as refused:
                LOCAL.open(request, timeout=5)
            assert refused.value.code == 403, method
        assert _rows(select(running.query_url, QUERY)) == rows
    finally:
        running.stop()
    assert not running.running
    assert workdir is not None and not workdir.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", running.port), 1):
        pass
    running.stop()  # idempotent


@server
def test_serve_reports_port_in_use(v1: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port} .* already in use.*--port"):
            start_server(v1, port=port)


def test_serve_reports_missing_and_bad_data(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="tsunagari build"):
        start_server(tmp_path / "missing.trig", port=None)
    bad = tmp_path / "bad.trig"
    bad.write_text("<http://a> <http://b> .", encoding="utf-8")
    with pytest.raises(ServeError, match=r"could not load .*bad\.trig"):
        start_server(bad, port=None)


# ------------------------------------------------------------------------------------- push


@server
def test_push_round_trip_and_idempotent(store: SparqlServer, v1: Path) -> None:
    _, local_count = serialize_triples(v1)
    assert local_count == 9  # 10 statements written, one repeated across graphs
    first = push_graph(store.store_url, v1, **FAST)
    assert (first.triples, first.attempts, first.query_url) == (9, 1, store.query_url)
    assert first.store_url == graph_store_url(store.store_url, DEFAULT_GRAPH_IRI)
    assert _graph_triples(store) == _local_triples(v1)
    # The same query over HTTP, on the pushed graph, gives the local answer.
    over_http = QUERY.replace("WHERE {", f"WHERE {{ GRAPH <{DEFAULT_GRAPH_IRI}> {{", 1).replace(
        "} ORDER BY", "} } ORDER BY"
    )
    assert _rows(select(store.query_url, over_http)) == _local_rows(v1, QUERY)
    again = push_graph(store.store_url, v1, **FAST)
    assert again.triples == 9 and again.digest == first.digest
    # The build's 9 triples and the marker carrying their digest.
    assert count_triples(store.query_url, DEFAULT_GRAPH_IRI) == 10
    marker = select(
        store.query_url,
        f"SELECT ?d {{ GRAPH <{DEFAULT_GRAPH_IRI}> "
        f"{{ <{DEFAULT_GRAPH_IRI}> <{MARKER_PREDICATE}> ?d }} }}",
    )
    assert _rows(marker) == [(first.digest,)]


@server
def test_push_replaces_the_graph_and_leaves_others(
    store: SparqlServer, v1: Path, v2: Path
) -> None:
    other = "https://example.org/other"
    push_graph(store.store_url, v1, graph_iri=other, **FAST)
    push_graph(store.store_url, v1, **FAST)
    push_graph(store.store_url, v2, **FAST)
    assert _graph_triples(store) == _local_triples(v2)  # 12 is gone, not kept beside 13
    assert _graph_triples(store, other) == _local_triples(v1)


@server
def test_push_to_a_down_endpoint(v1: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(EndpointUnreachableError) as err:
        push_graph(url, v1, **FAST)
    message = str(err.value)
    assert url in message and "connection refused" in message and "running" in message


@server
def test_push_needs_credentials_then_succeeds(
    store: SparqlServer, v1: Path, v2: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    push_graph(store.store_url, v1, **FAST)
    with FaultProxy(store, require_auth="Basic " + _b64("alice:s3cret")) as proxy:
        with pytest.raises(AuthenticationError) as err:
            push_graph(proxy.store_url, v2, **FAST)
        assert proxy.store_url in str(err.value) and USER_ENV in str(err.value)
        assert _graph_triples(store) == _local_triples(v1)
        monkeypatch.setenv(USER_ENV, "alice")
        monkeypatch.setenv(PASSWORD_ENV, "wrong")
        with pytest.raises(AuthenticationError, match="refused the basic credentials"):
            push_graph(proxy.store_url, v2, **FAST)
        assert "wrong" not in str(err.value)
        monkeypatch.setenv(PASSWORD_ENV, "s3cret")
        result = push_graph(proxy.store_url, v2, **FAST)
    assert result.triples == len(_local_triples(v2))
    assert _graph_triples(store) == _local_triples(v2)


@server
def test_push_with_bearer_token(
    store: SparqlServer, v1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "tok-123")
    with FaultProxy(store, require_auth="Bearer tok-123") as proxy:
        assert push_graph(proxy.store_url, v1, **FAST).triples == 9


@server
def test_push_retries_a_500_then_succeeds(store: SparqlServer, v1: Path, v2: Path) -> None:
    push_graph(store.store_url, v1, **FAST)
    with FaultProxy(store, put_faults=[500]) as proxy:
        result = push_graph(proxy.store_url, v2, **FAST)
    assert result.attempts == 2
    assert _graph_triples(store) == _local_triples(v2)


@server
def test_push_retries_a_timeout_then_succeeds(store: SparqlServer, v1: Path) -> None:
    with FaultProxy(store, put_faults=["hang"]) as proxy:
        result = push_graph(proxy.store_url, v1, attempts=3, backoff=0.01, timeout=0.5)
    assert result.attempts == 2


@server
def test_push_gives_up_on_a_persistent_500(store: SparqlServer, v1: Path, v2: Path) -> None:
    push_graph(store.store_url, v1, **FAST)
    with FaultProxy(store, put_faults=[500, 500, 500, 500]) as proxy:
        started = time.monotonic()
        with pytest.raises(ServerError) as err:
            push_graph(proxy.store_url, v2, **FAST)
        assert time.monotonic() - started < 5
        assert proxy.put_count == 3
    message = str(err.value)
    assert proxy.store_url in message and "3 times" in message and "HTTP 500" in message
    assert _graph_triples(store) == _local_triples(v1)


@server
def test_push_detects_half_a_graph(store: SparqlServer, v1: Path) -> None:
    with FaultProxy(store, put_faults=["truncate"]) as proxy:
        with pytest.raises(VerificationError) as err:
            push_graph(proxy.store_url, v1, **FAST)
    message = str(err.value)
    # 10 lines sent (9 triples and the marker); the store got the first 5.
    assert "holds only 5 of the 10 triples sent (without the digest marker" in message
    assert "half a graph" in message and "another writer" not in message
    assert proxy.query_url in message


@server
def test_oxigraph_put_keeps_the_old_graph_when_the_body_is_bad(
    store: SparqlServer, v1: Path
) -> None:
    # The "never half a graph" promise rests on the store replacing in one transaction.
    push_graph(store.store_url, v1, **FAST)
    request = urllib.request.Request(
        graph_store_url(store.store_url, DEFAULT_GRAPH_IRI),
        data=b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> broken",
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        LOCAL.open(request, timeout=5)
    assert err.value.code == 400
    assert _graph_triples(store) == _local_triples(v1)


# ------------------------------------------------------------------- pure parts (no server)


def test_credentials_from_env() -> None:
    assert credentials_from_env({}) is None
    basic = credentials_from_env({USER_ENV: "u", PASSWORD_ENV: "p"})
    assert basic is not None and basic.scheme == "basic" and "p" not in repr(basic)
    digest = credentials_from_env(
        {USER_ENV: "u", PASSWORD_ENV: "p", "TSUNAGARI_PUSH_AUTH": "digest"}
    )
    assert digest is not None and digest.scheme == "digest"
    bearer = credentials_from_env({TOKEN_ENV: "t"})
    assert bearer is not None and bearer.scheme == "bearer"
    with pytest.raises(CredentialsError, match=PASSWORD_ENV):
        credentials_from_env({USER_ENV: "u"})
    with pytest.raises(CredentialsError, match="unset one"):
        credentials_from_env({USER_ENV: "u", PASSWORD_ENV: "p", TOKEN_ENV: "t"})


@pytest.mark.parametrize(
    ("store_url", "query_url"),
    [
        ("http://127.0.0.1:7878/store", "http://127.0.0.1:7878/query"),
        ("http://localhost:3030/tsunagari/data", "http://localhost:3030/tsunagari/query"),
        ("http://gdb:7200/repositories/ts/rdf-graphs/service", "http://gdb:7200/repositories/ts"),
        ("https://v.example/sparql-graph-crud-auth", "https://v.example/sparql-auth"),
        ("https://v.example/sparql-graph-crud/", "https://v.example/sparql"),
        (
            "https://db.neptune.amazonaws.com:8182/sparql/gsp/",
            "https://db.neptune.amazonaws.com:8182/sparql",
        ),
    ],
)
def test_derive_query_endpoint(store_url: str, query_url: str) -> None:
    assert derive_query_endpoint(store_url) == query_url


def test_push_refuses_bad_arguments_before_sending(tmp_path: Path, v1: Path) -> None:
    with pytest.raises(PushError, match="--query-endpoint"):
        push_graph("http://127.0.0.1:9/unknown-shape", v1)
    with pytest.raises(CredentialsError, match="never on the command line"):
        push_graph("http://bob:pw@127.0.0.1:9/store", v1)
    with pytest.raises(PushError, match="not an absolute IRI"):
        push_graph("http://127.0.0.1:9/store", v1, graph_iri="build> } DROP ALL {")
    with pytest.raises(PushError, match="tsunagari build"):
        push_graph("http://127.0.0.1:9/store", tmp_path / "missing.trig")


# --------------------------------------------------------------------------------- the proxy


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a "hang" leaves a broken pipe; that is the point


class FaultProxy:
    """An HTTP proxy on 127.0.0.1 in front of a real server that injects faults on request.

    ``put_faults`` is consumed one per PUT: an int answers that status without forwarding,
    ``"hang"`` waits past the client's timeout, ``"truncate"`` forwards half the body's lines,
    ``"ignore"`` answers 204 without forwarding, ``"append"`` adds a statement of its own.
    ``require_auth`` answers 401 unless the Authorization header equals it.
    """

    def __init__(
        self,
        upstream: SparqlServer,
        put_faults: list[int | str] | None = None,
        require_auth: str | None = None,
        digest: tuple[str, str] | None = None,
    ) -> None:
        self.upstream = upstream
        self.put_faults = list(put_faults or [])
        self.require_auth = require_auth
        self.digest = digest
        self.redirects: dict[str, str] = {}  # path → same-origin path, answered with a 307
        self.auth_headers: list[str] = []
        self.put_count = 0
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.store_url = f"http://127.0.0.1:{self.port}/store"
        self.query_url = f"http://127.0.0.1:{self.port}/query"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep pytest output clean

            def _answer(self, status: int, body: bytes = b"", ctype: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _digest_ok(self) -> bool:
                assert proxy.digest is not None
                header = self.headers.get("Authorization") or ""
                if not header.startswith("Digest "):
                    return False
                fields = dict(
                    (k.strip(), v.strip().strip('"'))
                    for k, _, v in (item.partition("=") for item in header[7:].split(","))
                )
                user, password = proxy.digest

                def md5(text: str) -> str:
                    return hashlib.md5(text.encode()).hexdigest()

                ha1 = md5(f"{user}:test:{password}")
                ha2 = md5(f"{self.command}:{fields.get('uri')}")
                expected = md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:"
                               f"{fields.get('cnonce')}:{fields.get('qop')}:{ha2}")
                return fields.get("username") == user and fields.get("response") == expected

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.auth_headers.append(self.headers.get("Authorization") or "")
                if proxy.require_auth and self.headers.get("Authorization") != proxy.require_auth:
                    self._answer(401, b"who are you?")
                    return
                if proxy.digest and not self._digest_ok():
                    self.send_response(401)
                    self.send_header("WWW-Authenticate",
                                     'Digest realm="test", nonce="n0nce", qop="auth", '
                                     'algorithm=MD5')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path = self.path.split("?")[0]
                if path in proxy.redirects:
                    query = self.path[len(path):]
                    self.send_response(307)
                    self.send_header("Location", proxy.redirects[path] + query)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.command == "PUT":
                    proxy.put_count += 1
                    fault = proxy.put_faults.pop(0) if proxy.put_faults else None
                    if isinstance(fault, int):
                        self._answer(fault, b"injected failure")
                        return
                    if fault == "hang":
                        time.sleep(1.5)
                        self._answer(504, b"too late")
                        return
                    if fault == "truncate":
                        lines = body.splitlines(keepends=True)
                        body = b"".join(lines[: len(lines) // 2])
                    if fault == "ignore":  # a store that says yes and keeps what it had
                        self._answer(204)
                        return
                    if fault == "append":  # another writer's statement lands with ours
                        body += b"<https://example.org/x> <https://example.org/y> \"z\" .\n"
                self._forward(body)

            def _forward(self, body: bytes) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream.port, timeout=10)
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "content-length", "authorization")
                }
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                conn.close()
                self._answer(
                    response.status, payload, response.getheader("Content-Type", "text/plain")
                )

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

        return Handler


# ------------------------------------------------------------- bundled queries, real export


@server
def test_bundled_queries_over_http_match_local(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    """`tsunagari serve` answers every bundled query as `tsunagari query` does locally."""
    trig = tmp_path / "tsunagari.trig"
    trig.write_bytes(export_trig(build_graph(records)))
    queries = bundled_queries()
    assert queries
    answered = 0
    with start_server(trig, port=None) as running:
        for name, query in queries.items():
            remote = _rows(select(running.query_url, query.text))
            local = run_query(query, trig)
            local_rows = [tuple(row[v] for v in local.variables) for row in local.values()]
            assert _unordered(remote) == _unordered(local_rows), name
            answered += bool(remote)
    # Some queries may rightly find nothing in eleven cases; most must find something.
    assert answered > len(queries) // 2


@server
def test_push_the_embedded_export(
    store: SparqlServer, records: list[dict[str, Any]], tmp_path: Path
) -> None:
    graph = build_graph(records)
    trig = tmp_path / "tsunagari.trig"
    trig.write_bytes(export_trig(graph))
    iri = "https://example.org/embedded"
    result = push_graph(store.store_url, trig, graph_iri=iri, **FAST)
    assert result.triples == len(graph) > 1000
    assert push_graph(store.store_url, trig, graph_iri=iri, **FAST).triples == len(graph)


def _unordered(rows: list[tuple[str | None, ...]]) -> list[tuple[object, ...]]:
    # SPARQL leaves the order inside GROUP_CONCAT unspecified (two runs of one engine can differ),
    # so a concatenated cell is compared as the set of its parts.
    def cell(value: str | None) -> object:
        if value is None or "," not in value:
            return value
        return tuple(sorted(part.strip() for part in value.split(",")))

    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)


@server
def test_push_says_the_upload_happened_when_verification_cannot_run(
    store: SparqlServer, v1: Path
) -> None:
    down = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointUnreachableError) as err:
        push_graph(store.store_url, v1, query_endpoint=down, **FAST)
    assert str(err.value).startswith("uploaded to ") and down in str(err.value)
    assert _graph_triples(store) == _local_triples(v1)
