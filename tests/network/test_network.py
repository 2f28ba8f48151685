"""Network analysis and HTML rendering, on a small hand-made RDF graph and on the casebook."""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

import graph.network as network
from graph.network.gephi import export_gexf, gephi_attributes
from graph.network.graphml import _graphml_value
from graph.rdf.namespaces import ORG, PROV, SKOS, TS
from graph.view import render as view

ID = Namespace("https://w3id.org/tsunagari/id/")
SCHEMA = Namespace("https://schema.org/")

XSS_NAME = '<script>window.__xss=1</script>悪意"団体\'<img src=x onerror="window.__xss=2">&amp;'
XSS_PARTNER = "<img src=x onerror=window.__xss=3>商店"


def _labelled(g: Graph, node: URIRef, cls: URIRef, ja: str, en: str | None = None) -> URIRef:
    g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(ja, lang="ja")))
    if en:
        g.add((node, RDFS.label, Literal(en, lang="en")))
    return node


def _org(g: Graph, slug: str, name: str, *, title: str, places: list[URIRef], based: URIRef,
         primary: list[URIRef], secondary: list[URIRef], activities: list[URIRef],
         partners: list[tuple[URIRef, list[str]]], website: str, lines: tuple[int, int]) -> URIRef:
    org = _labelled(g, ID[f"org/{slug}"], TS.Organisation, name)
    init = _labelled(g, ID[f"initiative/{slug}"], TS.Initiative, title)
    g.add((org, TS.runs, init))
    g.add((org, TS.basedIn, based))
    g.add((org, SCHEMA.url, Literal(website)))
    g.add((org, TS.legalForm, ID["legal-form/npo"]))
    for place in places:
        g.add((init, TS.activeIn, place))
    for t in primary:
        g.add((init, TS.primaryTarget, t))
    for t in secondary:
        g.add((init, TS.secondaryTarget, t))
    for a in activities:
        g.add((init, TS.primaryActivity, a))
    case, book = ID[f"case/{slug}"], ID["source/sample"]
    g.add((init, TS.describedIn, case))
    g.add((case, PROV.wasDerivedFrom, book))
    g.add((book, TS.sourceFile, Literal("data/casebooks/sample.txt")))
    g.add((case, TS.lineStart, Literal(lines[0])))
    g.add((case, TS.lineEnd, Literal(lines[1])))
    outcome = ID[f"outcome/{slug}-1"]
    _labelled(g, outcome, TS.Outcome, "参加人数")
    g.add((outcome, SCHEMA.value, Literal(1984)))
    g.add((outcome, SCHEMA.unitText, Literal("人")))
    g.add((init, TS.hasOutcome, outcome))
    for i, (partner, roles) in enumerate(partners):
        g.add((org, TS.partneredWith, partner))
        if roles:
            rel = ID[f"partnership/{slug}-{i}"]
            g.add((org, TS.qualifiedPartnership, rel))
            g.add((rel, TS.partner, partner))
            for role in roles:
                g.add((rel, TS.role, Literal(role, lang="ja")))
    return org


def sample_graph() -> Graph:
    """Three organisations, two shared partners (one a municipality), and an XSS case."""
    g = Graph()
    saitama = _labelled(g, ID["place/110001"], TS.Prefecture, "埼玉県", "Saitama")
    tokyo = _labelled(g, ID["place/130001"], TS.Prefecture, "東京都", "Tokyo")
    shiki = _labelled(g, ID["place/112283"], TS.Municipality, "志木市", "Shiki")
    toshima = _labelled(g, ID["place/131164"], TS.Municipality, "豊島区", "Toshima")
    for mun, pref, code in ((shiki, saitama, "112283"), (toshima, tokyo, "131164")):
        g.add((mun, TS.inPrefecture, pref))
        g.add((mun, TS.lgCode, Literal(code)))
    g.add((toshima, RDF.type, TS.PartnerBody))  # a local government named as a partner
    multi = _labelled(g, ID["target/multi-generation"], TS.TargetGroup, "多世代", "All generations")
    youth = _labelled(g, ID["target/children-youth"], TS.TargetGroup, "こども・若者",
                      "Children and young people")
    _labelled(g, ID["target/disaster-affected"], TS.TargetGroup, "被災者", "Disaster-affected")
    exchange = _labelled(g, ID["activity/exchange-space"], TS.ActivityType, "交流の場の提供",
                         "Providing spaces for social exchange")
    _labelled(g, ID["legal-form/npo"], SKOS.Concept, "NPO法人", "NPO")
    school = _labelled(g, ID["cat/school"], TS.PartnerCategory, "学校", "School")
    welfare = _labelled(g, ID["cat/shakyo"], TS.PartnerCategory, "社会福祉協議会",
                        "Social welfare council")
    gov = _labelled(g, ID["cat/gov"], TS.PartnerCategory, "行政", "Government")
    shop = _labelled(g, ID["cat/shop"], TS.PartnerCategory, "企業・店舗", "Business")

    def partner(slug: str, name: str, cat: URIRef, place: URIRef | None = None) -> URIRef:
        node = _labelled(g, ID[f"body/{slug}"], TS.PartnerBody, name)
        g.add((node, TS.partnerCategory, cat))
        if place is not None:
            g.add((node, TS.locatedIn, place))
        return node

    school3 = partner("shiki-daisan", "志木第三小学校", school, shiki)
    shakyo = partner("shiki-shakyo", "志木市社会福祉協議会", welfare, shiki)
    g.add((shakyo, SKOS.altLabel, Literal("志木市社協", lang="ja")))
    kenko = partner("shiki-kenko", "志木市健康政策課", gov, shiki)
    g.add((kenko, ORG.subOrganizationOf, shiki))
    farm = partner("farm-to-home", "Farm to Home", shop)
    evil = partner("evil-shop", XSS_PARTNER, shop)
    club = _org(g, "club-shikizu", "クラブしききず",
                title="地域密着型サードプレイスによる一体的支援事業", places=[shiki], based=shiki,
                primary=[multi], secondary=[youth],
                activities=[exchange],
                partners=[(school3, ["会場提供", "情報共有"]), (shakyo, ["情報共有"]), (kenko, [])],
                website="https://shikkys.example/", lines=(3, 60))
    g.add((club, SKOS.altLabel, Literal("クラブしっきーず", lang="ja")))
    _org(g, "sankakusha", "サンカクシャ", title="若者の居場所", places=[toshima], based=toshima,
         primary=[youth], secondary=[multi], activities=[exchange],
         partners=[(toshima, ["広報"]), (shakyo, []), (farm, ["食材提供"])],
         website="https://sankakusha.example/", lines=(61, 120))
    _org(g, "evil", XSS_NAME, title="<script>window.__xss=5</script>取組", places=[toshima],
         based=toshima, primary=[youth], secondary=[], activities=[],
         partners=[(toshima, ['"><img src=x onerror=window.__xss=6>']), (evil, [])],
         website="javascript:window.__xss=4", lines=(121, 180))
    return g


def synthetic_graph(n_orgs: int, seed: int = 1) -> Graph:
    """A casebook-shaped graph: heavy-tailed partner reuse, 47 prefectures, real vocab sizes."""
    rng = random.Random(seed)
    g = Graph()
    prefs = [ID[f"pref/{i}"] for i in range(47)]
    for i, p in enumerate(prefs):
        g.add((p, RDF.type, TS.Prefecture))
        g.add((p, RDFS.label, Literal(f"県{i}", lang="ja")))
    muns = [ID[f"mun/{i}"] for i in range(300)]
    for i, m in enumerate(muns):
        g.add((m, RDF.type, TS.Municipality))
        g.add((m, RDFS.label, Literal(f"市{i}", lang="ja")))
        g.add((m, TS.inPrefecture, prefs[i % 47]))
    targets = [ID[f"tg/{i}"] for i in range(18)]
    for i, t in enumerate(targets):
        g.add((t, RDF.type, TS.TargetGroup))
        g.add((t, RDFS.label, Literal(f"対象{i}", lang="ja")))
    n_partners = n_orgs * 2
    for o in range(n_orgs):
        org, init = ID[f"org/{o}"], ID[f"init/{o}"]
        g.add((org, RDF.type, TS.Organisation))
        g.add((org, RDFS.label, Literal(f"団体{o}", lang="ja")))
        g.add((org, TS.runs, init))
        g.add((init, TS.activeIn, rng.choice(muns)))
        g.add((init, TS.primaryTarget, rng.choice(targets)))
        g.add((init, TS.secondaryTarget, rng.choice(targets)))
        for _ in range(rng.randint(1, 5)):
            # Pareto: a few bodies are everybody's partner, most are somebody's
            p = min(int(rng.paretovariate(1.2)) - 1, n_partners - 1) if rng.random() < 0.3 \
                else rng.randrange(n_partners)
            body = ID[f"body/{p}"]
            g.add((body, RDF.type, TS.PartnerBody))
            g.add((body, RDFS.label, Literal(f"連携先{p}", lang="ja")))
            g.add((org, TS.partneredWith, body))
    return g


@pytest.fixture(scope="module")
def sample() -> nx.MultiDiGraph:
    return network.build_network(sample_graph())


def _by_label(net: nx.MultiDiGraph, label: str) -> str:
    (node,) = [n for n, d in net.nodes(data=True) if d["label"] == label]
    return node


def test_nodes_have_ascii_ids_and_kinds(sample: nx.MultiDiGraph) -> None:
    kinds = {d["kind"] for _, d in sample.nodes(data=True)}
    assert kinds == set(network.KINDS)
    assert all(n.isascii() and re.fullmatch(r"[a-z]+-[A-Za-z0-9_.-]+", n) for n in sample)
    assert sample.nodes[_by_label(sample, "豊島区")]["kind"] == "municipality"
    # the unused target group of the full vocabulary is not drawn
    assert not [n for n, d in sample.nodes(data=True) if d["label"] == "被災者"]


def test_edges_by_relation_with_roles(sample: nx.MultiDiGraph) -> None:
    club, school = _by_label(sample, "クラブしききず"), _by_label(sample, "志木第三小学校")
    assert sample.edges[club, school, "partner_of"]["roles"] == ["会場提供", "情報共有"]
    multi, youth = _by_label(sample, "多世代"), _by_label(sample, "こども・若者")
    assert sample.has_edge(club, multi, "targets_primary")
    assert sample.has_edge(club, youth, "targets_secondary")
    kenko, shiki = _by_label(sample, "志木市健康政策課"), _by_label(sample, "志木市")
    assert sample.has_edge(kenko, shiki, "part_of")
    assert sample.has_edge(_by_label(sample, "志木市"), _by_label(sample, "埼玉県"), "located_in")
    relations = {k for _, _, k in sample.edges(keys=True)}
    assert relations <= set(network.RELATIONS)


def test_shared_collaborators_ranked(sample: nx.MultiDiGraph) -> None:
    shared = network.shared_collaborators(sample)
    assert [sample.nodes[n]["label"] for n in shared] == ["豊島区", "志木市社会福祉協議会"] or [
        sample.nodes[n]["label"] for n in shared
    ] == ["志木市社会福祉協議会", "豊島区"]
    assert all(sample.nodes[n]["n_orgs"] == 2 for n in shared)
    assert not sample.nodes[_by_label(sample, "Farm to Home")]["shared"]


def test_analysis_attributes(sample: nx.MultiDiGraph) -> None:
    shakyo = sample.nodes[_by_label(sample, "志木市社会福祉協議会")]
    assert shakyo["degree"] == 3  # two organisations and 志木市
    assert shakyo["betweenness"] > 0  # the only bridge between クラブしききず and サンカクシャ
    club = sample.nodes[_by_label(sample, "クラブしききず")]
    assert club["initiatives"][0]["source"] == {
        "file": "data/casebooks/sample.txt", "line_start": 3, "line_end": 60,
    }
    assert club["aliases"] == ["クラブしっきーず"]
    assert club["website"] == "https://shikkys.example/"


def test_projection_through_partners_and_places(sample: nx.MultiDiGraph) -> None:
    proj = network.project_organisations(sample)
    club, sanka = _by_label(sample, "クラブしききず"), _by_label(sample, "サンカクシャ")
    evil = _by_label(sample, XSS_NAME)
    assert proj.edges[club, sanka]["partners"] == [_by_label(sample, "志木市社会福祉協議会")]
    assert proj.edges[sanka, evil]["weight"] == 1  # 豊島区, as partner and as place
    assert set(proj.nodes) == {club, sanka, evil}


def test_graphml_is_deterministic_and_parses(sample: nx.MultiDiGraph) -> None:
    data = network.export_graphml(sample)
    again = network.export_graphml(network.build_network(sample_graph()))
    assert data == again
    root = ET.fromstring(data)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == sample.number_of_nodes()
    assert len(root.findall(".//g:edge", ns)) == sample.number_of_edges()
    assert "クラブしききず".encode() in data
    back = nx.read_graphml(__import__("io").BytesIO(data))
    assert back.number_of_nodes() == sample.number_of_nodes()


def test_layout_is_seeded_and_complete(sample: nx.MultiDiGraph) -> None:
    pos = network.layout_network(sample)
    assert set(pos) == set(sample.nodes)
    assert pos == network.layout_network(sample)
    assert len(set(pos.values())) == len(pos)  # nobody sits on top of anybody


def test_aggregate_below_and_above_threshold(sample: nx.MultiDiGraph) -> None:
    same, info = network.aggregate_network(sample, max_nodes=1000)
    assert same is sample and info is None
    small, info = network.aggregate_network(sample, max_nodes=10)
    assert info is not None and info.full_nodes == sample.number_of_nodes()
    assert small.number_of_nodes() <= 10 == 10
    kinds = {d["kind"] for _, d in small.nodes(data=True)}
    assert "activity" not in kinds
    assert all(d["shared"] for _, d in small.nodes(data=True) if d["kind"] == "partner")


def _payload(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="tsunagari-data">(.*?)</script>', html, re.S
    )
    assert match
    return json.loads(match.group(1))


def test_html_is_offline_deterministic_and_escaped(sample: nx.MultiDiGraph) -> None:
    html = view.render_html(sample)
    assert html == view.render_html(network.build_network(sample_graph()))
    # nothing remote: no http(s) URL in src/href attributes, no @import, no CDN
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "cdn" not in html.lower().replace("cdn_", "")
    # the untrusted name appears only JSON-escaped
    assert "<script>window.__xss" not in html
    assert "onerror" not in html.split('id="tsunagari-data"')[0]
    data = _payload(html)
    assert len(data["nodes"]) == sample.number_of_nodes()
    assert len(data["edges"]) == sample.number_of_edges()
    assert any(n["label"].startswith("<script>") or XSS_NAME.startswith(n["label"].rstrip("…"))
               for n in data["nodes"])


def test_html_aggregated_view_says_so(sample: nx.MultiDiGraph) -> None:
    html = view.render_html(sample, max_nodes=10)
    data = _payload(html)
    assert data["aggregation"]["full_nodes"] == sample.number_of_nodes()
    assert len(data["nodes"]) <= 10


# --- scale: betweenness, GraphML, layout and aggregation on larger networks -----------------


def _multi(graph: nx.Graph) -> nx.MultiDiGraph:
    """An undirected test graph as the network of organisations betweenness reads."""
    net = nx.MultiDiGraph()
    net.add_nodes_from((v, {"kind": "organisation"}) for v in sorted(graph))
    net.add_edges_from(graph.edges())
    return net


def test_betweenness_matches_networkx() -> None:
    graph = nx.relabel_nodes(nx.gnm_random_graph(120, 200, seed=3), lambda i: f"n{i:03d}")
    exact, pivots, n = network.betweenness(_multi(graph), max_pivots=10_000)
    assert pivots == n == 120
    reference = nx.betweenness_centrality(graph)
    assert max(abs(exact[v] - reference[v]) for v in graph) < 1e-12
    if tuple(int(x) for x in nx.__version__.split(".")[:2]) >= (3, 5):  # its sampled scaling
        sampled, pivots, _ = network.betweenness(_multi(graph), max_pivots=30, seed=7)
        reference = nx.betweenness_centrality(graph, k=30, seed=7)
        assert pivots == 30
        assert max(abs(sampled[v] - reference[v]) for v in graph) < 1e-12


def test_betweenness_pivots_bounded_and_recorded() -> None:
    net = network.build_network(synthetic_graph(300))
    n = net.graph["betweenness_nodes"]
    assert net.graph["betweenness_pivots"] == min(n, 500)  # a small network: the old 500 cap
    _, pivots, n = network.betweenness(net, work=network.MIN_PIVOTS * 10)
    assert pivots == network.MIN_PIVOTS < n  # a tiny budget still gets the minimum
    network.analyse_network(net, betweenness_work=network.MIN_PIVOTS * 10)
    assert net.graph["betweenness_method"] == f"approximate, {pivots} pivots of {n} nodes"
    graphml = network.export_graphml(net).decode()
    assert f'<data key="betweenness_method">approximate, {pivots} pivots' in graphml


def _graphml_by_networkx(net: nx.MultiDiGraph) -> bytes:
    """What ``export_graphml`` wrote when it went through ``nx.write_graphml_xml``."""
    out = nx.MultiDiGraph()
    out.graph.update(sorted(net.graph.items()))
    extra = gephi_attributes(net)
    for node, data in sorted(net.nodes(data=True)):
        attrs = {k: _graphml_value(v) for k, v in sorted({**data, **extra[node]}.items())}
        out.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
    for u, v, key, data in sorted(net.edges(keys=True, data=True), key=lambda e: e[:3]):
        attrs = {k: _graphml_value(v) for k, v in sorted(data.items())}
        attrs = {k: val for k, val in attrs.items() if val is not None}
        out.add_edge(u, v, key=key, edge_id=f"{u}--{key}--{v}", **attrs)
    buffer = __import__("io").BytesIO()
    nx.write_graphml_xml(out, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True,
                         edge_id_from_attribute="edge_id")
    return buffer.getvalue()


def test_graphml_writer_matches_networkx(sample: nx.MultiDiGraph) -> None:
    # quotes, <, > and & in the XSS case's labels and roles test the escaping
    assert network.export_graphml(sample) == _graphml_by_networkx(sample)
    big = network.build_network(synthetic_graph(200))
    assert network.export_graphml(big) == _graphml_by_networkx(big)


def test_index_refuses_unread_predicates() -> None:
    index = network.as_triples(sample_graph())
    with pytest.raises(KeyError):
        index.objects("https://w3id.org/tsunagari/id/org/evil", RDFS.label)  # a URIRef, not str
    with pytest.raises(KeyError):
        index.objects("https://w3id.org/tsunagari/id/org/evil", str(TS.mention))


def test_organisation_links_agree_with_projection() -> None:
    net = network.build_network(synthetic_graph(150))
    proj = network.project_organisations(net)
    orgs = sorted(n for n, d in net.nodes(data=True) if d["kind"] == "organisation")[::7]
    links = network.organisation_links(net, orgs)
    for org in orgs:
        expected = sorted(
            ((o, a["partners"] + a["places"]) for o, a in proj.adj[org].items()),
            key=lambda r: (-len(r[1]), r[0]),
        )
        assert links.get(org, []) == expected


_LAYOUT_SCRIPT = """
import hashlib, sys
sys.path[:0] = {paths!r}
from test_network import synthetic_graph
import graph.network as network
net = network.build_network(synthetic_graph(400))
view, _ = network.aggregate_network(net, 600)
print(hashlib.sha1(repr(sorted(network.layout_network(view).items())).encode()).hexdigest())
"""


def test_large_layout_same_in_every_process() -> None:
    """Set and dict orders change with PYTHONHASHSEED; the layout must not."""
    script = _LAYOUT_SCRIPT.format(paths=[str(Path(__file__).parent), str(Path.cwd())])
    digests = {
        subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_large_aggregate_keeps_organisations_and_partners() -> None:
    net = network.build_network(synthetic_graph(1200))
    view_net, info = network.aggregate_network(net, 400)
    assert info is not None and info.shown_nodes == view_net.number_of_nodes() <= 400
    assert "organisations" in info.steps
    kinds = [d["kind"] for _, d in view_net.nodes(data=True)]
    # both halves of "who works with whom" stay in view, linked to each other
    assert kinds.count("organisation") >= 100 and kinds.count("partner") >= 50
    assert sum(1 for *_, k in view_net.edges(keys=True) if k == "partner_of") >= 100
    positions = network.layout_network(view_net)
    assert set(positions) == set(view_net) and len(set(positions.values())) == len(positions)
    html = view.render_html(net, max_nodes=400)
    data = _payload(html)
    assert data["aggregation"]["shown_nodes"] == len(data["nodes"]) <= 400
    assert data["betweenness"] == {"k": net.graph["betweenness_pivots"],
                                   "n": net.graph["betweenness_nodes"]}


def test_details_list_targets_in_table_order() -> None:
    """クラブしっきーず: ★ 多世代, then its ☆ groups in the order of the 取組の対象 table."""
    from graph.pipeline import run_build
    from tests.repo import CASEBOOK_DIR

    result = run_build([CASEBOOK_DIR])
    assert result.graph is not None
    net = network.build_network(result.graph)
    org = next(n for n, d in net.nodes(data=True) if d["label"] == "クラブしっきーず")
    sections = view._org_sections(net, org, [])
    targets = next(s for s in sections if s["h"] == "targets")["items"]
    assert [t["t"] for t in targets] == [
        "多世代", "こども・若者", "中高年者", "高齢者", "障害者", "外国人", "子育て世帯",
        "ひとり親世帯", "単身世帯", "不登校の児童生徒", "生活困窮状態の人",
    ]  # fmt: skip


CONTROL_NAME = "制御\x01文字\x1b[31m団体\x0b\ufffe"


def test_graphml_well_formed_with_control_characters() -> None:
    """Characters XML 1.0 forbids (C0 controls, ESC, U+FFFE) never reach the file raw."""
    g = sample_graph()
    g.add((ID["org/club-shikizu"], SKOS.altLabel, Literal(CONTROL_NAME, lang="ja")))
    g.add((ID["body/farm-to-home"], RDFS.label, Literal("農\x02場", lang="en")))
    net = network.build_network(g)
    data = network.export_graphml(net)
    for char in ("\x01", "\x1b", "\x0b", "\x02", "\ufffe"):
        assert char.encode("utf-8") not in data
    ET.fromstring(data)  # well-formed
    back = nx.read_graphml(__import__("io").BytesIO(data))
    club = next(n for n, d in back.nodes(data=True) if d["label"] == "クラブしききず")
    # each forbidden character is replaced, visibly, not dropped
    replaced = "制御\ufffd文字\ufffd[31m団体\ufffd\ufffd"
    assert back.nodes[club]["aliases"] == f"クラブしっきーず|{replaced}"
    assert back.number_of_nodes() == net.number_of_nodes()


def test_graphml_for_gephi(sample: nx.MultiDiGraph) -> None:
    """Positions, partition columns, and degree counted as Gephi counts it (edges)."""
    back = nx.read_graphml(__import__("io").BytesIO(network.export_graphml(sample)))
    positions = network.layout_network(sample)
    club, sanka = _by_label(sample, "クラブしききず"), _by_label(sample, "サンカクシャ")
    toshima = _by_label(sample, "豊島区")
    # サンカクシャ is active in, based in and partners with 豊島区: three edges, one neighbour
    assert back.nodes[sanka]["degree"] == back.degree(sanka) == sample.degree(sanka)
    assert sample.number_of_edges(sanka, toshima) == 3
    for node in sample:
        assert back.nodes[node]["degree"] == back.degree(node)
        assert (back.nodes[node]["x"], -back.nodes[node]["y"]) == positions[node]
    assert back.nodes[club]["prefecture"] == "埼玉県"
    assert back.nodes[sanka]["prefecture"] == "東京都"
    assert back.nodes[club]["targets"] == "★多世代|☆こども・若者"
    assert back.nodes[_by_label(sample, "志木第三小学校")]["category"] == "学校"
    assert back.nodes[_by_label(sample, "志木第三小学校")]["prefecture"] == "埼玉県"
    assert {back.nodes[n]["community"] for n in (club, sanka)} <= set(range(len(sample)))
    assert back.nodes[_by_label(sample, "多世代")]["community"] == -1


def test_gexf_export(sample: nx.MultiDiGraph) -> None:
    data = export_gexf(sample)
    assert data == export_gexf(network.build_network(sample_graph()))  # deterministic
    ET.fromstring(data)
    back = nx.read_gexf(__import__("io").BytesIO(data))
    assert back.number_of_nodes() == sample.number_of_nodes()
    assert back.number_of_edges() == sample.number_of_edges()
    club = _by_label(sample, "クラブしききず")
    viz = back.nodes[club]["viz"]
    x, y = network.layout_network(sample)[club]
    assert viz["position"]["x"] == x and viz["position"]["y"] == -y
    assert viz["color"]["b"] == 178  # organisations are blue, as on the page
    assert viz["size"] > 0
    assert back.nodes[club]["targets"] == "★多世代|☆こども・若者"


def _gexf_by_networkx(net: nx.MultiDiGraph) -> bytes:
    """What ``export_gexf`` wrote when it went through networkx's ``GEXFWriter`` (an
    ElementTree of the whole network), with the fixed date and creator of our writer."""
    from networkx.readwrite.gexf import GEXFWriter

    from graph.network.gephi import KIND_RGB, SHARED_RGB
    from graph.network.xmltext import xml_safe

    extra = gephi_attributes(net)
    out = nx.MultiDiGraph()
    for node, data in sorted(net.nodes(data=True)):
        attrs = {**{k: v for k, v in data.items() if isinstance(v, bool | int | float | str)},
                 **{k: "|".join(v) for k, v in data.items()
                    if isinstance(v, list) and all(isinstance(s, str) for s in v)},
                 **extra[node]}
        x, y = attrs.pop("x"), attrs.pop("y")
        rgb = SHARED_RGB if data.get("shared") and data["kind"] == "partner" else \
            KIND_RGB[data["kind"]]
        attrs = {k: xml_safe(v) if isinstance(v, str) else v for k, v in sorted(attrs.items())}
        attrs["viz"] = {
            "color": {"r": rgb[0], "g": rgb[1], "b": rgb[2], "a": 1.0},
            "size": float(6 + 2 * min(int(data.get("degree", 0)), 20)),
            "position": {"x": x, "y": y, "z": 0.0},
        }
        out.add_node(node, **attrs)
    for u, v, key, data in sorted(net.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(u, v, key=f"{u}--{key}--{v}", relation=key,
                     roles=xml_safe("|".join(data.get("roles", []))))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(out)
    writer.indent(writer.xml)
    text = "<?xml version='1.0' encoding='utf-8'?>\n" + ET.tostring(writer.xml, encoding="unicode")
    text = re.sub('lastmodifieddate="[^"]*"', 'lastmodifieddate="2000-01-01"', text, count=1)
    text = re.sub("<creator>NetworkX [^<]*</creator>", "<creator>tsunagari-graph</creator>", text,
                  count=1)
    return xml_safe(text).encode("utf-8")


@pytest.fixture(scope="module")
def casebook_net(request: pytest.FixtureRequest) -> nx.MultiDiGraph:
    """The embedded casebooks' network (conftest's ``network``, which this module's name for
    ``graph.network`` hides)."""
    net: nx.MultiDiGraph = request.getfixturevalue("network")
    return net


def test_gexf_writer_matches_networkx(sample: nx.MultiDiGraph,
                                      casebook_net: nx.MultiDiGraph) -> None:
    """The streamed GEXF is the markup networkx's writer made, on the hand-made graph (quotes,
    <, >, & in the XSS case), on the embedded casebooks and with forbidden characters."""
    assert export_gexf(sample) == _gexf_by_networkx(sample)
    assert export_gexf(casebook_net) == _gexf_by_networkx(casebook_net)
    g = sample_graph()
    g.add((ID["org/club-shikizu"], SKOS.altLabel, Literal(CONTROL_NAME, lang="ja")))
    odd = network.build_network(g)
    data = export_gexf(odd)
    assert data == _gexf_by_networkx(odd)
    assert b"\x01" not in data and "\ufffd".encode() in data
    ET.fromstring(data)


def test_gexf_reads_back_like_networkx(casebook_net: nx.MultiDiGraph) -> None:
    """networkx reads the same nodes, edges and attributes back from both writers' files, and
    every attribute column used is declared (what Gephi needs)."""
    data = export_gexf(casebook_net)
    ours = nx.read_gexf(io.BytesIO(data))
    theirs = nx.read_gexf(io.BytesIO(_gexf_by_networkx(casebook_net)))
    assert sorted(ours.nodes(data=True)) == sorted(theirs.nodes(data=True))
    assert sorted(ours.edges(keys=True, data=True)) == sorted(theirs.edges(keys=True, data=True))
    assert ours.number_of_nodes() == casebook_net.number_of_nodes()
    assert ours.number_of_edges() == casebook_net.number_of_edges()
    root = ET.fromstring(data)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    declared = {(a.get("id"), cls.get("class"))
                for cls in root.iterfind("g:graph/g:attributes", ns)
                for a in cls.iterfind("g:attribute", ns)}
    for scope in ("node", "edge"):
        used = {v.get("for") for v in root.iterfind(
            f"g:graph/g:{scope}s/g:{scope}/g:attvalues/g:attvalue", ns)}
        assert used and used <= {i for i, c in declared if c == scope}
    node_ids = [n.get("id") for n in root.iterfind("g:graph/g:nodes/g:node", ns)]
    assert len(set(node_ids)) == len(node_ids) == casebook_net.number_of_nodes()
    edges = list(root.iterfind("g:graph/g:edges/g:edge", ns))
    assert len({e.get("id") for e in edges}) == len(edges) == casebook_net.number_of_edges()
    assert set(node_ids) >= {e.get(end) for e in edges for end in ("source", "target")}


def test_exports_stream_to_files(tmp_path: Path, casebook_net: nx.MultiDiGraph) -> None:
    """``write_gexf``/``write_graphml`` into a path give the exports' bytes, written in
    batches (a small batch here, so the document takes many writes)."""
    from graph.network.xmltext import XmlStream

    extra = gephi_attributes(casebook_net)
    network.write_gexf(casebook_net, tmp_path / "n.gexf", extra=extra)
    network.write_graphml(casebook_net, tmp_path / "n.graphml")
    assert (tmp_path / "n.gexf").read_bytes() == export_gexf(casebook_net)
    assert (tmp_path / "n.graphml").read_bytes() == network.export_graphml(casebook_net)

    class Counting:
        def __init__(self) -> None:
            self.writes: list[bytes] = []

        def write(self, data: bytes) -> int:
            self.writes.append(data)
            return len(data)

    sink = Counting()
    stream = XmlStream(sink, batch=16)  # type: ignore[arg-type]
    for i in range(100):
        stream.add(f"<a>\x01{i}</a>")
    stream.flush()
    assert len(sink.writes) == 7
    assert b"".join(sink.writes) == "".join(f"<a>\ufffd{i}</a>" for i in range(100)).encode()


def _index_sets(index: network.TripleIndex) -> tuple[dict[Any, set[Any]], dict[str, set[Any]]]:
    return {k: set(v) for k, v in index._out.items()}, dict(index._typed)


def test_nquads_index_is_the_quad_index(knowledge_graph: Any) -> None:
    """The index read straight from the N-Quads bytes is the one made from parsed pyoxigraph
    quads, and so is the network built on it (the GraphML compared byte for byte)."""
    from_text = network.TripleIndex.from_nquads(knowledge_graph.nquads_chunks())
    from_quads = network.TripleIndex.from_quads(knowledge_graph.quads)
    assert _index_sets(from_text) == _index_sets(from_quads)
    assert network.export_graphml(network.build_network(from_text)) == \
        network.export_graphml(network.build_network(from_quads))


def test_nquads_index_reads_every_literal_back() -> None:
    """Every code point Oxigraph may write (escaped or not) in a label, language tags, typed
    literals, blank nodes, quotes and backslashes, and a statement in two graphs."""
    import pyoxigraph as ox

    from graph.rdf.build import KnowledgeGraph

    label, alt = ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))
    start = ox.NamedNode(str(TS.lineStart))
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = ["".join(chars[i:i + 2048]) for i in range(0, len(chars), 2048)]
    texts += ['"', '\\"', "a\\nb", 'end"', "\\", "", " . <x> .", "\ufffe\uffff\x7f"]
    quads = []
    for i, text in enumerate(texts):
        node = ox.NamedNode(f"https://w3id.org/tsunagari/id/org/{i}")
        quads.append(ox.Quad(node, label, ox.Literal(text, language="ja")))
        quads.append(ox.Quad(node, alt, ox.Literal(text)))
        quads.append(ox.Quad(ox.BlankNode(f"b{i}"), label, ox.Literal(text, language="en-GB")))
    node = ox.NamedNode("https://w3id.org/tsunagari/id/case/x")
    quads.append(ox.Quad(node, start, ox.Literal("12", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))))
    quads.append(ox.Quad(node, alt, ox.BlankNode("b0")))
    graph_a = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("https://e.x/g/a"))
               for q in quads]
    graph_b = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("https://e.x/g/b"))
               for q in quads[:10]]
    kg = KnowledgeGraph(
        default=ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
        graphs=(("<https://e.x/g/a>", ox.serialize(graph_a, format=ox.RdfFormat.N_QUADS)),
                ("<https://e.x/g/b>", ox.serialize(graph_b, format=ox.RdfFormat.N_QUADS))),
    )
    from_text = network.TripleIndex.from_nquads(kg.nquads_chunks())
    assert _index_sets(from_text) == _index_sets(network.TripleIndex.from_quads(kg.quads))
    first = from_text.objects("https://w3id.org/tsunagari/id/org/0", str(RDFS.label))
    assert list(first) == [network.Lit(texts[0], "ja")]  # one, though in all three graphs
    assert {o.value for o in from_text.objects("_:b7", str(RDFS.label))} == {texts[7]}
