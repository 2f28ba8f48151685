"""The network page in a real headless Chromium, opened from file:// with the network cut off.

Run with ``pytest -m browser``. Debian's ``chromium`` package is driven through Playwright's
``executable_path``; no browser is downloaded. A screenshot is kept in ``$TSUNAGARI_ARTEFACTS``
(or pytest's tmp dir) as a test artefact.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

import graph.network as network
from graph.view import render as view

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _sample() -> Graph:
    from test_network import sample_graph  # the hand-made graph of the unit tests

    return sample_graph()


def synthetic_graph(n_orgs: int, seed: int = 1) -> Graph:
    from test_network import synthetic_graph  # casebook-shaped, any size

    return synthetic_graph(n_orgs, seed)


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


class Page:
    """A loaded page with what it tried to fetch and what it logged."""

    def __init__(self, browser: Any, html_file: Path, size: tuple[int, int] = (1400, 850)) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(
            f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.route("**/*", self._route)
        self.page.goto(html_file.as_uri())
        # generous: a loaded CI machine is slow; how fast it loads is benchmarks/page_load.py's
        self.page.wait_for_function("window.tsunagari && window.tsunagari.ready", timeout=120_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def visible(self) -> set[str]:
        return set(self.js("tsunagari.visibleNodeIds()"))

    def click_node(self, node: str) -> None:
        x, y = self.js(
            """(id) => { const n = tsunagari.network; n.focus(id, {scale: 1.5, animation: false});
                const p = n.canvasToDOM(n.getPositions([id])[id]); return [p.x, p.y]; }""", node,
        )
        box = self.page.locator("#network").bounding_box()
        self.page.mouse.click(box["x"] + x, box["y"] + y)

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def sample_net() -> nx.MultiDiGraph:
    return network.build_network(_sample())


@pytest.fixture(scope="module")
def sample_file(sample_net: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "network.html"
    path.write_text(view.render_html(sample_net), encoding="utf-8")
    return path


@pytest.fixture()
def page(browser: Any, sample_file: Path) -> Iterator[Page]:
    loaded = Page(browser, sample_file)
    yield loaded
    assert loaded.requests == [], "the page tried to reach the network"
    assert loaded.errors == [], "the page logged errors"
    assert loaded.js("window.__xss") is None, "untrusted text ran as script"
    loaded.close()


def _id(net: nx.MultiDiGraph, label: str) -> str:
    return next(n for n, d in net.nodes(data=True) if d["label"] == label)


def test_counts_equal_the_graph(page: Page, sample_net: nx.MultiDiGraph, artefacts: Path) -> None:
    assert page.js("tsunagari.nodes.length") == sample_net.number_of_nodes()
    assert page.js("tsunagari.edges.length") == sample_net.number_of_edges()
    page.page.screenshot(path=str(artefacts / "network-sample.png"))


def test_shared_collaborator_ranked_and_focused(page: Page, sample_net: nx.MultiDiGraph) -> None:
    ranked = page.page.locator("#shared-list li button")
    expected = [sample_net.nodes[n]["label"] for n in network.shared_collaborators(sample_net)]
    assert ranked.all_inner_texts() == expected
    assert "2団体" in page.page.locator("#shared-list li").first.inner_text()
    ranked.first.click()
    top = network.shared_collaborators(sample_net)[0]
    assert page.visible() == {top, *sample_net.predecessors(top), *sample_net.successors(top)}
    assert page.page.locator("#focus-banner").is_visible()
    page.page.locator("#reset").click()
    assert len(page.visible()) > len({top, *sample_net.predecessors(top)})


def test_click_opens_details(page: Page, sample_net: nx.MultiDiGraph) -> None:
    page.click_node(_id(sample_net, "クラブしききず"))
    details = page.page.locator("#details")
    assert details.locator("h2.name").inner_text() == "クラブしききず"
    text = details.inner_text()
    for expected in ("地域密着型サードプレイスによる一体的支援事業", "志木第三小学校",
                     "会場提供・情報共有", "★", "☆", "多世代", "参加人数: 1984人",
                     "data/casebooks/sample.txt: 3–60", "サンカクシャ"):
        assert expected in text
    link = details.locator("a")
    assert link.get_attribute("href") == "https://shikkys.example/"


def test_filters_hide_what_they_should(page: Page, sample_net: nx.MultiDiGraph) -> None:
    club, sanka = _id(sample_net, "クラブしききず"), _id(sample_net, "サンカクシャ")
    multi = _id(sample_net, "多世代")
    page.page.select_option("#filter-target", multi)
    shown = page.visible()
    assert club in shown and sanka not in shown  # サンカクシャ has 多世代 only as ☆
    assert _id(sample_net, "Farm to Home") not in shown
    page.page.select_option("#filter-target-mode", "both")
    assert sanka in page.visible()
    page.page.locator("#reset").click()
    page.page.locator('input[data-kind="partner"]').uncheck()
    kinds = {sample_net.nodes[n]["kind"] for n in page.visible()}
    assert "partner" not in kinds and "organisation" in kinds
    page.page.locator('input[data-kind="partner"]').check()
    page.page.locator("#shared-only").check()
    partners = {n for n in page.visible() if sample_net.nodes[n]["kind"] == "partner"}
    assert partners == {_id(sample_net, "志木市社会福祉協議会")}
    tokyo = _id(sample_net, "東京都")
    page.page.locator("#reset").click()
    page.page.select_option("#filter-prefecture", tokyo)
    assert club not in page.visible() and sanka in page.visible()


def test_search_by_half_width_spelling(page: Page) -> None:
    page.page.locator("#search").fill("ｻﾝｶｸｼｬ")
    assert "サンカクシャ" in page.page.locator("#search-results").inner_text()
    page.page.locator("#search").press("Enter")
    assert page.page.locator("#details h2.name").inner_text() == "サンカクシャ"
    page.page.locator("#search").fill("しっきーず")  # an alias
    assert "クラブしききず" in page.page.locator("#search-results").inner_text()


def test_english_switch_for_vocabulary(page: Page, sample_net: nx.MultiDiGraph) -> None:
    multi = _id(sample_net, "多世代")
    page.page.locator("#lang").click()
    assert page.js("(id) => tsunagari.nodes.get(id).label", multi) == "All generations"
    assert page.page.locator("h1").inner_text() == "Tsunagari network"
    page.page.locator("#lang").click()
    assert page.js("(id) => tsunagari.nodes.get(id).label", multi) == "多世代"


def test_untrusted_text_stays_inert(page: Page, sample_net: nx.MultiDiGraph) -> None:
    from test_network import XSS_NAME, XSS_PARTNER

    evil = _id(sample_net, XSS_NAME)
    page.page.locator("#search").fill("悪意")
    page.page.locator("#search").press("Enter")
    details = page.page.locator("#details")
    assert details.locator("h2.name").text_content() == XSS_NAME
    assert details.locator("img, script").count() == 0
    assert "<script>window.__xss=5</script>取組" in details.text_content()
    assert XSS_PARTNER in details.text_content()
    assert details.locator("a").count() == 0  # the javascript: website is not a link
    assert "javascript:window.__xss=4" in details.text_content()
    # hover tooltips are plain text too
    page.click_node(evil)
    box = page.page.locator("#network").bounding_box()
    x, y = page.js(
        "(id) => { const n = tsunagari.network; const p = n.canvasToDOM(n.getPositions([id])[id]);"
        " return [p.x, p.y]; }", evil,
    )
    page.page.mouse.move(box["x"] + x + 1, box["y"] + y + 1)
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="attached")
    page.page.wait_for_function(
        "document.querySelector('div.vis-tooltip').style.visibility === 'visible'"
    )
    assert XSS_NAME in tooltip.text_content()
    assert tooltip.locator("img, script").count() == 0  # innerText makes only <br>s
    assert page.page.locator("img").count() == 0
    assert page.js("window.__xss") is None


# --- the real casebook, and scale -----------------------------------------------------------


@pytest.mark.slow
def test_embedded_casebook(browser: Any, tmp_path: Path, artefacts: Path) -> None:
    """The page `tsunagari build` writes for the embedded casebook, partners included."""
    from graph.pipeline import run_build
    from tests.repo import CASEBOOK_DIR, NETWORK_HTML

    result = run_build([CASEBOOK_DIR])
    assert result.graph is not None
    net = network.build_network(result.graph)
    assert sum(1 for _, d in net.nodes(data=True) if d["kind"] == "partner") > 40
    path = tmp_path / "network.html"
    path.write_bytes(result.outputs[NETWORK_HTML])
    page = Page(browser, path)
    try:
        assert page.requests == [] and page.errors == []
        assert page.js("tsunagari.nodes.length") == net.number_of_nodes()
        assert page.js("tsunagari.edges.length") == net.number_of_edges()
        ranked = page.page.locator("#shared-list li button").count()
        assert ranked == len(network.shared_collaborators(net))
        places = page.page.locator("#places-list li button").all_inner_texts()
        assert places == [net.nodes[n]["label"] for n, _ in network.shared_places(net)]
        page.page.screenshot(path=str(artefacts / "network-casebook.png"))
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("n_orgs", [600, 1000])
def test_large_network_stays_usable(browser: Any, tmp_path: Path, n_orgs: int) -> None:
    net = network.build_network(synthetic_graph(n_orgs))
    path = tmp_path / "network.html"
    path.write_text(view.render_html(net, max_nodes=2000), encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.requests == [] and page.errors == []
        shown = page.js("tsunagari.nodes.length")
        assert shown <= 2000
        aggregated = page.page.locator("#notice")
        assert aggregated.is_visible() == (net.number_of_nodes() > 2000)
    finally:
        page.close()


@pytest.mark.slow
def test_aggregated_page_loads_and_says_so(browser: Any, tmp_path: Path, artefacts: Path) -> None:
    """A corpus over the default node threshold: the aggregated view loads cleanly and says so.

    600 synthetic organisations (about 2,000 nodes) cross the 1,500-node threshold while keeping
    CI quick; ``benchmarks/README.md`` has the load times at 1,000 and 10,000 cases.
    """
    net = network.build_network(synthetic_graph(600))
    assert net.number_of_nodes() > view.DEFAULT_MAX_NODES
    path = tmp_path / "network.html"
    path.write_text(view.render_html(net), encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.requests == [] and page.errors == []
        assert page.js("tsunagari.nodes.length") <= view.DEFAULT_MAX_NODES
        notice = page.page.locator("#notice")
        assert notice.is_visible()
        assert f"全 {net.number_of_nodes()} ノード" in notice.inner_text()
        kinds = page.js("tsunagari.nodes.get().map(n => n.kind)")
        assert kinds.count("organisation") > 100 and kinds.count("partner") > 50
        # betweenness is estimated at this size, and the details panel says so
        top = network.shared_collaborators(net)[0]
        page.page.locator("#shared-list li button").first.click()
        details = page.page.locator("#details").inner_text()
        pivots = net.graph["betweenness_pivots"]
        assert pivots < net.graph["betweenness_nodes"]
        assert f"{pivots} ノードを起点" in details and net.nodes[top]["label"] in details
        page.page.screenshot(path=str(artefacts / "network-aggregated.png"))
    finally:
        page.close()
