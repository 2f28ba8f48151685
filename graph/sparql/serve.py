"""A SPARQL 1.1 endpoint over the export, run by Oxigraph's own HTTP server.

The PyPI package ``oxigraph`` ships the server binary. :func:`start_server` loads an export
(TriG keeps each case's named graph) into a fresh store directory with ``oxigraph load``, then
runs ``oxigraph serve-read-only`` on it, so updates are refused by the server itself (HTTP 403),
not by a check of ours. The store lives in a temporary directory that :meth:`OxigraphServer.stop`
deletes: loading the casebook export takes well under a second, and a cache could go stale.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import IO

from graph.errors import TsunagariError
from graph.resources import TRIG_FILE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_DATA = Path("exports") / TRIG_FILE  # in the current directory
OXIGRAPH_BIN_ENV = "TSUNAGARI_OXIGRAPH"
READY_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0
_PORT_ATTEMPTS = 5  # a free port picked by us can be taken before the server binds it
_LOG_LINES = 40
# The readiness probe talks to our own child; an http_proxy from the environment must not see it.
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServeError(TsunagariError):
    """The SPARQL server could not be started (missing binary, bad data, port in use …)."""


def find_oxigraph() -> str:
    """Path of the ``oxigraph`` server binary: ``$TSUNAGARI_OXIGRAPH``, the venv's, or PATH's."""
    override = os.environ.get(OXIGRAPH_BIN_ENV)
    if override:
        if Path(override).is_file():
            return override
        raise ServeError(f"{OXIGRAPH_BIN_ENV}={override} is not a file; unset it or fix the path")
    # The wheel installs the binary beside the interpreter's scripts; that directory is not on
    # PATH when the venv's python is run without activating the venv.
    for candidate in (Path(sysconfig.get_path("scripts")) / "oxigraph", shutil.which("oxigraph")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise ServeError(
        "the Oxigraph server binary was not found: install it with `pip install oxigraph` "
        f"(or set {OXIGRAPH_BIN_ENV} to its path)"
    )


def load_store(data: Path, location: Path) -> None:
    """Load an RDF file (format from its extension: .trig, .ttl, .nt, .nq) into a store dir."""
    if not data.is_file():
        raise ServeError(f"no data file at {data}: run `tsunagari build` first or pass --data")
    proc = subprocess.run(
        [find_oxigraph(), "load", "--location", str(location), "--file", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise ServeError(f"Oxigraph could not load {data}: {_first_error(proc.stderr)}")


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    """A running ``oxigraph serve`` child process: its URLs, readiness and shutdown."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        host: str,
        port: int,
        workdir: tempfile.TemporaryDirectory[str] | None,
    ) -> None:
        self.process = process
        self.host = host
        self.port = port
        self._workdir = workdir
        self._log: deque[str] = deque(maxlen=_LOG_LINES)
        # Drain the child's output so it never blocks on a full pipe; keep the tail for errors.
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:7878/`` (the browser query page)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """SPARQL 1.1 Protocol query endpoint."""
        return self.url + "query"

    @property
    def update_url(self) -> str:
        """SPARQL 1.1 Protocol update endpoint (refused by a read-only server)."""
        return self.url + "update"

    @property
    def store_url(self) -> str:
        """SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return self.url + "store"

    @property
    def running(self) -> bool:
        """Whether the child process is still alive."""
        return self.process.poll() is None

    def log(self) -> str:
        """The last lines the server wrote (for error messages)."""
        return "\n".join(self._log)

    def _read_output(self) -> None:
        stream: IO[str] | None = self.process.stdout
        if stream is None:
            return
        with contextlib.suppress(ValueError, OSError):
            for line in stream:
                self._log.append(line.rstrip())

    def wait_until_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Block until the server answers HTTP; raise :class:`ServeError` if it exits or stalls."""
        deadline = time.monotonic() + timeout
        while True:
            if not self.running:
                self._reader.join(timeout=1)
                raise ServeError(self._exit_message())
            try:
                with _LOCAL_OPENER.open(self.url, timeout=0.5) as response:
                    # Another program already on the port would answer too, until our child
                    # gives up binding it; only Oxigraph's own answer means ready.
                    if response.headers.get("Server", "").startswith("Oxigraph"):
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise ServeError(
                    f"the SPARQL server at {self.url} did not answer within {timeout:.0f} s; "
                    f"its output:\n{self.log()}"
                )
            time.sleep(0.05)

    def wait(self) -> int:
        """Block until the server exits (the CLI's foreground loop); return its exit code."""
        return self.process.wait()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Terminate the server (kill it if it ignores SIGTERM) and delete its store. Idempotent."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=1)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self._workdir is not None:
            # RocksDB may still hold files for a moment on slow disks; a leftover temp dir is
            # harmless, an exception during shutdown is not.
            with contextlib.suppress(OSError):
                self._workdir.cleanup()
            self._workdir = None

    def _exit_message(self) -> str:
        output = self.log()
        if "Address already in use" in output:
            return (
                f"port {self.port} on {self.host} is already in use: stop the other server "
                "or choose another port with --port"
            )
        if "Cannot assign requested address" in output:
            return f"cannot listen on {self.host}: not an address of this machine (see --host)"
        return (
            f"the SPARQL server exited with code {self.process.returncode}: {_first_error(output)}"
        )

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_server(
    data: Path | None = DEFAULT_DATA,
    *,
    host: str = DEFAULT_HOST,
    port: int | None = DEFAULT_PORT,
    read_only: bool = True,
    union_default_graph: bool = True,
    query_timeout_s: int | None = None,
    ready_timeout: float = READY_TIMEOUT_S,
) -> OxigraphServer:
    """Load ``data`` into a temporary store and serve it; return once it answers HTTP.

    ``port=None`` picks a free port. ``union_default_graph`` makes queries without ``GRAPH``
    see every case's named graph, as ``tsunagari query`` does over the export.
    ``read_only=False`` (``oxigraph serve``) accepts updates and Graph Store writes; ``data=None``
    then starts empty. A read-only server needs data.
    """
    if read_only and data is None:
        raise ServeError("a read-only server needs data to serve (pass --data)")
    workdir = tempfile.TemporaryDirectory(prefix="tsunagari-oxigraph-")
    try:
        location = Path(workdir.name) / "store"
        if data is not None:
            load_store(data, location)
        attempts = _PORT_ATTEMPTS if port is None else 1
        for attempt in range(attempts):
            chosen = free_port(host) if port is None else port
            server = _spawn(location, host, chosen, read_only, union_default_graph, query_timeout_s)
            try:
                server.wait_until_ready(ready_timeout)
            except ServeError as exc:
                server.stop()
                if "already in use" in str(exc) and attempt + 1 < attempts:
                    continue
                raise
            except BaseException:  # Ctrl-C while waiting: leave no server behind
                server.stop()
                raise
            # Only a server that answers owns the store; until then a retry reuses it.
            server._workdir = workdir
            return server
    except BaseException:
        workdir.cleanup()
        raise
    raise AssertionError("unreachable")  # pragma: no cover


def _spawn(
    location: Path,
    host: str,
    port: int,
    read_only: bool,
    union_default_graph: bool,
    query_timeout_s: int | None,
) -> OxigraphServer:
    command = [
        find_oxigraph(),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
    ]
    if union_default_graph:
        command.append("--union-default-graph")
    if query_timeout_s is not None:
        command += ["--timeout-s", str(query_timeout_s)]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    return OxigraphServer(process, host, port, None)


def _first_error(output: str) -> str:
    # Oxigraph prints "Error: …" followed by a Rust backtrace; only the first line helps a user.
    for line in output.splitlines():
        if line.startswith("Error:"):
            return line.removeprefix("Error:").strip()
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
