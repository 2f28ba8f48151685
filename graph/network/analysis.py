"""Network analysis over the RDF graph: who works with whom, and where.

The network is read from the rdflib graph that ``graph.rdf.build_graph`` makes (never from the
text again), so the HTML view, the GraphML export and the Turtle export always agree. It is a
``networkx.MultiDiGraph`` whose nodes have ASCII ids and a ``kind`` (organisation, partner,
municipality, prefecture, target, activity) and whose edges are keyed by ``relation``.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple, cast

import networkx as nx
import numpy as np
import pyoxigraph as ox
import scipy.sparse as sp
from rdflib import BNode, Graph, Literal

from graph.parallel import gc_paused
from graph.rdf.namespaces import ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TS
from graph.text import vocab

# Node kinds in legend order; the first class a node has in this order decides its kind, so a
# local government named as a partner stays a municipality and a casebook organisation named
# as another's partner stays an organisation.
KINDS: tuple[str, ...] = (
    "organisation", "partner", "municipality", "prefecture", "target", "activity",
)
_KIND_CLASSES: tuple[tuple[str, str], ...] = (
    (str(TS.Organisation), "organisation"),
    (str(TS.Municipality), "municipality"),
    (str(TS.Prefecture), "prefecture"),
    (str(TS.PartnerBody), "partner"),
    (str(TS.TargetGroup), "target"),
    (str(TS.ActivityType), "activity"),
)
_ID_PREFIX = {
    "organisation": "org", "partner": "pb", "municipality": "mun", "prefecture": "pref",
    "target": "tg", "activity": "act",
}
VOCAB_KINDS = frozenset({"target", "activity"})
PLACE_KINDS = frozenset({"municipality", "prefecture"})

# Edge relations in legend order.
RELATIONS: tuple[str, ...] = (
    "partner_of", "runs_in", "based_in", "targets_primary", "targets_secondary",
    "activity_primary", "activity_secondary", "located_in", "part_of",
)


class _P:
    """Predicates as plain strings: the index is keyed by ``str``, and an rdflib ``URIRef``
    neither equals nor hashes like the string it spells."""

    type = str(RDF.type)
    label, pref_label, alt_label = str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel)
    notation = str(SKOS.notation)
    partnered_with, based_in, runs = str(TS.partneredWith), str(TS.basedIn), str(TS.runs)
    qualified_partnership, partner, role = (
        str(TS.qualifiedPartnership), str(TS.partner), str(TS.role)
    )
    region_text, has_outcome, qualifier = str(TS.regionText), str(TS.hasOutcome), str(TS.qualifier)
    value, unit_text, url = str(SCHEMA.value), str(SCHEMA.unitText), str(SCHEMA.url)
    described_in, derived_from = str(TS.describedIn), str(PROV.wasDerivedFrom)
    source_file, line_start, line_end = str(TS.sourceFile), str(TS.lineStart), str(TS.lineEnd)
    legal_form, partner_category = str(TS.legalForm), str(TS.partnerCategory)
    generic, lg_code = str(TS.generic), str(TS.lgCode)


_LABELS = (_P.label, _P.pref_label)
_INITIATIVE_LINKS: tuple[tuple[str, str], ...] = (
    (str(TS.activeIn), "runs_in"),
    (str(TS.primaryTarget), "targets_primary"),
    (str(TS.secondaryTarget), "targets_secondary"),
    (str(TS.primaryActivity), "activity_primary"),
    (str(TS.secondaryActivity), "activity_secondary"),
)
# ★ wins over ☆ when two initiatives of one organisation disagree.
_WEAKER = {"targets_secondary": "targets_primary", "activity_secondary": "activity_primary"}

_PARENT_LINKS: tuple[tuple[str, str], ...] = (
    (str(TS.locatedIn), "located_in"),
    (str(TS.inPrefecture), "located_in"),
    (str(TS.wardOf), "located_in"),
    (str(ORG.subOrganizationOf), "part_of"),
)

# Betweenness budget, pivots × collaboration edges, so its cost stops growing with the corpus:
# 500 pivots up to 6,000 edges, ~430 at 1,000 cases (0.2 s), the floor of MIN_PIVOTS at 10,000
# cases (~60,000 edges, ~0.6 s). Fewer pivots make a noisier estimate, not a slower one.
BETWEENNESS_WORK = 3_000_000
MIN_PIVOTS = 50

# Layout: up to SPRING_MAX core nodes go through networkx's energy layout (the embedded
# casebook's ~90 do); its run time varies from 0.1 to 1 s at a few hundred nodes, so larger
# cores use our own force layout, on the SPRING_SKELETON best-linked nodes, the rest placed.
SPRING_MAX = 150
SPRING_SKELETON = 300
GRAVITY = 0.05

_ASCII_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,47}")


@dataclass(frozen=True)
class Aggregation:
    """What an aggregated view left out, to be said on the page."""

    full_nodes: int
    full_edges: int
    shown_nodes: int
    shown_edges: int
    steps: tuple[str, ...] = field(default_factory=tuple)


# --- reading the RDF graph ---------------------------------------------------------------


class Lit(NamedTuple):
    """A literal as the network reads it: its lexical form and language tag ("" for none)."""

    value: str
    lang: str = ""

    def __str__(self) -> str:
        return self.value


# IRIs are plain ``str``, blank nodes ``"_:" + id``, literals ``Lit``. rdflib terms are not used
# here: building a million ``URIRef``/``Literal`` objects cost more than the rest of the stage.
Term = str | Lit

# Every predicate ``build_network`` reads. The index keeps only these, which skips about a third
# of a casebook graph (prose, mentions, founding dates) without converting it.
_READ_PREDICATES: frozenset[str] = frozenset(
    v for k, v in vars(_P).items() if not k.startswith("_")
) | {p for p, _ in _INITIATIVE_LINKS} | {p for p, _ in _PARENT_LINKS}
# rdf:type is kept only for the classes that give a node its kind
_KIND_CLASS_SET = frozenset(cls for cls, _ in _KIND_CLASSES)


class TripleIndex:
    """The triples ``build_network`` reads, indexed by subject and predicate (graphs merged)."""

    def __init__(self) -> None:
        self._out: dict[tuple[Term, str], set[Term]] = {}
        self._typed: dict[str, set[Term]] = defaultdict(set)

    def _add(self, s: Term, p: str, o: Term) -> None:
        bucket = self._out.get((s, p))
        if bucket is None:
            self._out[(s, p)] = {o}
        else:
            bucket.add(o)

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> TripleIndex:
        """Index pyoxigraph quads, converting only the terms that are read.

        This loop runs once per quad (1.2 million at 10,000 cases), so it is written flat:
        subjects are converted once each, and unread predicates cost one dict look-up.
        """
        with gc_paused():
            return cls._from_quads(quads)

    @classmethod
    def _from_quads(cls, quads: Iterable[ox.Quad]) -> TripleIndex:
        index = cls()
        # keyed by pyoxigraph terms (Any: its stubs type term unions loosely)
        wanted: dict[Any, str] = {ox.NamedNode(p): p for p in _READ_PREDICATES if p != _P.type}
        rdf_type = ox.NamedNode(_P.type)
        kinds: dict[Any, str] = {ox.NamedNode(c): c for c in _KIND_CLASS_SET}
        subjects: dict[Any, Term] = {}
        named, literal = ox.NamedNode, ox.Literal
        out, typed = index._out, index._typed
        for quad in quads:
            pred = wanted.get(quad.predicate)
            obj: Term | None
            is_type = pred is None
            if is_type:
                if quad.predicate != rdf_type:
                    continue
                pred, obj = _P.type, kinds.get(quad.object)
                if obj is None:
                    continue
            else:
                term: Any = quad.object
                kind = type(term)
                obj = (term.value if kind is named
                       else Lit(term.value, term.language or "") if kind is literal
                       else "_:" + term.value)
            subject = subjects.get(quad.subject)
            if subject is None:
                subject = subjects[quad.subject] = _from_ox(quad.subject)
            key = (subject, cast(str, pred))
            bucket = out.get(key)
            if bucket is None:
                out[key] = {obj}
            else:
                bucket.add(obj)
            if is_type:
                typed[cast(str, obj)].add(subject)
        return index

    @classmethod
    def from_rdflib(cls, graph: Graph) -> TripleIndex:
        """Index an rdflib graph."""
        index = cls()
        for s, p, o in graph.triples((None, None, None)):
            pred = str(p)
            if pred not in _READ_PREDICATES:
                continue
            obj = _from_rdflib(o)
            if pred == _P.type:
                if obj not in _KIND_CLASS_SET:
                    continue
                index._typed[cast(str, obj)].add(_from_rdflib(s))
            index._add(_from_rdflib(s), pred, obj)
        return index

    def objects(self, subject: Term | None, predicate: str) -> Collection[Term]:
        """Objects of ``subject predicate ?o``."""
        if predicate not in _READ_PREDICATES or type(predicate) is not str:
            raise KeyError(f"{predicate!r} is not an indexed plain-str predicate (see _P)")
        return self._out.get((subject, predicate), ()) if subject is not None else ()

    def typed(self, cls: str) -> Iterable[Term]:
        """Subjects of ``?s rdf:type cls``, for the node-kind classes."""
        return self._typed.get(cls, ())


def _from_ox(term: Any) -> Term:
    kind = type(term)
    if kind is ox.NamedNode:
        return cast(str, term.value)
    if kind is ox.Literal:
        return Lit(term.value, term.language or "")
    return "_:" + str(term.value)


def _from_rdflib(term: Any) -> Term:
    if isinstance(term, Literal):
        return Lit(str(term), term.language or "")
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def as_triples(graph: Any) -> TripleIndex:
    """A ``KnowledgeGraph`` (pyoxigraph quads) or an rdflib ``Graph``, indexed for reading."""
    if isinstance(graph, TripleIndex):
        return graph
    if hasattr(graph, "quads") and not hasattr(graph, "triples"):
        return TripleIndex.from_quads(graph.quads)
    return TripleIndex.from_rdflib(graph)


def _is_iri(node: Term | None) -> bool:
    return isinstance(node, str) and not node.startswith("_:")


def _text(value: Term | None) -> str | None:
    return str(value) if isinstance(value, Lit) or _is_iri(value) else None


def _lang_literal(graph: TripleIndex, node: Term, preds: Iterable[str], lang: str) -> str | None:
    """First literal in ``lang`` over ``preds`` (the least, so the choice is stable)."""
    for pred in preds:
        found = [
            o.value for o in graph.objects(node, pred) if isinstance(o, Lit) and o.lang == lang
        ]
        if found:
            return min(found)
    return None


def _label(graph: TripleIndex, node: Term, lang: str = "ja") -> str | None:
    label = _lang_literal(graph, node, _LABELS, lang)
    if label is None and lang == "ja":
        # an untagged label is the Japanese one in this project's data
        label = _lang_literal(graph, node, _LABELS, "")
    return label


def _first(graph: TripleIndex, node: Term | None, preds: Iterable[str]) -> Term | None:
    for pred in preds:
        values = graph.objects(node, pred)
        if values:
            return min(values, key=str) if len(values) > 1 else next(iter(values))
    return None


def _kind_of(graph: TripleIndex, node: Term) -> str | None:
    types = graph.objects(node, _P.type)
    for cls, kind in _KIND_CLASSES:
        if cls in types:
            return kind
    return None


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
            for pred, relation in _INITIATIVE_LINKS:
                for target in triples.objects(initiative, pred):
                    target_id = add(target)
                    if target_id:
                        link(org_id, target_id, relation)
            initiatives.append({
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


def organisations_of(net: nx.MultiDiGraph, node: str) -> list[str]:
    """Organisations that name ``node`` as a partner, sorted."""
    return sorted({u for u, _, k in net.in_edges(node, keys=True) if k == "partner_of"})


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
    """Set ``degree``, ``betweenness``, ``n_orgs`` and ``shared`` on every node, in place.

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
    neighbours: dict[str, set[str]] = defaultdict(set)
    partnered_by: dict[str, set[str]] = defaultdict(set)
    for u, v, relation in net.edges(keys=True):
        neighbours[u].add(v)
        neighbours[v].add(u)
        if relation == "partner_of":
            partnered_by[v].add(u)
    for node, data in net.nodes(data=True):
        n_orgs = len(partnered_by.get(node, ()))
        data["degree"] = len(neighbours.get(node, ()))
        data["betweenness"] = round(between.get(node, 0.0), 6)
        data["n_orgs"] = n_orgs
        data["shared"] = n_orgs >= 2


def shared_collaborators(net: nx.MultiDiGraph) -> list[str]:
    """Bodies named as partners by 2+ organisations, most-shared first."""
    shared = [n for n, d in net.nodes(data=True) if d.get("shared")]
    return sorted(shared, key=lambda n: (-net.nodes[n]["n_orgs"], -net.nodes[n]["betweenness"], n))


def organisation_contacts(net: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """For each organisation, what it touches that others could share: node → "partner" or
    "place"."""
    kind = dict(net.nodes(data="kind"))
    adj = net.adj
    result: dict[str, dict[str, str]] = {}
    for org in sorted(n for n, k in kind.items() if k == "organisation"):
        contacts: dict[str, str] = {}
        for v, relations in adj[org].items():
            for relation in relations:
                if relation == "partner_of":
                    contacts[v] = "partner"
                    # a department's municipality counts as a shared place: 志木市健康政策課 puts
                    # the organisation in touch with 志木市
                    for parent, rels in adj[v].items():
                        if kind[parent] == "municipality" and (
                            "part_of" in rels or "located_in" in rels
                        ):
                            contacts.setdefault(parent, "place")
                elif relation in ("runs_in", "based_in") and kind[v] == "municipality":
                    # prefectures are left out: they would join every organisation of 東京都
                    contacts.setdefault(v, "place")
        result[org] = contacts
    return result


def shared_places(net: nx.MultiDiGraph, contacts: dict[str, dict[str, str]] | None = None
                  ) -> list[tuple[str, list[str]]]:
    """Municipalities that 2+ organisations work in, are based in or partner with (or with one
    of its departments), with those organisations; most shared first.

    ``contacts`` is ``organisation_contacts(net)`` when the caller has it already."""
    by_place: dict[str, set[str]] = defaultdict(set)
    for org, touched in (contacts or organisation_contacts(net)).items():
        for contact in touched:
            if net.nodes[contact]["kind"] == "municipality":
                by_place[contact].add(org)
    rows = [(place, sorted(orgs)) for place, orgs in by_place.items() if len(orgs) >= 2]
    return sorted(rows, key=lambda r: (-len(r[1]), net.nodes[r[0]]["label"], r[0]))


def _org_pairs(contacts: dict[str, dict[str, str]], among: Iterable[str]
               ) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """(a, b) with a < b → (partners, places) both touch, for the pairs that include ``among``.

    Walks out from ``among`` only, so a view of 700 organisations does not pay for all pairs
    of a 10,000-organisation corpus.
    """
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for org, touched in contacts.items():
        for contact, how in touched.items():
            members[contact].append((org, how))
    pairs: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for a in sorted(set(among)):
        for contact, how_a in contacts.get(a, {}).items():
            group = members[contact]
            if len(group) > 200:
                continue  # a hub shared by hundreds (a big city) says nothing pairwise
            for b, how_b in group:
                if b == a:
                    continue
                key = (a, b) if a < b else (b, a)
                entry = pairs.get(key)
                if entry is None:
                    entry = pairs[key] = (set(), set())
                # a body partnered by one organisation and a place of another still links them
                entry[0 if "partner" in (how_a, how_b) else 1].add(contact)
    return pairs


def project_organisations(net: nx.MultiDiGraph) -> nx.Graph:
    """Organisation–organisation graph through shared partners and places.

    Edge attributes: ``weight`` (number of shared nodes), ``partners`` and ``places`` (their ids).
    """
    contacts = organisation_contacts(net)
    proj = nx.Graph()
    proj.add_nodes_from(contacts)
    proj.add_edges_from(
        (a, b, {"weight": len(partners) + len(places), "partners": sorted(partners),
                "places": sorted(places)})
        for (a, b), (partners, places) in sorted(_org_pairs(contacts, contacts).items())
    )
    return proj


def organisation_links(net: nx.MultiDiGraph, among: Iterable[str],
                       contacts: dict[str, dict[str, str]] | None = None
                       ) -> dict[str, list[tuple[str, list[str]]]]:
    """For each organisation in ``among``, the others it shares partners or places with, most
    shared first: (other, the shared partners then places)."""
    links: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    pairs = _org_pairs(contacts or organisation_contacts(net), among)
    for (a, b), (partners, places) in pairs.items():
        via = sorted(partners) + sorted(places)
        links[a].append((b, via))
        links[b].append((a, via))
    wanted = set(among)
    return {
        org: sorted(rows, key=lambda r: (-len(r[1]), r[0]))
        for org, rows in links.items() if org in wanted
    }


# --- large corpora -----------------------------------------------------------------------


def aggregate_network(
    net: nx.MultiDiGraph, max_nodes: int
) -> tuple[nx.MultiDiGraph, Aggregation | None]:
    """A view of at most ``max_nodes`` nodes, and what was left out (None when nothing was).

    Steps, each taken only while the network is still too large: drop partners named by one
    organisation and the activity types; fold municipalities into their prefectures; keep the
    organisations with most shared partners and the partners most shared among them, half the
    room each (so a big corpus still shows who works with whom, not only partners).
    """
    if net.number_of_nodes() <= max_nodes:
        return net, None
    with gc_paused():
        return _aggregate(net, max_nodes)


def _aggregate(net: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, Aggregation]:
    # Decide which nodes stay first, from the adjacency, and only then collect the edges among
    # them: walking all 130,000 edges of a 10,000-case network for a 1,500-node view is waste.
    kind = dict(net.nodes(data="kind"))
    adj = net.adj
    keep = {
        n for n, d in net.nodes(data=True)
        if not ((d["kind"] == "partner" and not d["shared"]) or d["kind"] == "activity")
    }
    steps = ["single_partners"]
    fold: dict[str, str] = {}
    if len(keep) > max_nodes:
        for mun in sorted(n for n in keep if kind[n] == "municipality"):
            for parent, relations in adj[mun].items():
                if "located_in" in relations and kind[parent] == "prefecture":
                    fold[mun] = parent
        keep -= {n for n in keep if kind[n] == "municipality"}
        steps.append("municipalities")
    cut = len(keep) > max_nodes
    if cut:
        keep, taken = _keep_best_connected(net, keep, max_nodes)
        steps += taken
    edges: dict[tuple[str, str, str], set[str]] = {}
    for u in sorted(keep):
        for v, relations in adj[u].items():
            v = fold.get(v, v)
            if v in keep and v != u:
                for relation, data in relations.items():
                    edges.setdefault((u, v, relation), set()).update(data.get("roles", ()))
    if cut:
        linked = {u for u, _, _ in edges} | {v for _, v, _ in edges}
        keep = {n for n in keep if n in linked or kind[n] == "organisation"}
    view = nx.MultiDiGraph()
    view.graph.update(net.graph)
    view.add_nodes_from((n, dict(net.nodes[n])) for n in sorted(keep))
    view.add_edges_from(
        (u, v, k, {"relation": k, "roles": sorted(edges[(u, v, k)])}) for u, v, k in sorted(edges)
    )
    info = Aggregation(
        full_nodes=net.number_of_nodes(), full_edges=net.number_of_edges(),
        shown_nodes=view.number_of_nodes(), shown_edges=view.number_of_edges(),
        steps=tuple(steps),
    )
    return view, info


def _keep_best_connected(net: nx.MultiDiGraph, keep: set[str], max_nodes: int
                         ) -> tuple[set[str], list[str]]:
    """Organisations and shared partners to keep within ``max_nodes``, and the steps taken."""
    nodes, adj = net.nodes, net.adj
    orgs = [n for n in keep if nodes[n]["kind"] == "organisation"]
    partners = {n for n in keep if nodes[n]["kind"] == "partner"}
    fixed = keep - set(orgs) - partners  # prefectures and target groups: a few dozen
    room = max(max_nodes - len(fixed), 0)
    partnered = {
        org: [v for v, relations in adj[org].items() if "partner_of" in relations and v in partners]
        for org in orgs
    }
    ranked_orgs = sorted(orgs, key=lambda n: (-len(partnered[n]), -nodes[n]["degree"], n))
    org_room = min(len(orgs), max(room // 2, room - len(partners)))
    kept_orgs = set(ranked_orgs[:org_room])
    # partners ranked by how many of the kept organisations they link, so lines stay in view
    links: dict[str, int] = defaultdict(int)
    for org in kept_orgs:
        for partner in partnered[org]:
            links[partner] += 1
    ranked_partners = sorted(links, key=lambda n: (-links[n], -nodes[n]["n_orgs"], n))
    ranked_partners = ranked_partners[: room - len(kept_orgs)]
    # room the partners did not need goes to more organisations
    kept_orgs.update(ranked_orgs[len(kept_orgs): room - len(ranked_partners)])
    steps = []
    if len(kept_orgs) < len(orgs):
        steps.append("organisations")
    if len(ranked_partners) < len(partners):
        steps.append("partners")
    return fixed | kept_orgs | set(ranked_partners), steps


# --- layout ------------------------------------------------------------------------------


def _fan_radius(n_leaves: int) -> float:
    return 38.0 + 5.0 * n_leaves


def _force_layout(graph: nx.Graph, *, seed: int, iterations: int = 100
                  ) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold with gravity, in numpy, scaled into [-1, 1]; for a few hundred nodes.

    Gravity pulls every node towards the middle, so parts that share nothing (a prefecture's
    organisations, often) stay near the rest instead of drifting to the edge.
    """
    # sorted: a subgraph view of a few nodes iterates a set, in an order that changes from
    # one Python process to the next
    nodes = sorted(graph)
    n = len(nodes)
    if n <= 1:
        return dict.fromkeys(nodes, (0.0, 0.0))
    index = {v: i for i, v in enumerate(nodes)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in graph.edges()}
    links = np.array(sorted(pairs), dtype=np.int64)
    links = links.reshape(-1, 2)
    pos = np.random.default_rng(seed).uniform(-1.0, 1.0, (n, 2))
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    k = 2.0 / math.sqrt(n)  # ideal distance in the [-1, 1] square
    step = 0.2
    src, dst = links[:, 0], links[:, 1]
    for _ in range(iterations):
        # x and y apart: n × n planes sum along rows much faster than an n × n × 2 block
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        force = k * k / np.maximum(dx * dx + dy * dy, 1e-4 * k * k)  # repulsion k²/d
        mx, my = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        if len(links):
            ex, ey = x[src] - x[dst], y[src] - y[dst]
            pull = np.sqrt(ex * ex + ey * ey) / k  # attraction d²/k
            mx -= np.bincount(src, ex * pull, n) - np.bincount(dst, ex * pull, n)
            my -= np.bincount(src, ey * pull, n) - np.bincount(dst, ey * pull, n)
        mx -= x * (GRAVITY * n * k)
        my -= y * (GRAVITY * n * k)
        length = np.maximum(np.sqrt(mx * mx + my * my), 1e-12)
        scale = np.minimum(length, step) / length
        x += mx * scale
        y += my * scale
        step = max(step * 0.96, 0.005)
    pos = np.column_stack([x, y])
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-12)
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(nodes)}


def _place_by_neighbours(core: nx.Graph, positions: dict[str, tuple[float, float]], *,
                         spacing: float) -> None:
    """Put each unplaced node at the mean of its placed neighbours, nodes with most placed
    neighbours first, spiralling out where several land on one spot; O(n + m) per wave."""
    taken: dict[tuple[int, int], int] = defaultdict(int)  # spot → nodes already around it
    golden = math.pi * (3 - math.sqrt(5))

    def put(node: str, x: float, y: float) -> None:
        spot = (round(x / spacing), round(y / spacing))
        i = taken[spot]
        taken[spot] += 1
        r = spacing * math.sqrt(i + 0.5)
        positions[node] = (x + r * math.cos(i * golden), y + r * math.sin(i * golden))

    pending = sorted(v for v in core if v not in positions)
    while pending:
        wave = []
        for v in pending:
            placed = [positions[u] for u in core.adj[v] if u in positions]
            if placed:
                wave.append((-len(placed), -core.degree(v), v, placed))
        if not wave:
            break
        for _, _, v, placed in sorted(wave):
            put(v, sum(x for x, _ in placed) / len(placed), sum(y for _, y in placed) / len(placed))
        pending = [v for v in pending if v not in positions]
    for v in pending:  # not linked to anything placed: gathered in the middle
        put(v, 0.0, 0.0)


def layout_network(net: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Pixel positions for every node, seeded so the same network lays out the same.

    Organisations, shared partners and places go through networkx's energy layout, whose
    gravity keeps unconnected parts (one per prefecture, often) together instead of flinging
    them to the corners; above ``SPRING_MAX`` of them (an aggregated view), only the best-linked
    go through a force layout and the rest are placed among their neighbours, so the cost stays
    bounded. A partner with one organisation in view sits in a fan around it (most partners are
    such leaves, and laying them out by spring costs time and draws a hairball); target groups
    and activity types sit on an ellipse around it all in vocabulary order, so their many edges
    do not pull everything into one knot.
    """
    leaves: dict[str, list[str]] = defaultdict(list)
    vocab_nodes: list[str] = []
    core = nx.Graph()
    for node, data in net.nodes(data=True):
        if data["kind"] in VOCAB_KINDS:
            vocab_nodes.append(node)
            continue
        # in an aggregated view a shared partner may have only one organisation left in sight
        orgs = organisations_of(net, node) if data["kind"] == "partner" else []
        if len(orgs) == 1:
            leaves[orgs[0]].append(node)
        else:
            core.add_node(node)
    core.add_edges_from(sorted((u, v) for u, v in net.edges() if u in core and v in core))
    positions: dict[str, tuple[float, float]] = {}
    n = core.number_of_nodes()
    if n == 1:
        positions = {next(iter(core)): (0.0, 0.0)}
    elif n > 1:
        widest = max((_fan_radius(len(leaves.get(v, ()))) for v in core), default=0.0)
        # room for each node's fan: the layout only knows relative distances
        scale = math.sqrt(n) * (40.0 + 0.8 * widest)
        # the energy solver costs O(n²) per step: above SPRING_MAX nodes only the best-linked
        # SPRING_SKELETON go through it and the rest are placed among their neighbours
        if n <= SPRING_MAX:
            raw = nx.spring_layout(core, seed=seed, method="energy", gravity=1.0, iterations=50)
        else:
            # networkx's energy solver costs O(n²) per step and seconds at 1,000 nodes: only the
            # best-linked nodes go through a force layout, the rest are placed among them
            top = sorted(core, key=lambda v: (-core.degree(v), v))[:SPRING_SKELETON]
            raw = _force_layout(core.subgraph(sorted(top)), seed=seed)
        positions = {v: (float(x) * scale, float(y) * scale) for v, (x, y) in raw.items()}
        if n > SPRING_MAX:
            _place_by_neighbours(core, positions, spacing=28.0 + 0.3 * widest)
    for org in sorted(leaves):
        members = sorted(leaves[org])
        ox, oy = positions.get(org, (0.0, 0.0))
        spread = _fan_radius(len(members))
        # open the fan away from the middle, where the other nodes are
        base = math.atan2(oy, ox) if (ox or oy) else -math.pi / 2
        arc = 2 * math.pi if len(members) > 5 else math.pi
        step = arc / len(members) if len(members) > 5 else arc / max(len(members) - 1, 1)
        start = base if len(members) > 5 else base - (arc / 2 if len(members) > 1 else 0)
        for i, node in enumerate(members):
            angle = start + step * i
            positions[node] = (ox + spread * math.cos(angle), oy + spread * math.sin(angle))
    xs = [abs(x) for x, _ in positions.values()] or [0.0]
    ys = [abs(y) for _, y in positions.values()] or [0.0]
    rx, ry = max(xs) + 160.0, max(ys) + 160.0
    arcs = {
        "target": (-math.pi * 0.97, -math.pi * 0.03), "activity": (math.pi * 0.03, math.pi * 0.97),
    }
    for kind, (start_angle, end_angle) in arcs.items():
        members = [v for v in vocab_nodes if net.nodes[v]["kind"] == kind]
        for i, node in enumerate(members):
            angle = start_angle + (end_angle - start_angle) * (i + 0.5) / len(members)
            positions[node] = (rx * math.cos(angle), ry * math.sin(angle))
    return {v: (round(x), round(y)) for v, (x, y) in sorted(positions.items())}


# --- export ------------------------------------------------------------------------------


def _graphml_value(value: Any) -> str | int | float | bool | None:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    return None  # nested details stay in the HTML; Gephi can't use them


_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_EDGE_KEYS = {"relation", "roles"}


def _xml_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _xml_attr(text: str) -> str:
    text = _xml_text(text)
    for char, entity in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if char in text:
            text = text.replace(char, entity)
    return text


def export_graphml(net: nx.MultiDiGraph) -> bytes:
    """The network as GraphML (UTF-8, byte-identical for the same network), for Gephi.

    Written directly rather than with ``nx.write_graphml_xml``, whose ElementTree tree took
    20 s at 10,000 cases; the bytes are the same as networkx's pretty-printed output with
    ``named_key_ids`` (a test compares them), plus how betweenness was measured as graph data.
    """
    with gc_paused():
        return _graphml(net)


def _graphml(net: nx.MultiDiGraph) -> bytes:
    keys: dict[tuple[str, str], str] = {}  # (scope, name) → GraphML type, first use first

    def data_lines(scope: str, attrs: Iterable[tuple[str, Any]], indent: str) -> list[str]:
        lines = []
        for name, raw in attrs:
            # str first: nearly every value is one, and this runs ~700,000 times at 10,000 cases
            if type(raw) is str:
                text = _xml_text(raw)
                keys.setdefault((scope, name), "string")
            else:
                value = _graphml_value(raw)
                if value is None:
                    continue
                keys.setdefault((scope, name), _GRAPHML_TYPES[type(value)])
                text = _xml_text(value) if isinstance(value, str) else str(value)
            lines.append(f'{indent}<data key="{name}">{text}</data>\n' if text
                         else f'{indent}<data key="{name}" />\n')
        return lines

    # networkx registers the graph's keys first but writes its data after the edges
    graph_data = data_lines("graph", sorted(net.graph.items()), "    ")
    body: list[str] = []
    ids: dict[str, str] = {}
    for node, data in sorted(net.nodes(data=True)):
        node_id = ids[node] = _xml_attr(node)
        lines = data_lines("node", sorted(data.items()), "      ")
        if lines:
            body += [f'    <node id="{node_id}">\n', *lines, "    </node>\n"]
        else:
            body.append(f'    <node id="{node_id}" />\n')
    for u, v, key, data in sorted(net.edges(keys=True, data=True), key=itemgetter(0, 1, 2)):
        # GraphML wants edge ids unique in the document, not just between one pair of nodes
        edge_id = f"{u}--{key}--{v}"
        roles = data.get("roles")
        if ("edge", "roles") in keys and data.keys() == _EDGE_KEYS and isinstance(roles, list) and \
                type(data["relation"]) is str and all(type(r) is str for r in roles):
            # the usual edge, in one string: 130,000 of them at 10,000 cases
            eid, text = _xml_attr(edge_id), _xml_text("|".join(roles))
            body.append(
                f'    <edge source="{ids[u]}" target="{ids[v]}" id="{eid}">\n'
                f'      <data key="edge_id">{_xml_text(edge_id)}</data>\n'
                f'      <data key="relation">{_xml_text(data["relation"])}</data>\n'
                + (f'      <data key="roles">{text}</data>\n' if text
                   else '      <data key="roles" />\n')
                + "    </edge>\n"
            )
            continue
        lines = data_lines("edge", [("edge_id", edge_id), *sorted(data.items())], "      ")
        body += [f'    <edge source="{ids[u]}" target="{ids[v]}" id="{_xml_attr(edge_id)}">\n',
                 *lines, "    </edge>\n"]
    # networkx puts each new key first, so they read in reverse order of first use
    head = [
        f'  <key id="{name}" for="{scope}" attr.name="{name}" attr.type="{kind}" />\n'
        for (scope, name), kind in reversed(keys.items())
    ]
    text = "".join([_GRAPHML_HEAD, *head, '  <graph edgedefault="directed">\n', *body,
                    *graph_data, "  </graph>\n</graphml>\n"])
    return text.encode("utf-8")
