"""A SPARQL 1.1 endpoint over the export: Oxigraph's server behind a small front of ours.

The PyPI package ``oxigraph`` ships the server binary. :func:`start_server` loads an export
(TriG keeps each case's named graph) into a fresh store directory with ``oxigraph load``, then
runs ``oxigraph serve-read-only`` on it, so updates are refused by the server itself (HTTP 403),
not by a check of ours. The store lives in a temporary directory that :meth:`SparqlServer.stop`
deletes: loading the casebook export takes well under a second, and a cache could go stale.

Oxigraph cannot be told to refuse ``SERVICE`` (it would send the query to any URL a client
names), so the child listens on a private loopback port and the user's address belongs to
:mod:`graph.sparql.front`: it refuses SERVICE, enforces the query timeout (the child gets
``--timeout-s`` too, so an abandoned query is stopped, not only forgotten), serves our own
query page, and adds CORS headers when asked. Binding the user's port first means a busy
port is a one-line error before anything else starts.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Any

from graph.resources import TRIG_FILE
from graph.sparql.front import Front, ServeError, check_cors

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_DATA = Path("exports") / TRIG_FILE  # in the current directory
OXIGRAPH_BIN_ENV = "TSUNAGARI_OXIGRAPH"
DEFAULT_TIMEOUT_S = 60.0  # per query
READY_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 1.0  # Oxigraph takes ~2 s to honour SIGTERM; its store is a throw-away copy
_PORT_ATTEMPTS = 5  # a free port picked by us can be taken before the server binds it
_LOG_LINES = 40
# The readiness probe talks to our own child; an http_proxy from the environment must not see it.
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))




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


class _Endpoints:
    """The URLs of a SPARQL server listening on ``host`` and ``port``."""

    @property
    def host(self) -> str:
        """The address it listens on."""
        raise NotImplementedError

    @property
    def port(self) -> int:
        """The port clients connect to."""
        raise NotImplementedError

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


class OxigraphServer(_Endpoints):
    """A running ``oxigraph serve`` child process: its URLs, readiness and shutdown."""

    @property
    def host(self) -> str:
        """The address it listens on."""
        return self._host

    @property
    def port(self) -> int:
        """The port it listens on."""
        return self._port

    def __init__(
        self,
        process: subprocess.Popen[str],
        host: str,
        port: int,
        workdir: tempfile.TemporaryDirectory[str] | None,
    ) -> None:
        self.process = process
        self._host = host
        self._port = port
        self._workdir = workdir
        self._log: deque[str] = deque(maxlen=_LOG_LINES)
        # Drain the child's output so it never blocks on a full pipe; keep the tail for errors.
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()

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


class SparqlServer(_Endpoints):
    """What :func:`start_server` returns: the front (if any) and the Oxigraph child behind it."""

    def __init__(
        self,
        child: OxigraphServer,
        front: Any | None = None,
        respawn: Callable[[], OxigraphServer] | None = None,
    ) -> None:
        self.child = child
        self.front = front
        self.restarts = 0
        self._respawn = respawn
        self._lock = threading.Lock()
        self._stopping = False
        # PR_SET_PDEATHSIG fires when the *thread* that spawned a child ends, and the front's
        # request threads are short-lived: new children are spawned from one lasting thread.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oxigraph-spawn")

    def restart_child(self, stuck: OxigraphServer) -> int | None:
        """Replace a child that holds a query past the timeout; the new child's port.

        Oxigraph's ``--timeout-s`` cancels a query only while it streams solutions: an
        aggregate over a cartesian product (``COUNT(*)`` over ``?a ?b ?c . ?d ?e ?f …``) keeps a
        core busy long after the client gave up. Killing the child is the one way to stop it;
        the store on disk stays, and a new child opens it in well under a second. Queries that
        were running beside it get a 502 and can be sent again.
        """
        with self._lock:
            if self._stopping or self._respawn is None:
                return None
            if stuck is not self.child:  # another request already restarted it
                return self.child.port
            workdir, stuck._workdir = stuck._workdir, None
            stuck.stop(timeout=0.5)
            try:
                fresh = self._spawner.submit(self._respawn).result()
            except ServeError:
                self.child._workdir = workdir  # stop() still deletes the store
                return None
            fresh._workdir = workdir
            self.child = fresh
            self.restarts += 1
            return fresh.port

    @property
    def host(self) -> str:
        """The address clients connect to."""
        return str(self.front.host) if self.front is not None else self.child.host

    @property
    def port(self) -> int:
        """The port clients connect to."""
        return int(self.front.port) if self.front is not None else self.child.port

    @property
    def running(self) -> bool:
        """Whether the child process is still alive."""
        return self.child.running

    @property
    def store_dir(self) -> Path | None:
        """The temporary store directory (deleted by :meth:`stop`)."""
        workdir = self.child._workdir
        return Path(workdir.name) if workdir is not None else None

    def log(self) -> str:
        """The last lines the Oxigraph child wrote."""
        return self.child.log()

    def wait(self) -> int:
        """Block until the child exits (and was not replaced by :meth:`restart_child`)."""
        while True:
            child = self.child
            code = child.wait()
            with self._lock:
                if child is self.child:
                    return code

    def stop(self) -> None:
        """Stop the front, then the child, and delete the store. Idempotent."""
        with self._lock:
            self._stopping = True
        if self.front is not None:
            self.front.close()
        self.child.stop()
        self._spawner.shutdown(wait=False)

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Stopped(BaseException):
    """A termination signal arrived (raised in the main thread by the handler)."""


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP end the block like Ctrl-C does (the exception is
    swallowed here). ``kill`` and systemd send SIGTERM, a closed terminal SIGHUP, and Python's
    default for both ends the process without any cleanup: the child went on serving and its
    store stayed on disk. Enter it *before* starting the server, so no moment is unguarded."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise _Stopped(signum)

    watched = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, on_signal) for signum in watched}
    try:
        yield
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def serve_until_stopped(
    server: SparqlServer, announce: Callable[[], None] | None = None
) -> int | None:
    """Call ``announce`` (print the URL), then block until the child exits (its exit code) or a
    signal stops us (raised on to :func:`stopped_by_signals`); the server is stopped and its
    store deleted in every case, even if the signal lands during ``announce``."""
    try:
        if announce is not None:
            announce()
        return server.wait()
    finally:
        # A second signal must not interrupt the cleanup: that is what leaks the store.
        watched = [signal.SIGINT, signal.SIGTERM] + (
            [signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
        previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in watched}
        try:
            server.stop()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def child_timeout(timeout: float) -> int:
    """Oxigraph's ``--timeout-s`` for a front timeout: whole seconds, a second later than the
    front's, so the front answers first (a clean 503) and the child stops the query after."""
    return math.ceil(timeout) + 1


def start_server(
    data: Path | None = DEFAULT_DATA,
    *,
    host: str = DEFAULT_HOST,
    port: int | None = DEFAULT_PORT,
    read_only: bool = True,
    union_default_graph: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    cors: str | None = None,
    ready_timeout: float = READY_TIMEOUT_S,
    store: Path | None = None,
) -> SparqlServer:
    """Load ``data`` into a temporary store and serve it; return once it answers HTTP.

    ``store``: serve this existing on-disk store (``tsunagari build --store DIR``) as it is,
    read-only, instead of loading ``data``: nothing is copied, and :meth:`SparqlServer.stop`
    leaves the directory in place.

    ``port=None`` picks a free port. ``union_default_graph`` makes queries without ``GRAPH``
    see every case's named graph, as ``tsunagari query`` does over the export. A read-only
    server (the default, ``tsunagari serve``) sits behind the front: SERVICE refused, ``timeout``
    seconds per query, our query page, ``cors`` (an origin or ``*``) for pages elsewhere.
    ``read_only=False`` (``oxigraph serve``, for tests and local experiments only) accepts
    updates, has no front, and starts empty when ``data=None``.
    """
    if store is not None:
        if not read_only or data is not None:
            raise ServeError("a kept store is served read-only and alone (not with --data)")
        check_store(store)
    elif read_only and data is None:
        raise ServeError("a read-only server needs data to serve (pass --data)")
    if timeout is not None and (not math.isfinite(timeout) or timeout <= 0):
        raise ServeError(f"--timeout must be a positive number of seconds, not {timeout!r}")
    if cors is not None:
        check_cors(cors)
    front = Front.bind(host, port or 0) if read_only else None  # a busy port fails here
    workdir = (tempfile.TemporaryDirectory(prefix="tsunagari-oxigraph-") if store is None
               else None)  # fmt: skip
    try:
        if workdir is None:
            assert store is not None
            location = store  # the kept store: served in place, never deleted
        else:
            location = Path(workdir.name) / "store"
        if data is not None:
            load_store(data, location)
        child_host = DEFAULT_HOST if read_only else host
        fixed = None if read_only else port

        def spawn() -> OxigraphServer:
            attempts = _PORT_ATTEMPTS if fixed is None else 1
            for attempt in range(attempts):
                chosen = free_port(child_host) if fixed is None else fixed
                child = _spawn(
                    location, child_host, chosen, read_only, union_default_graph,
                    child_timeout(timeout) if timeout is not None else None,
                )
                try:
                    child.wait_until_ready(ready_timeout)
                except ServeError as exc:
                    child.stop()
                    if "already in use" in str(exc) and attempt + 1 < attempts:
                        continue
                    raise
                except BaseException:  # Ctrl-C while waiting: leave no server behind
                    child.stop()
                    raise
                return child
            raise AssertionError("unreachable")  # pragma: no cover

        child = spawn()
        # Only a server that answers owns the store; until then a retry reuses it.
        child._workdir = workdir
        served = SparqlServer(child, front, spawn if front is not None else None)
        if front is not None:
            front.start(served, timeout=timeout, cors=cors)
        return served
    except BaseException:
        if front is not None:
            front.close()
        if workdir is not None:
            workdir.cleanup()
        raise


def check_store(path: Path) -> None:
    """Refuse, in one line, a directory that is not an on-disk Oxigraph (RocksDB) store."""
    if not path.is_dir():
        raise ServeError(f"{path}: no such store directory (make one with "
                         "`tsunagari build --store DIR`)")  # fmt: skip
    if not (path / "CURRENT").is_file():
        raise ServeError(f"{path}: not an Oxigraph store (no RocksDB CURRENT file)")


def _die_with_parent() -> None:
    # Linux: the child gets SIGKILL when we die, even by SIGKILL, so no server outlives us.
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


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
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    return OxigraphServer(process, host, port, None)


def _first_error(output: str) -> str:
    # Oxigraph prints "Error: …" followed by a Rust backtrace; only the first line helps a user.
    for line in output.splitlines():
        if line.startswith("Error:"):
            return line.removeprefix("Error:").strip()
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
