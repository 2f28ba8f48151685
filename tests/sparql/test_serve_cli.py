"""`tsunagari serve` as a user runs it: a real server, a query over HTTP, Ctrl-C to stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
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


def test_serve_store_answers_from_the_store_build_kept_and_leaves_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    built = subprocess.run(
        [sys.executable, "-m", "graph", "build", "--out", str(tmp_path / "exports"),
         "--store", str(store), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", str(port), "--store", str(store)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/query"
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert url in first and "read-only" in first, first
        rows = _query(
            url,
            "SELECT (COUNT(*) AS ?n) WHERE { ?o a <https://w3id.org/tsunagari/def#Organisation> }",
        )
        bindings = rows["results"]["bindings"]  # type: ignore[index]
        assert bindings[0]["n"]["value"] == "15"  # the embedded casebooks: 11 + 4 organisations
        # Named graphs kept as the build made them: one per case.
        graphs = _query(url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        cases = _query(url, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE "
                            "{ ?c a <https://w3id.org/tsunagari/def#Case> }")
        n_graphs = graphs["results"]["bindings"][0]["n"]["value"]  # type: ignore[index]
        assert n_graphs == cases["results"]["bindings"][0]["n"]["value"]  # type: ignore[index]
        # Read-only: an update is refused.
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update", method="POST",
            data=b"update=" + urllib.parse.quote_plus("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
            .encode(), headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(update, timeout=10)
        assert refused.value.code in (403, 404, 405)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (store / "CURRENT").is_file()  # the kept store is not the server's to delete


def test_serve_store_refuses_a_directory_that_is_no_store(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph", "serve", "--store", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert str(tmp_path) in result.stderr and "not an Oxigraph store" in result.stderr
    assert "Traceback" not in result.stderr
