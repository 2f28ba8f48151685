"""Issue 12: credentials stay with their origin, queries make no outbound request, push
verifies content, timeouts are numbers, `serve` dies cleanly and fails cleanly on a busy port.

Every server here is real and on 127.0.0.1: Oxigraph, the fault proxy of the push tests, a
redirecting server, a digest-protected proxy and a SERVICE "victim" that must receive nothing.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from graph.sparql.client import (
    InsecureTransportError,
    RedirectRefusedError,
    check_transport,
    credentials_from_env,
)
from graph.sparql.push import (
    AUTH_SCHEME_ENV,
    DEFAULT_GRAPH_IRI,
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    AuthenticationError,
    VerificationError,
    build_payload,
    push_graph,
    serialize_triples,
)
from graph.sparql.query import (
    QueryParameterError,
    ServiceRefusedError,
    load_store,
    refuse_service,
    run_query,
)
from graph.sparql.serve import ServeError, SparqlServer, start_server
from tests.repo import EXPORTS_DIR, ROOT, TRIG_FILE
from tests.sparql.test_serve_push import (
    FAST,
    LOCAL,
    TRIG_V1,
    FaultProxy,
    _graph_triples,
    _local_triples,
    _QuietServer,
)

server = pytest.mark.server


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in (USER_ENV, PASSWORD_ENV, TOKEN_ENV, AUTH_SCHEME_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def store() -> Iterator[SparqlServer]:
    with start_server(None, read_only=False, port=None) as running:
        yield running


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "v1.trig"
    path.write_text(TRIG_V1, encoding="utf-8")
    return path


# --------------------------------------------------------------------- small local servers


class Recorder:
    """A listener that records every request it gets (and answers 200, or resets)."""

    def __init__(self, reset: bool = False) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                recorder.requests.append((self.command, self.path, dict(self.headers)))
                if reset:  # RST instead of an answer
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.connection.close()
                    return
                body = b'{"head":{"vars":["n"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _handle  # noqa: N815

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class Redirector:
    """Answers every request with ``code`` and ``Location: target + path`` (or forwards a
    path prefix to a real server when ``pass_through`` matches)."""

    def __init__(self, code: int, target: str, only: str | None = None,
                 upstream: SparqlServer | None = None) -> None:
        self.hits = 0
        redirector = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if only is not None and not self.path.startswith(only) and upstream:
                    _forward(self, upstream, body)
                    return
                redirector.hits += 1
                self.send_response(code)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = _handle  # noqa: N815

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> Redirector:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _forward(handler: BaseHTTPRequestHandler, upstream: SparqlServer, body: bytes) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", upstream.port, timeout=10)
    headers = {k: v for k, v in handler.headers.items()
               if k.lower() in ("content-type", "accept")}
    conn.request(handler.command, handler.path, body=body or None, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    handler.send_response(response.status)
    handler.send_header("Content-Type", response.getheader("Content-Type", "text/plain"))
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


# -------------------------------------------------------------- 1. the safe HTTP client


@server
@pytest.mark.parametrize("code", [302, 307])
@pytest.mark.parametrize("scheme", ["basic", "bearer"])
def test_push_never_follows_a_redirect_to_another_origin(
    store: SparqlServer, v1: Path, monkeypatch: pytest.MonkeyPatch, code: int, scheme: str
) -> None:
    if scheme == "basic":
        monkeypatch.setenv(USER_ENV, "alice")
        monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    else:
        monkeypatch.setenv(TOKEN_ENV, "tok-123")
    with Recorder() as elsewhere:
        # Same host, another port: another origin. The PUT goes through; the verification
        # query is redirected (the attack of issue 12: the target could fake the answer).
        with Redirector(code, elsewhere.url.rstrip("/"), only="/query", upstream=store) as hop:
            with pytest.raises(RedirectRefusedError) as err:
                push_graph(hop.base + "/store", v1, **FAST)
        assert elsewhere.requests == []  # not one request, so no Authorization header either
    message = str(err.value)
    assert f"127.0.0.1:{elsewhere.port}" in message and "another origin" in message
    assert "s3cret" not in message and "tok-123" not in message


@server
def test_a_same_origin_307_is_followed_with_credentials(
    store: SparqlServer, v1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, "alice")
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    with FaultProxy(store, require_auth="Basic YWxpY2U6czNjcmV0") as proxy:
        # A redirector on the proxy's own origin is impossible (one port, one server), so the
        # proxy itself redirects /old/store → /store.
        proxy.redirects = {"/old/store": "/store"}
        result = push_graph(proxy.url + "old/store", v1, query_endpoint=proxy.query_url, **FAST)
    assert result.triples == 9
    assert _graph_triples(store) == _local_triples(v1)


@server
def test_basic_and_bearer_refused_over_plain_http_to_another_host(
    store: SparqlServer, v1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "tok-123")
    with FaultProxy(store, require_auth="Bearer tok-123") as proxy:
        # 0.0.0.0 is not a loopback address by name, yet Linux connects it to this machine:
        # a "remote" host that stays local.
        remote_looking = f"http://0.0.0.0:{proxy.port}/store"
        with pytest.raises(InsecureTransportError, match="--insecure"):
            push_graph(remote_looking, v1, **FAST)
        assert proxy.put_count == 0  # refused before sending
        result = push_graph(remote_looking, v1, insecure=True, **FAST)
    assert result.triples == 9


def test_transport_rules() -> None:
    basic = credentials_from_env({USER_ENV: "u", PASSWORD_ENV: "p"})
    digest = credentials_from_env({USER_ENV: "u", PASSWORD_ENV: "p", AUTH_SCHEME_ENV: "digest"})
    bearer = credentials_from_env({TOKEN_ENV: "t"})
    for creds in (basic, bearer):
        with pytest.raises(InsecureTransportError):
            check_transport("http://store.example.org/store", creds)
        check_transport("https://store.example.org/store", creds)
        check_transport("http://127.0.0.1:7878/store", creds)  # loopback: no warning
        check_transport("http://[::1]:7878/store", creds)
        check_transport("http://localhost:7878/store", creds)
        check_transport("http://store.example.org/store", creds, insecure=True)
    check_transport("http://store.example.org/store", digest)  # digest never sends the password
    check_transport("http://store.example.org/store", None)


@server
def test_digest_auth_keeps_working(
    store: SparqlServer, v1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, "pw-digest")
    monkeypatch.setenv(AUTH_SCHEME_ENV, "digest")
    with FaultProxy(store, digest=("dba", "pw-digest")) as proxy:
        result = push_graph(proxy.store_url, v1, **FAST)
        assert result.triples == 9
        assert all("pw-digest" not in header for header in proxy.auth_headers)
        assert any(header.startswith("Digest ") for header in proxy.auth_headers)
        monkeypatch.setenv(PASSWORD_ENV, "wrong")
        with pytest.raises(AuthenticationError, match="digest credentials"):
            push_graph(proxy.store_url, v1, **FAST)


# ----------------------------------------------------------- 7. verification by content


TRIG_V1_SAME_COUNT = TRIG_V1.replace("ts:staffCount 12 .", "ts:staffCount 99 .")


@server
def test_push_sees_a_store_that_ignored_the_put(
    store: SparqlServer, v1: Path, tmp_path: Path
) -> None:
    push_graph(store.store_url, v1, **FAST)
    other = tmp_path / "same-count.trig"
    other.write_text(TRIG_V1_SAME_COUNT, encoding="utf-8")
    with FaultProxy(store, put_faults=["ignore"]) as proxy:
        with pytest.raises(VerificationError) as err:
            push_graph(proxy.store_url, other, **FAST)
    message = str(err.value)
    # Same triple count, different content: a count would have said "success".
    body, _ = serialize_triples(other)
    assert hashlib.sha256(body).hexdigest() == build_payload(other, DEFAULT_GRAPH_IRI).digest
    assert "holds another build" in message and "ignored the PUT" in message
    assert build_payload(other, DEFAULT_GRAPH_IRI).digest[:12] in message
    assert build_payload(v1, DEFAULT_GRAPH_IRI).digest[:12] in message  # what the store has


@server
def test_push_names_another_writer(store: SparqlServer, v1: Path) -> None:
    with FaultProxy(store, put_faults=["append"]) as proxy:
        with pytest.raises(VerificationError, match=r"plus 1 statements .* another writer"):
            push_graph(proxy.store_url, v1, **FAST)


# ------------------------------------------------------------- 2. no outbound requests


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    "select * {{ ?s ?p ?o .service silent <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_query_refuses_service_and_sends_nothing(template: str, tmp_path: Path) -> None:
    data = tmp_path / "v1.trig"
    data.write_text(TRIG_V1, encoding="utf-8")
    with Recorder() as victim:
        query = tmp_path / "federated.rq"
        query.write_text(template.format(url=victim.url), encoding="utf-8")
        with pytest.raises(ServiceRefusedError, match="SERVICE"):
            run_query(query, load_store(data), timeout=10)
        assert victim.requests == []


def test_service_check_spares_iris_strings_and_names() -> None:
    for text in (
        "SELECT * { ?s a <http://schema.org/Service> }",
        "PREFIX ex: <http://e/> SELECT * { ?s ex:SERVICE ?o }",
        "SELECT ?service { ?service ?p ?o }",
        'SELECT * { ?s ?p "SERVICE <http://x/> {}" } # SERVICE <http://x/> {}',
    ):
        refuse_service(text)


def test_cli_query_service_reset_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "v1.trig"
    data.write_text(TRIG_V1, encoding="utf-8")
    with Recorder(reset=True) as victim:
        query = tmp_path / "federated.rq"
        query.write_text(f"SELECT * {{ SERVICE <{victim.url}> {{ ?s ?p ?o }} }}\n")
        result = subprocess.run(
            [sys.executable, "-m", "graph", "query", str(query), "--data", str(data)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert victim.requests == []
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "SERVICE is refused" in result.stderr


@server
def test_serve_refuses_service_and_sends_nothing(v1: Path) -> None:
    with Recorder() as victim, start_server(v1, port=None) as running:
        for template in SERVICE_QUERIES:
            query = template.format(url=victim.url)
            get = urllib.request.Request(
                running.query_url + "?" + urllib.parse.urlencode({"query": query}))
            post = urllib.request.Request(
                running.query_url, data=query.encode(),
                headers={"Content-Type": "application/sparql-query"})
            form = urllib.request.Request(
                running.query_url, data=urllib.parse.urlencode({"query": query}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"})
            for request in (get, post, form):
                with pytest.raises(urllib.error.HTTPError) as refused:
                    LOCAL.open(request, timeout=10)
                assert refused.value.code == 400
                assert b"SERVICE" in refused.value.read()
        assert victim.requests == []
        # Ordinary queries still work through the front.
        ok = urllib.request.Request(
            running.query_url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
            headers={"Accept": "application/sparql-results+json"})
        with LOCAL.open(ok, timeout=10) as answer:
            assert b"true" in answer.read()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@server
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_serve_stops_an_abandoned_cartesian_query() -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with start_server(EXPORTS_DIR / TRIG_FILE, port=None, timeout=1) as running:
        # A client that waits gets a clean 503 at the timeout …
        request = urllib.request.Request(
            running.query_url, data=urllib.parse.urlencode({"query": cartesian}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as stopped:
            LOCAL.open(request, timeout=30)
        assert stopped.value.code == 503 and b"timeout" in stopped.value.read()
        # … and one that hangs up leaves no query running: the child's CPU time stops growing.
        with socket.create_connection(("127.0.0.1", running.port), 5) as sock:
            body = urllib.parse.urlencode({"query": cartesian}).encode()
            sock.sendall(
                b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: "
                b"application/x-www-form-urlencoded\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body
            )
        busy = running.child
        # Past the front's timeout (1 s) and the child's --timeout-s (2 s): Oxigraph's own
        # timeout does not stop an aggregate, so the front replaces the child. Polled, with a
        # generous bound, so a loaded machine only makes it slower, never wrong.
        deadline = time.monotonic() + 60
        while running.child is busy and time.monotonic() < deadline:
            time.sleep(0.2)
        assert busy.process.poll() is not None and running.child is not busy
        assert running.restarts == 2 and running.running
        pid = running.child.process.pid
        before = _cpu_seconds(pid)
        time.sleep(1)
        assert _cpu_seconds(pid) - before < 0.3  # idle, not a busy core
        with LOCAL.open(running.query_url + "?query=ASK%7B%7D", timeout=10) as answer:
            assert answer.status == 200  # and the endpoint still answers


# ------------------------------------------------------------------- 9. bad timeouts


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_query_timeout_must_be_a_finite_positive_number(value: str, tmp_path: Path) -> None:
    with pytest.raises(QueryParameterError, match="timeout"):
        run_query("gaps", tmp_path / "unused.ttl", timeout=float(value))
    result = subprocess.run(
        [sys.executable, "-m", "graph", "query", "--name", "gaps", "--timeout", value],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--timeout" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_serve_and_push_timeouts_must_be_finite(value: str, v1: Path) -> None:
    with pytest.raises(ServeError, match="--timeout"):
        start_server(v1, port=None, timeout=float(value))
    for command in (["serve", "--data", str(v1)],
                    ["push", "--endpoint", "http://127.0.0.1:9/store", "--data", str(v1)]):
        result = subprocess.run(
            [sys.executable, "-m", "graph", *command, "--timeout", value],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, command
        assert "timeout" in result.stderr and "SPARQL endpoint" not in result.stdout


# ------------------------------------------------------------- 12. serve's lifecycle


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _serve(port: int, data: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", str(port), "--data", str(data)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


@server
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_serve_stops_its_child_and_store_on_signal(signum: int, v1: Path) -> None:
    from graph.sparql.serve import free_port

    port = free_port()
    proc = _serve(port, v1)
    try:
        assert proc.stdout is not None
        assert f"127.0.0.1:{port}/query" in proc.stdout.readline()
        children = _children(proc.pid)
        assert len(children) == 1
        child = children[0]
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        store_dir = Path(cmdline[cmdline.index(b"--location") + 1].decode()).parent
        assert store_dir.is_dir()
        proc.send_signal(signum)
        assert proc.wait(timeout=20) == 0, proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text()
    assert not store_dir.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), 1):
        pass


@server
def test_second_serve_on_a_busy_port_is_one_line(v1: Path) -> None:
    from graph.sparql.serve import free_port

    port = free_port()
    first = _serve(port, v1)
    try:
        assert first.stdout is not None and "/query" in first.stdout.readline()
        second = subprocess.run(
            [sys.executable, "-m", "graph", "serve", "--port", str(port), "--data", str(v1)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=20)
    assert second.returncode == 1
    assert second.stdout == ""  # no URL printed for a server that never ran
    assert second.stderr.count("\n") == 1, second.stderr
    assert f"port {port}" in second.stderr and "already in use" in second.stderr
    assert "backtrace" not in second.stderr.lower() and "panicked" not in second.stderr
