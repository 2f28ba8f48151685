"""The HTTP front of ``tsunagari serve``: the user's port, in front of Oxigraph on a private one.

What it adds to Oxigraph's read-only server, and why it has to be a front:

- ``SERVICE`` refused (:func:`graph.sparql.query.refuse_service`) before the child sees the
  query: Oxigraph has no switch for it, and a server that runs SERVICE is a request forger.
- A timeout per query: the front answers 503 after ``timeout`` seconds, and the child (given
  ``--timeout-s`` one second longer) stops the query, even when the client has gone away.
- Our own query page (``/``, ``/page.js``, ``/page.css``, ``/queries.json``) under a strict
  Content-Security-Policy: nothing is fetched from anywhere but this server.
- CORS headers for one origin (``--cors``), not for every origin as Oxigraph's ``--cors``.
- Writes refused here too (403): only GET/HEAD/POST of queries and GET of the Graph Store.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from graph.errors import TsunagariError
from graph.rdf.namespaces import PREFIXES
from graph.resources import page_dir

MAX_QUERY_BYTES = 1 << 20  # a query, form-encoded; far above any hand-written query
MAX_RESULT_BYTES = 256 << 20  # buffered so a timeout can still be a clean 503
PAGE_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/page.js": ("page.js", "text/javascript; charset=utf-8"),
    "/page.css": ("page.css", "text/css; charset=utf-8"),
}
# Only this server: no inline script, no outside fetch, no framing, no form posts elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
_ORIGIN = re.compile(
    r"^https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$"
)
_FORWARDED_HEADERS = ("accept", "content-type")


class ServeError(TsunagariError):
    """The SPARQL server could not be started (missing binary, bad data, port in use …)."""


def check_cors(origin: str) -> str:
    """``*`` or one origin such as ``https://example.org:8443``; else a :class:`ServeError`."""
    if origin == "*" or _ORIGIN.match(origin):
        return origin
    raise ServeError(
        f"--cors {origin!r} is not an origin: give scheme://host[:port] "
        "(e.g. https://example.org) or * for any page"
    )


def query_catalogue() -> bytes:
    """The bundled queries (text, title, description, parameters) and prefixes, as JSON."""
    from graph.sparql.query import bundled_queries

    queries = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": dict(q.params),
            "sets": dict(q.sets),
            "text": q.text,
        }
        for q in bundled_queries().values()
    ]
    return json.dumps({"prefixes": PREFIXES, "queries": queries}, ensure_ascii=False).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    front: Front

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-answer is not our error; never print


class Front:
    """The listening socket on the user's address, and the thread that serves it."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        server.front = self
        self.host = server.server_address[0]
        self.port = int(server.server_address[1])
        self.served: Any = None  # the SparqlServer: its current child, and restarts
        self.timeout: float | None = None
        self.cors: str | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._catalogue: bytes | None = None

    @classmethod
    def bind(cls, host: str, port: int) -> Front:
        """Take the port now: a busy port is an error before anything else starts."""
        _Server.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            server = _Server((host, port), _Handler, bind_and_activate=False)
            # Not SO_REUSEADDR's "share with a listener in TIME_WAIT" only: on Linux it never
            # lets two listeners share a port, so a second serve still fails here.
            server.server_bind()
            server.server_activate()
        except OSError as err:
            with contextlib.suppress(UnboundLocalError):
                server.server_close()
            if err.errno == 98 or "in use" in str(err):
                raise ServeError(
                    f"port {port} on {host} is already in use: stop the other server "
                    "or choose another port with --port"
                ) from None
            if err.errno == 99 or "assign requested address" in str(err):
                raise ServeError(
                    f"cannot listen on {host}: not an address of this machine (see --host)"
                ) from None
            if err.errno == 13:
                raise ServeError(
                    f"no permission to listen on port {port}: use a port above 1023"
                ) from None
            raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
        return cls(server)

    def start(self, served: Any, *, timeout: float | None, cors: str | None) -> None:
        """Serve in a daemon thread, forwarding to ``served.child`` (Oxigraph on loopback)."""
        self.served = served
        self.timeout = timeout
        self.cors = cors
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def catalogue(self) -> bytes:
        """The page's queries and prefixes, built once."""
        if self._catalogue is None:
            self._catalogue = query_catalogue()
        return self._catalogue

    def close(self) -> None:
        """Stop serving and release the port. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "tsunagari-serve"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # only the CLI prints

    # ----------------------------------------------------------------------- routing

    def do_GET(self) -> None:
        self._route(head=False)

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path != "/query":
            self._drain()
            self._refuse_write()
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            self._text(413, f"query larger than {MAX_QUERY_BYTES} bytes\n", close=True)
            return
        body = self.rfile.read(length)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            texts = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query", [])
        elif media == "application/sparql-query":
            texts = [body.decode("utf-8", "replace")]
        else:
            self._text(415, "send the query as application/x-www-form-urlencoded "
                            "(query=…) or application/sparql-query\n")
            return
        self._query(texts, body)

    def do_PUT(self) -> None:
        self._drain()
        self._refuse_write()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def do_OPTIONS(self) -> None:
        front = self.server.front
        if front.cors is None:
            self._text(405, "no cross-origin requests (start serve with --cors ORIGIN)\n")
            return
        self.send_response(204)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route(self, head: bool) -> None:
        parts = urllib.parse.urlsplit(self.path)
        if parts.path in PAGE_FILES:
            name, ctype = PAGE_FILES[parts.path]
            self._page((page_dir() / name).read_bytes(), ctype, head)
        elif parts.path == "/queries.json":
            self._page(self.server.front.catalogue(), "application/json", head)
        elif parts.path == "/query":
            if not parts.query:
                self._text(400, "give a query: /query?query=SELECT…\n")
                return
            texts = urllib.parse.parse_qs(parts.query).get("query", [])
            self._query(texts, None, head=head)
        elif parts.path == "/store":
            self._forward(None, head=head)
        else:
            self._text(404, "not found: this server answers /query (SPARQL) and /store "
                            "(Graph Store, read-only)\n")

    # ----------------------------------------------------------------------- answers

    def _query(self, texts: list[str], body: bytes | None, head: bool = False) -> None:
        from graph.sparql.query import ServiceRefusedError, refuse_service

        if len(texts) != 1:
            self._text(400, "give exactly one query parameter\n")
            return
        try:
            refuse_service(texts[0])
        except ServiceRefusedError as err:
            self._text(400, f"{err}\n")
            return
        self._forward(body, head=head)

    def _forward(self, body: bytes | None, head: bool = False) -> None:
        front = self.server.front
        deadline = None if front.timeout is None else time.monotonic() + front.timeout
        headers = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED_HEADERS}
        child = front.served.child
        conn = http.client.HTTPConnection("127.0.0.1", child.port, timeout=5)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            if conn.sock is not None and deadline is not None:
                conn.sock.settimeout(max(deadline - time.monotonic(), 0.01))
            response = conn.getresponse()
            chunks: list[bytes] = []
            size = 0
            while True:
                if deadline is not None and conn.sock is not None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError
                    conn.sock.settimeout(remaining)
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_RESULT_BYTES:
                    self._text(507, f"the result is larger than {MAX_RESULT_BYTES >> 20} MB: "
                                    "add a LIMIT\n")
                    return
                chunks.append(chunk)
        except TimeoutError:
            conn.close()
            front.served.restart_child(child)  # the only way to stop the query for good
            self._text(503, f"query stopped after the {front.timeout:g} s timeout "
                            "(tsunagari serve --timeout)\n")
            return
        except (OSError, http.client.HTTPException):
            self._text(502, "the SPARQL server behind this page did not answer\n")
            return
        finally:
            conn.close()
        payload = b"".join(chunks)
        self.send_response(response.status)
        self.send_header("Content-Type", response.getheader("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(payload)))
        self._common_headers()
        self.end_headers()
        if not head:
            self.wfile.write(payload)

    def _page(self, payload: bytes, ctype: str, head: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self._common_headers()
        self.end_headers()
        if not head:
            self.wfile.write(payload)

    def _refuse_write(self) -> None:
        self._text(403, "this endpoint is read-only: updates and Graph Store writes are refused\n")

    def _text(self, status: int, text: str, close: bool = False) -> None:
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self._common_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _drain(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if 0 < length <= MAX_QUERY_BYTES:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _common_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self._cors_headers()

    def _cors_headers(self) -> None:
        cors = self.server.front.cors
        if cors is not None:
            self.send_header("Access-Control-Allow-Origin", cors)
            if cors != "*":
                self.send_header("Vary", "Origin")
