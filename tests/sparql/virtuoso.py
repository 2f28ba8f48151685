"""A throw-away Virtuoso (Debian's ``virtuoso-opensource``) on 127.0.0.1 for the tests.

Its own ini file and database in a temporary directory, free ports for SQL and HTTP, started
in the foreground by the test and killed after it: no system service, no state kept. A new
database has the account ``dba`` with password ``dba``, and ``/sparql-graph-crud-auth`` (the
Graph Store endpoint with digest auth) lets ``dba`` write. Results are capped at 1,000 rows
(``ResultSetMaxRows``; Virtuoso's default is 10,000), below the embedded export's 2,297 triples,
so push's read-back must page past a cap the store does not announce.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.sparql.serve import free_port

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
USER, PASSWORD = "dba", "dba"  # the defaults of a fresh database
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000
MaxQueryExecutionTime = 60
"""


class Virtuoso:
    """URLs of a running throw-away Virtuoso."""

    def __init__(self, http_port: int, log: Path) -> None:
        base = f"http://127.0.0.1:{http_port}"
        self.base = base
        self.graph_store = base + "/sparql-graph-crud-auth"
        self.query_auth = base + "/sparql-auth"
        self.query = base + "/sparql"
        self.log = log

    def version(self) -> str:
        out = subprocess.run([VIRTUOSO, "-?"], capture_output=True, text=True, check=False)
        for line in (out.stdout + out.stderr).splitlines():
            if "Version" in line:
                return line.strip()
        return "unknown"


@contextlib.contextmanager
def running_virtuoso(where: Path) -> Iterator[Virtuoso]:
    """Start Virtuoso with a fresh database under ``where``; stop it and delete nothing else."""
    if not Path(VIRTUOSO).exists():
        if os.environ.get("CI"):
            pytest.fail("virtuoso-opensource is not installed (apt-get install it)")
        pytest.skip("virtuoso-t is not installed")
    where.mkdir(parents=True, exist_ok=True)
    (where / "vsp").mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = where / "virtuoso.ini"
    ini.write_text(INI.format(db=where, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=where, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = Virtuoso(http_port, where / "virtuoso.log")
    try:
        deadline = time.monotonic() + 90  # a new database takes a few seconds to create
        while True:
            if process.poll() is not None:
                log = server.log.read_text(errors="replace") if server.log.exists() else ""
                pytest.fail(f"Virtuoso exited with {process.returncode}:\n{log[-2000:]}")
            try:
                with _LOCAL.open(server.query + "?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("Virtuoso did not answer within 90 s")
            time.sleep(0.25)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
