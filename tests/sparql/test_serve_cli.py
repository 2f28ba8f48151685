"""`tsunagari serve` as a user runs it: a real server, a query over HTTP, Ctrl-C to stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.sparql.serve import free_port
from tests.repo import EXPORTS_DIR, ROOT, TRIG_FILE

pytestmark = pytest.mark.server


def _query(url: str, sparql: str) -> dict[str, object]:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": sparql}),
        headers={"Accept": "application/sparql-results+json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
    with opener.open(request, timeout=10) as response:
        result: dict[str, object] = json.load(response)
    return result


def test_serve_prints_its_url_answers_and_stops_on_ctrl_c() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", str(port),
         "--data", str(EXPORTS_DIR / TRIG_FILE)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in first, first
        rows = _query(
            f"http://127.0.0.1:{port}/query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?o a <https://w3id.org/tsunagari/def#Organisation> }",
        )
        bindings = rows["results"]["bindings"]  # type: ignore[index]
        assert bindings[0]["n"]["value"] == "15"  # the committed exports: 11 + 4 organisations
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.2)
    with pytest.raises(OSError):  # the server is gone with the command
        _query(f"http://127.0.0.1:{port}/query", "ASK {}")


def test_serve_refuses_a_missing_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph", "serve", "--data", str(tmp_path / "none.trig")],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert "none.trig" in result.stderr
