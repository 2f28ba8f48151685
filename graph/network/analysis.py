"""Network analysis over the RDF graph: who works with whom, and where.

The network is read from the rdflib graph that ``graph.rdf.build_graph`` makes (never from the
text again), so the HTML view, the GraphML export and the Turtle export always agree. It is a
``networkx.MultiDiGraph`` whose nodes have ASCII ids and a ``kind`` (organisation, partner,
municipality, prefecture, target, activity) and whose edges are keyed by ``relation``.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from rdflib import Graph

from graph.network.index import (
    _INITIATIVE_LINKS,
    _KIND_CLASSES,
    _P,
    _PARENT_LINKS,
    KINDS,
    PLACE_KINDS,
    VOCAB_KINDS,
    Lit,
    Term,
    TripleIndex,
    _first,
    _is_iri,
    _kind_of,
    _label,
    _text,
    as_triples,
)
from graph.parallel import gc_paused
from graph.rdf.namespaces import TS
from graph.text import vocab

_ID_PREFIX = {
    "organisation": "org", "partner": "pb", "municipality": "mun", "prefecture": "pref",
    "target": "tg", "activity": "act",
}

# Edge relations in legend order.
RELATIONS: tuple[str, ...] = (
    "partner_of", "runs_in", "based_in", "targets_primary", "targets_secondary",
    "activity_primary", "activity_secondary", "located_in", "part_of",
)

_WEAKER = {"targets_secondary": "targets_primary", "activity_secondary": "activity_primary"}

# Betweenness budget, pivots × collaboration edges, so its cost stops growing with the corpus:
# 500 pivots up to 6,000 edges, ~430 at 1,000 cases (0.2 s), the floor of MIN_PIVOTS at 10,000
# cases (~60,000 edges, ~0.6 s). Fewer pivots make a noisier estimate, not a slower one.
BETWEENNESS_WORK = 3_000_000
MIN_PIVOTS = 50

_ASCII_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,47}")


def _node_id(kind: str, iri: str, taken: set[str]) -> str:
    """An ASCII id that reads like the IRI when it can and is stable when it cannot."""
    local = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    prefix = _ID_PREFIX[kind]
    node_id = f"{prefix}-{local}" if _ASCII_LOCAL.fullmatch(local) else ""
    if not node_id or node_id in taken:
        node_id = f"{prefix}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:12]}"
    return node_id


@cache
def _table_order() -> dict[str, int]:
    """Vocabulary id → position in the casebook's tables (its ``skos:notation``)."""
    terms = (*vocab.target_groups(), *vocab.activity_types())
    return {term.id: i for i, term in enumerate(terms)}


def _vocab_rank(graph: TripleIndex, node: Term) -> tuple[int, str]:
    notation = _first(graph, node, (_P.notation,))
    return (_table_order().get(str(notation), 10_000), _label(graph, node) or str(node))


def _outcomes(graph: TripleIndex, initiative: Term) -> list[dict[str, str]]:
    rows = []
    for outcome in graph.objects(initiative, _P.has_outcome):
        rows.append({
            "label": _label(graph, outcome) or "",
            "value": _text(_first(graph, outcome, (_P.value,))) or "",
            "unit": _text(_first(graph, outcome, (_P.unit_text,))) or "",
            "qualifier": ",".join(sorted(str(q) for q in graph.objects(outcome, _P.qualifier))),
            "iri": str(outcome),
        })
    # outcome IRIs end in their position in the case (…/outcome/3): keep the text's order
    rows.sort(key=lambda r: (len(r["iri"]), r["iri"]))
    return [{k: v for k, v in r.items() if k != "iri"} for r in rows]


def _source(graph: TripleIndex, node: Term) -> dict[str, Any] | None:
    """Source file and lines of the case that describes ``node``."""
    for case in sorted(graph.objects(node, _P.described_in), key=str):
        book = _first(graph, case, (_P.derived_from,))
        file = _first(graph, book, (_P.source_file,))
        start, end = _first(graph, case, (_P.line_start,)), _first(graph, case, (_P.line_end,))
        return {
            "file": str(file) if file is not None else "",
            "line_start": int(start.value) if isinstance(start, Lit) else None,
            "line_end": int(end.value) if isinstance(end, Lit) else None,
        }
    return None


def _roles(graph: TripleIndex, org: Term) -> dict[Term, set[str]]:
    """Partner → roles, from the qualified partner relation nodes (ts:Partnership)."""
    roles: dict[Term, set[str]] = defaultdict(set)
    for rel in graph.objects(org, _P.qualified_partnership):
        for partner in graph.objects(rel, _P.partner):
            roles[partner].update(str(r) for r in graph.objects(rel, _P.role))
    return roles


def build_network(graph: Graph | Any) -> nx.MultiDiGraph:
    """The analysed network of organisations, partners, places and vocabularies in ``graph``.

    ``graph`` is an rdflib ``Graph`` or the ``KnowledgeGraph`` of ``graph.rdf.build_graph``.
    Nodes and edges come out sorted by id, so exports and layouts are deterministic.
    """
    with gc_paused():
        return _build_network(as_triples(graph))


def _build_network(triples: TripleIndex) -> nx.MultiDiGraph:
    # Collected in plain dicts and put into networkx once, sorted: networkx's add_edge is the
    # costliest call here, and a second sorted copy of a 130,000-edge graph doubled it.
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], set[str]] = {}
    ids: dict[Term, str] = {}
    taken: set[str] = set()

    def add(node: Term) -> str | None:
        if node in ids:
            return ids[node]
        kind = _kind_of(triples, node)
        if kind is None or not _is_iri(node):
            return None
        node_id = _node_id(kind, str(node), taken)
        taken.add(node_id)
        ids[node] = node_id
        nodes[node_id] = {
            "kind": kind, "iri": str(node),
            "label": _label(triples, node) or str(node),
            "label_en": _label(triples, node, "en") or "",
            "aliases": sorted({str(a) for a in triples.objects(node, _P.alt_label)}),
        }
        return node_id

    def link(u: str, v: str, relation: str, roles: Iterable[str] = ()) -> None:
        if u != v:
            edges.setdefault((u, v, relation), set()).update(roles)

    # Insert nodes in a fixed order so ids never depend on how the store happens to iterate.
    kinds: dict[Term, str] = {
        s: _kind_of(triples, s) or kind
        for cls, kind in _KIND_CLASSES for s in triples.typed(cls)
    }
    vocab_nodes = sorted(
        (n for n, k in kinds.items() if k in VOCAB_KINDS),
        key=lambda n: (kinds[n], _vocab_rank(triples, n)),
    )
    others = sorted(
        (n for n, k in kinds.items() if k not in VOCAB_KINDS),
        key=lambda n: (KINDS.index(kinds[n]), _label(triples, n) or "", str(n)),
    )
    for node in vocab_nodes + others:
        add(node)

    for org in sorted(triples.typed(str(TS.Organisation)), key=str):
        org_id = ids[org]
        roles = _roles(triples, org)
        for partner in triples.objects(org, _P.partnered_with):
            partner_id = add(partner)
            if partner_id:
                link(org_id, partner_id, "partner_of", roles.get(partner, ()))
        for place in triples.objects(org, _P.based_in):
            place_id = add(place)
            if place_id:
                link(org_id, place_id, "based_in")
        initiatives = []
        for initiative in sorted(triples.objects(org, _P.runs), key=str):
            # each initiative's own places and ★/☆ lists, as the bundled queries count them
            own: dict[str, list[str]] = {relation: [] for _, relation in _INITIATIVE_LINKS}
            for pred, relation in _INITIATIVE_LINKS:
                for target in triples.objects(initiative, pred):
                    target_id = add(target)
                    if target_id:
                        link(org_id, target_id, relation)
                        own[relation].append(target_id)
            initiatives.append({
                "links": {relation: sorted(ids) for relation, ids in own.items()},
                "title": _label(triples, initiative) or "",
                "region": _text(_first(triples, initiative, (_P.region_text,))) or "",
                "outcomes": _outcomes(triples, initiative),
                "source": _source(triples, initiative) or _source(triples, org),
            })
        legal_form = _first(triples, org, (_P.legal_form,))
        nodes[org_id].update(
            initiatives=initiatives,
            website=_text(_first(triples, org, (_P.url,))) or "",
            legal_form=(_label(triples, legal_form) or str(legal_form)) if legal_form else "",
        )

    for node, node_id in sorted(ids.items(), key=lambda kv: kv[1]):
        for pred, relation in _PARENT_LINKS:
            for parent in triples.objects(node, pred):
                parent_id = add(parent)
                if parent_id:
                    link(node_id, parent_id, relation)
        data = nodes[node_id]
        if data["kind"] == "partner":
            category = _first(triples, node, (_P.partner_category,))
            data["category"] = (_label(triples, category) or "") if category else ""
            data["category_en"] = (_label(triples, category, "en") or "") if category else ""
            generic = _first(triples, node, (_P.generic,))
            data["generic"] = isinstance(generic, Lit) and generic.value in ("true", "1")
        if data["kind"] in PLACE_KINDS:
            data["lg_code"] = _text(_first(triples, node, (_P.lg_code,))) or ""

    # ☆ is dropped where the same organisation also has ★ for that node
    for u, v, relation in list(edges):
        stronger = _WEAKER.get(relation)
        if stronger and (u, v, stronger) in edges:
            del edges[(u, v, relation)]

    # The Turtle keeps all 14 activity types and 18 target groups; in a picture, an unused
    # one is a lonely dot that says nothing.
    linked = {u for u, _, _ in edges} | {v for _, v, _ in edges}
    net = nx.MultiDiGraph()
    net.add_nodes_from(
        (n, nodes[n]) for n in sorted(nodes) if nodes[n]["kind"] not in VOCAB_KINDS or n in linked
    )
    net.add_edges_from(
        (u, v, k, {"relation": k, "roles": sorted(edges[(u, v, k)])}) for u, v, k in sorted(edges)
    )
    analyse_network(net)
    for _, data in net.nodes(data=True):
        # attributes in name order, as GraphML and the page list them
        items = sorted(data.items())
        data.clear()
        data.update(items)
    return net


# --- analysis ----------------------------------------------------------------------------

def _collaboration_graph(net: nx.MultiDiGraph) -> tuple[list[str], sp.csr_array]:
    """Organisations, partners and places (no vocabulary hubs), sorted, and their undirected
    adjacency matrix."""
    nodes = sorted(n for n, d in net.nodes(data=True) if d["kind"] not in VOCAB_KINDS)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in net.edges() if u in index and v in index]
    rows = np.array([a for a, b in pairs] + [b for a, b in pairs], dtype=np.int64)
    cols = np.array([b for a, b in pairs] + [a for a, b in pairs], dtype=np.int64)
    adj = sp.coo_array((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(nodes)))
    adj = sp.csr_array(adj)
    adj.data[:] = 1.0  # parallel edges (partner and place at once) count as one link
    return nodes, adj


def _dependencies(adj: sp.csr_array, sources: list[int]) -> np.ndarray:
    """Brandes' dependency sums over ``sources`` (unweighted, undirected), many sources at once.

    One breadth-first search per source, run level by level for a block of sources as sparse
    matrix products: the same arithmetic as networkx's pure-Python loop, in numpy's C loops.
    """
    n = adj.shape[0]
    total = np.zeros(n)
    # a block's arrays are n × block floats; this keeps each under ~16 MB
    block = max(1, min(64, 2_000_000 // max(n, 1)))
    for first in range(0, len(sources), block):
        src = np.asarray(sources[first:first + block])
        cols = np.arange(len(src))
        dist = np.full((n, len(src)), -1, dtype=np.int32)
        dist[src, cols] = 0
        sigma = np.zeros((n, len(src)))
        sigma[src, cols] = 1.0
        frontier = sigma.copy()
        depth = 0
        while True:
            reached = adj @ frontier
            new = (dist < 0) & (reached > 0)
            if not new.any():
                break
            depth += 1
            dist[new] = depth
            frontier = np.where(new, reached, 0.0)
            sigma += frontier
        delta = np.zeros_like(sigma)
        safe_sigma = np.where(sigma > 0, sigma, 1.0)
        for level in range(depth, 0, -1):
            share = np.where(dist == level, (1.0 + delta) / safe_sigma, 0.0)
            delta += np.where(dist == level - 1, sigma * (adj @ share), 0.0)
        delta[src, cols] = 0.0  # a source is not between itself and anything
        total += delta.sum(axis=1)
    return total


def betweenness(net: nx.MultiDiGraph, *, max_pivots: int = 500, work: int = 0, seed: int = 7
                ) -> tuple[dict[str, float], int, int]:
    """Normalised betweenness on the collaboration graph, the pivots used and the node count.

    Exact when every node can be a pivot; otherwise estimated from a seeded sample of pivots
    (the same sample and scaling as ``nx.betweenness_centrality(k=…, seed=…)``). ``work`` bounds
    pivots × edges, so a large network costs a fixed budget rather than O(n·m).
    """
    nodes, adj = _collaboration_graph(net)
    n, m = len(nodes), max(adj.nnz // 2, 1)
    k = min(n, max_pivots)
    if work:
        k = min(k, max(MIN_PIVOTS, work // m))
    if k >= n:
        sources, k = list(range(n)), n
    else:
        index = {node: i for i, node in enumerate(nodes)}
        sources = [index[s] for s in random.Random(seed).sample(nodes, k)]
    raw = _dependencies(adj, sources) if n > 2 else np.zeros(n)
    # networkx's rescaling (endpoints excluded): each sampled ordered pair (s, t) counts once
    pairs = n - 2
    if k == n:
        scale = np.full(n, 1.0 / (n - 1) / pairs if pairs > 0 else 0.0)
    else:
        scale = np.full(n, 1.0 / (k * pairs))
        scale[sources] = 1.0 / ((k - 1) * pairs) if k > 1 else 0.0
    values = raw * scale
    return {node: float(values[i]) for i, node in enumerate(nodes)}, k, n


def analyse_network(net: nx.MultiDiGraph, *, betweenness_sample: int = 500, seed: int = 7,
                    betweenness_work: int = BETWEENNESS_WORK) -> None:
    """Set ``degree``, ``betweenness``, ``community``, ``n_orgs`` and ``shared`` on every node.

    ``degree`` counts edges, in and out, as Gephi does (an organisation active in and based in
    one town has degree 2 there). ``community`` numbers the Leiden communities (igraph) of the
    collaboration graph (seeded, largest first; -1 for target groups and activity types).

    Betweenness is measured on organisations, partners and places only: the target-group and
    activity-type hubs would otherwise make every path look like it bridges through 多世代.
    On a large network it is estimated from at most ``betweenness_sample`` seeded pivots, fewer
    as the network grows (pivots × edges ≤ ``betweenness_work``), because exact betweenness is
    O(n·m); ``net.graph`` records how it was measured.
    """
    between, pivots, n = betweenness(
        net, max_pivots=betweenness_sample, work=betweenness_work, seed=seed
    )
    net.graph["betweenness_nodes"] = n
    net.graph["betweenness_pivots"] = pivots
    net.graph["betweenness_method"] = (
        "exact" if pivots == n else f"approximate, {pivots} pivots of {n} nodes"
    )
    # one pass over the edges rather than a neighbour scan per node
    partnered_by: dict[str, set[str]] = defaultdict(set)
    for u, v, relation in net.edges(keys=True):
        if relation == "partner_of":
            partnered_by[v].add(u)
    community = communities(net, seed=seed)
    degree = dict(net.degree())
    for node, data in net.nodes(data=True):
        n_orgs = len(partnered_by.get(node, ()))
        data["degree"] = degree[node]
        data["community"] = community.get(node, -1)
        data["betweenness"] = round(between.get(node, 0.0), 6)
        data["n_orgs"] = n_orgs
        data["shared"] = n_orgs >= 2



def communities(net: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, int]:
    """Node → Leiden community (modularity) of the collaboration graph (organisations,
    partners, places), numbered largest first (ties by smallest node id), seeded so a build is
    reproducible.

    Leiden (igraph's C core) rather than networkx's pure-Python Louvain: its communities are
    guaranteed connected and it takes 0.2 s instead of 5–9 s at 10,000 cases, with a higher
    modularity (0.763 against 0.750 on the synthetic 10,000-case network). A partner named by
    one organisation only is left out of the run and joins that organisation's community (most
    partners are such leaves: they say nothing about groups).
    """
    import igraph

    kind = dict(net.nodes(data="kind"))
    named_by: dict[str, set[str]] = defaultdict(set)
    for u, v, relation in net.edges(keys=True):
        if relation == "partner_of":
            named_by[v].add(u)
    leaf = {n: next(iter(orgs)) for n, orgs in named_by.items()
            if len(orgs) == 1 and kind[n] == "partner" and net.out_degree(n) == 0}
    nodes = sorted(n for n, k in kind.items() if k not in VOCAB_KINDS and n not in leaf)
    index = {n: i for i, n in enumerate(nodes)}
    edges = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in net.edges()
                    if u in index and v in index and u != v})
    simple = igraph.Graph(n=len(nodes), edges=edges)
    # igraph draws from one process-wide generator: seed our own, then give the default back
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = simple.community_leiden(objective_function="modularity").membership
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, list[str]] = defaultdict(list)
    for node, group in zip(nodes, membership, strict=True):
        groups[group].append(node)
    found = groups.values()
    ranked = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    result = {node: i for i, members in enumerate(ranked) for node in members}
    for node, org in leaf.items():
        result[node] = result[org]
    return result
