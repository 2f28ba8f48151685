"""Our query page of `tsunagari serve`, in headless Chromium (Debian's, via Playwright), with
every request to anything but the server aborted and recorded; and --cors over plain HTTP.

A screenshot is kept in ``$TSUNAGARI_ARTEFACTS`` (or pytest's tmp dir).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.sparql.front import CSP
from graph.sparql.query import bundled_queries, run_query
from graph.sparql.serve import SparqlServer, start_server
from tests.repo import EXPORTS_DIR, TRIG_FILE, TURTLE_FILE

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def served() -> Iterator[SparqlServer]:
    with start_server(EXPORTS_DIR / TRIG_FILE, port=None, timeout=30) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is not installed at /usr/bin/chromium")
        pytest.skip("no /usr/bin/chromium")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("TSUNAGARI_ARTEFACTS")
    path = Path(where) if where else tmp_path_factory.mktemp("artefacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


class QueryPage:
    """The page loaded from the server; outside requests aborted, console errors kept."""

    def __init__(self, browser: Any, served: SparqlServer, path: str = "") -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.origin = served.url.rstrip("/")
        self.page.route("**/*", self._route)
        self.response = self.page.goto(served.url + path)
        # Locators, not wait_for_function: the page's CSP forbids the eval that polling uses.
        self.page.locator("#bundled option").nth(1).wait_for(state="attached")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/") or url.startswith("blob:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def wait_for_result(self) -> str:
        done = re.compile(r"rows? in|HTTP|error|did not answer")
        self.page.locator("#status").filter(has_text=done).wait_for()
        return str(self.page.text_content("#status"))

    def table(self) -> list[list[str]]:
        return self.page.evaluate(
            """() => [...document.querySelectorAll('#results tbody tr')].map(
                 tr => [...tr.cells].map(td => td.textContent))""")

    def close(self) -> None:
        self.context.close()


def _local(name: str, **params: str) -> list[list[str]]:
    result = run_query(name, EXPORTS_DIR / TURTLE_FILE, params=params)
    return sorted([[v or "" for v in row.values()] for row in result.values()])


@pytest.mark.browser
@pytest.mark.server
def test_page_runs_bundled_queries_offline(
    browser: Any, served: SparqlServer, artefacts: Path
) -> None:
    page = QueryPage(browser, served)
    try:
        assert page.response.headers["content-security-policy"] == CSP
        options = page.page.eval_on_selector_all("#bundled option", "os => os.map(o => o.value)")
        assert set(options) == {"", *bundled_queries()}
        # Your own query starts with the project's prefixes.
        editor = page.page.input_value("#query")
        assert "PREFIX ts: <https://w3id.org/tsunagari/def#>" in editor
        page.page.select_option("#bundled", "organisations-by-target")
        description = str(page.page.text_content("#description"))
        assert bundled_queries()["organisations-by-target"].description[:40] in description
        page.page.fill("#param-target", "不登校の児童生徒")
        assert '"不登校の児童生徒"' in page.page.input_value("#query")
        page.page.click("#run")
        assert "rows in" in page.wait_for_result()
        rows = page.table()
        assert sorted(rows) == _local("organisations-by-target", target="不登校の児童生徒")
        assert any("KOMPOSITION" in row for row in rows)
        page.page.screenshot(path=str(artefacts / "serve-query-page.png"), full_page=True)
        # The URL now holds the query: opening it elsewhere runs it again, same rows.
        shared = page.page.url
        assert "name=organisations-by-target" in shared and "param.target=" in shared
        # CSV and JSON downloads carry the same rows.
        with page.page.expect_download() as csv_download:
            page.page.click("#csv")
        table = list(csv.reader(io.StringIO(Path(csv_download.value.path()).read_text())))
        assert sorted(table[1:]) == sorted(rows)
        with page.page.expect_download() as json_download:
            page.page.click("#json")
        doc = json.loads(Path(json_download.value.path()).read_text())
        assert len(doc["results"]["bindings"]) == len(rows)
        # A set column (GROUP_CONCAT) comes out sorted, as `tsunagari query` prints it.
        page.page.select_option("#bundled", "shared-collaborators")
        page.page.click("#run")
        page.wait_for_result()
        assert sorted(page.table()) == _local("shared-collaborators")
        assert page.outside == [] and page.errors == []
    finally:
        page.close()
    again = QueryPage(browser, served, "?" + urllib.parse.urlsplit(shared).query)
    try:
        again.wait_for_result()
        assert sorted(again.table()) == sorted(rows)
        assert again.page.input_value("#param-target") == "不登校の児童生徒"
        assert again.outside == [] and again.errors == []
    finally:
        again.close()


@pytest.mark.browser
@pytest.mark.server
def test_page_shows_refusals_and_never_renders_html(browser: Any, served: SparqlServer) -> None:
    page = QueryPage(browser, served)
    try:
        page.page.fill("#query", "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
        page.page.click("#run")
        assert "SERVICE is refused" in page.wait_for_result()
        hostile = '<img src=x onerror="window.pwned=1">'
        page.page.fill("#query", f"SELECT ?x {{ BIND({json.dumps(hostile)} AS ?x) }}")
        page.page.click("#run")
        assert "1 row in" in page.wait_for_result()
        assert page.table() == [[hostile]]
        assert page.page.evaluate("document.querySelectorAll('#results img').length") == 0
        assert page.page.evaluate("window.pwned") is None
        # A shared own query (?query=…) fills the editor and runs.
        assert "query=" in page.page.url
        assert page.outside == []
    finally:
        page.close()


@pytest.mark.server
def test_cors_only_when_asked() -> None:
    data = EXPORTS_DIR / TRIG_FILE
    ask = "?" + urllib.parse.urlencode({"query": "ASK {}"})
    with start_server(data, port=None) as plain:
        with LOCAL.open(plain.query_url + ask, timeout=10) as answer:
            assert answer.headers.get("Access-Control-Allow-Origin") is None
        with pytest.raises(urllib.error.HTTPError) as refused:
            LOCAL.open(urllib.request.Request(plain.query_url, method="OPTIONS"), timeout=10)
        assert refused.value.code == 405
    with start_server(data, port=None, cors="https://example.org") as open_to_one:
        with LOCAL.open(open_to_one.query_url + ask, timeout=10) as answer:
            assert answer.headers["Access-Control-Allow-Origin"] == "https://example.org"
        preflight = urllib.request.Request(open_to_one.query_url, method="OPTIONS",
                                           headers={"Origin": "https://example.org"})
        with LOCAL.open(preflight, timeout=10) as answer:
            assert answer.status == 204
            assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    from graph.sparql.serve import ServeError

    with pytest.raises(ServeError, match="--cors"):
        start_server(data, port=None, cors="example.org; evil")


@pytest.mark.server
def test_page_assets_are_served_offline_with_a_csp() -> None:
    with start_server(EXPORTS_DIR / TRIG_FILE, port=None) as running:
        for path in ("", "page.js", "page.css", "queries.json"):
            with LOCAL.open(running.url + path, timeout=10) as answer:
                body = answer.read().decode()
                assert answer.headers["Content-Security-Policy"] == CSP
                assert answer.headers["X-Content-Type-Options"] == "nosniff"
                if path == "":  # the page names no outside resource (the browser test checks
                    assert not re.search(r'(src|href)="(https?:)?//', body)  # fetches too)
                assert "prefix.cc" not in body
        with pytest.raises(urllib.error.HTTPError) as refused:
            LOCAL.open(urllib.request.Request(running.update_url, data=b"update=CLEAR+ALL",
                                              method="POST"), timeout=10)
        assert refused.value.code == 403
