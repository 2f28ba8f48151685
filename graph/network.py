"""Network analysis over the RDF graph: who works with whom, and where.

The network is read from the rdflib graph that ``graph.rdf.build_graph`` makes (never from the
text again), so the HTML view, the GraphML export and the Turtle export always agree. It is a
``networkx.MultiDiGraph`` whose nodes have ASCII ids and a ``kind`` (organisation, partner,
municipality, prefecture, target, activity) and whose edges are keyed by ``relation``.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, cast

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph import vocab
from graph.namespaces import ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TS

# Node kinds in legend order; the first class a node has in this order decides its kind, so a
# local government named as a partner stays a municipality and a casebook organisation named
# as another's partner stays an organisation.
KINDS: tuple[str, ...] = (
    "organisation", "partner", "municipality", "prefecture", "target", "activity",
)
_KIND_CLASSES: tuple[tuple[URIRef, str], ...] = (
    (TS.Organisation, "organisation"),
    (TS.Municipality, "municipality"),
    (TS.Prefecture, "prefecture"),
    (TS.PartnerBody, "partner"),
    (TS.TargetGroup, "target"),
    (TS.ActivityType, "activity"),
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
_INITIATIVE_LINKS: tuple[tuple[URIRef, str], ...] = (
    (TS.activeIn, "runs_in"),
    (TS.primaryTarget, "targets_primary"),
    (TS.secondaryTarget, "targets_secondary"),
    (TS.primaryActivity, "activity_primary"),
    (TS.secondaryActivity, "activity_secondary"),
)
# ★ wins over ☆ when two initiatives of one organisation disagree.
_WEAKER = {"targets_secondary": "targets_primary", "activity_secondary": "activity_primary"}

_OUTCOME_VALUE = (SCHEMA.value,)
_OUTCOME_UNIT = (SCHEMA.unitText,)
_PARENT_LINKS: tuple[tuple[URIRef, str], ...] = (
    (TS.locatedIn, "located_in"),
    (TS.inPrefecture, "located_in"),
    (TS.wardOf, "located_in"),
    (ORG.subOrganizationOf, "part_of"),
)

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


class Triples(Protocol):
    """The part of ``rdflib.Graph`` this module reads with."""

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]: ...

    def subjects(self, predicate: Node, object: Node) -> Iterator[Node]: ...


class QuadIndex:
    """An rdflib-like read-only view of ``KnowledgeGraph.quads`` (named graphs merged).

    Parsing a 10,000-case graph into an rdflib ``Graph`` takes longer than the rest of the
    network stage; indexing the pyoxigraph quads directly gives the same triples much faster.
    """

    def __init__(self, quads: Iterable[Any]) -> None:
        self._out: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        self._in: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        terms: dict[Any, Node] = {}
        for quad in quads:
            s, p, o = (terms.get(t) or terms.setdefault(t, _from_ox(t))
                       for t in (quad.subject, quad.predicate, quad.object))
            self._out[(s, p)].add(o)
            self._in[(p, o)].add(s)

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """Objects of ``subject predicate ?o``."""
        return iter(self._out.get((subject, predicate), ()))

    def subjects(self, predicate: Node, object: Node) -> Iterator[Node]:
        """Subjects of ``?s predicate object``."""
        return iter(self._in.get((predicate, object), ()))


def _from_ox(term: Any) -> Node:
    """A pyoxigraph term as the rdflib term with the same meaning."""
    if hasattr(term, "language") or hasattr(term, "datatype"):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return URIRef(term.value)


def as_triples(graph: Any) -> Triples:
    """An rdflib ``Graph`` as it is; a ``KnowledgeGraph`` (pyoxigraph quads) indexed."""
    if hasattr(graph, "quads") and not hasattr(graph, "objects"):
        return QuadIndex(graph.quads)
    return cast(Triples, graph)


def _text(value: Node | None) -> str | None:
    return str(value) if isinstance(value, Literal | URIRef) else None


def _lang_literal(graph: Triples, node: Node, preds: Iterable[URIRef], lang: str) -> str | None:
    """First literal in ``lang`` over ``preds`` (sorted, so the choice is stable)."""
    for pred in preds:
        found = sorted(
            str(o) for o in graph.objects(node, pred)
            if isinstance(o, Literal) and (o.language or "") == lang
        )
        if found:
            return found[0]
    return None


def _label(graph: Triples, node: Node, lang: str = "ja") -> str | None:
    label = _lang_literal(graph, node, (RDFS.label, SKOS.prefLabel), lang)
    if label is None and lang == "ja":
        # an untagged label is the Japanese one in this project's data
        label = _lang_literal(graph, node, (RDFS.label, SKOS.prefLabel), "")
    return label


def _first(graph: Triples, node: Node, preds: Iterable[URIRef]) -> Node | None:
    for pred in preds:
        values = sorted(graph.objects(node, pred), key=str)
        if values:
            return values[0]
    return None


def _kind_of(graph: Triples, node: Node) -> str | None:
    types = set(graph.objects(node, RDF.type))
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


def _vocab_rank(graph: Triples, node: Node) -> tuple[int, str]:
    notation = _first(graph, node, (SKOS.notation,))
    return (_table_order().get(str(notation), 10_000), _label(graph, node) or str(node))


def _add_edge(net: nx.MultiDiGraph, u: str, v: str, relation: str, roles: Iterable[str] = ()
              ) -> None:
    if u == v:
        return
    if net.has_edge(u, v, relation):
        merged = set(net.edges[u, v, relation]["roles"]) | set(roles)
        net.edges[u, v, relation]["roles"] = sorted(merged)
    else:
        net.add_edge(u, v, key=relation, relation=relation, roles=sorted(set(roles)))


def _outcomes(graph: Triples, initiative: Node) -> list[dict[str, str]]:
    rows = []
    for outcome in graph.objects(initiative, TS.hasOutcome):
        rows.append({
            "label": _label(graph, outcome) or "",
            "value": _text(_first(graph, outcome, (SCHEMA.value,))) or "",
            "unit": _text(_first(graph, outcome, (SCHEMA.unitText,))) or "",
            "qualifier": ",".join(sorted(str(q) for q in graph.objects(outcome, TS.qualifier))),
            "iri": str(outcome),
        })
    # outcome IRIs end in their position in the case (…/outcome/3): keep the text's order
    rows.sort(key=lambda r: (len(r["iri"]), r["iri"]))
    return [{k: v for k, v in r.items() if k != "iri"} for r in rows]


def _source(graph: Triples, node: Node) -> dict[str, Any] | None:
    """Source file and lines of the case that describes ``node``."""
    for case in sorted(graph.objects(node, TS.describedIn), key=str):
        book = _first(graph, case, (PROV.wasDerivedFrom,))
        file = _first(graph, book, (TS.sourceFile,)) if book is not None else None
        start, end = _first(graph, case, (TS.lineStart,)), _first(graph, case, (TS.lineEnd,))
        return {
            "file": str(file) if file is not None else "",
            "line_start": int(start) if isinstance(start, Literal) else None,
            "line_end": int(end) if isinstance(end, Literal) else None,
        }
    return None


def _roles(graph: Triples, org: Node) -> dict[Node, set[str]]:
    """Partner → roles, from the qualified partner relation nodes (ts:Partnership)."""
    roles: dict[Node, set[str]] = defaultdict(set)
    for rel in graph.objects(org, TS.qualifiedPartnership):
        for partner in graph.objects(rel, TS.partner):
            roles[partner].update(str(r) for r in graph.objects(rel, TS.role))
    return roles


def build_network(graph: Graph | Any) -> nx.MultiDiGraph:
    """The analysed network of organisations, partners, places and vocabularies in ``graph``.

    ``graph`` is an rdflib ``Graph`` or the ``KnowledgeGraph`` of ``graph.rdf.build_graph``.
    """
    triples = as_triples(graph)
    net = nx.MultiDiGraph()
    ids: dict[Node, str] = {}
    taken: set[str] = set()

    def add(node: Node) -> str | None:
        if node in ids:
            return ids[node]
        kind = _kind_of(triples, node)
        if kind is None or not isinstance(node, URIRef):
            return None
        node_id = _node_id(kind, str(node), taken)
        taken.add(node_id)
        ids[node] = node_id
        net.add_node(
            node_id, kind=kind, iri=str(node),
            label=_label(triples, node) or str(node),
            label_en=_label(triples, node, "en") or "",
            aliases=sorted({str(a) for a in triples.objects(node, SKOS.altLabel)}),
        )
        return node_id

    # Insert nodes in a fixed order so ids, GraphML keys and layouts never depend on how
    # the store happens to iterate.
    kinds: dict[Node, str] = {
        s: _kind_of(triples, s) or kind
        for cls, kind in _KIND_CLASSES for s in triples.subjects(RDF.type, cls)
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

    for org in sorted(triples.subjects(RDF.type, TS.Organisation), key=str):
        org_id = ids[org]
        roles = _roles(triples, org)
        for partner in triples.objects(org, TS.partneredWith):
            partner_id = add(partner)
            if partner_id:
                _add_edge(net, org_id, partner_id, "partner_of", roles.get(partner, ()))
        for place in triples.objects(org, TS.basedIn):
            place_id = add(place)
            if place_id:
                _add_edge(net, org_id, place_id, "based_in")
        initiatives = []
        for initiative in sorted(triples.objects(org, TS.runs), key=str):
            for pred, relation in _INITIATIVE_LINKS:
                for target in triples.objects(initiative, pred):
                    target_id = add(target)
                    if target_id:
                        _add_edge(net, org_id, target_id, relation)
            initiatives.append({
                "title": _label(triples, initiative) or "",
                "region": _text(_first(triples, initiative, (TS.regionText,))) or "",
                "outcomes": _outcomes(triples, initiative),
                "source": _source(triples, initiative) or _source(triples, org),
            })
        legal_form = _first(triples, org, (TS.legalForm,))
        net.nodes[org_id].update(
            initiatives=initiatives,
            website=_text(_first(triples, org, (SCHEMA.url,))) or "",
            legal_form=(_label(triples, legal_form) or str(legal_form)) if legal_form else "",
        )

    for node, node_id in sorted(ids.items(), key=lambda kv: kv[1]):
        for pred, relation in _PARENT_LINKS:
            for parent in triples.objects(node, pred):
                parent_id = add(parent)
                if parent_id:
                    _add_edge(net, node_id, parent_id, relation)
        data = net.nodes[node_id]
        if data["kind"] == "partner":
            category = _first(triples, node, (TS.partnerCategory,))
            data["category"] = (_label(triples, category) or "") if category else ""
            data["category_en"] = (_label(triples, category, "en") or "") if category else ""
            generic = _first(triples, node, (TS.generic,))
            data["generic"] = isinstance(generic, Literal) and bool(generic.toPython())
        if data["kind"] in PLACE_KINDS:
            data["lg_code"] = _text(_first(triples, node, (TS.lgCode,))) or ""

    # ☆ is dropped where the same organisation also has ★ for that node
    for u, v, relation in list(net.edges(keys=True)):
        stronger = _WEAKER.get(relation)
        if stronger and net.has_edge(u, v, stronger):
            net.remove_edge(u, v, relation)

    _drop_unlinked_vocabulary(net)
    analyse_network(net)
    return _sorted_copy(net)


def _drop_unlinked_vocabulary(net: nx.MultiDiGraph) -> None:
    # The Turtle keeps all 14 activity types and 18 target groups; in a picture, an unused
    # one is a lonely dot that says nothing.
    unused = [n for n, d in net.nodes(data=True) if d["kind"] in VOCAB_KINDS and net.degree(n) == 0]
    net.remove_nodes_from(unused)


def _sorted_copy(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same network with nodes and edges in sorted order (deterministic exports)."""
    out = nx.MultiDiGraph()
    out.graph.update(net.graph)
    for node in sorted(net.nodes):
        out.add_node(node, **dict(sorted(net.nodes[node].items())))
    for u, v, k, d in sorted(net.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        out.add_edge(u, v, key=k, **dict(sorted(d.items())))
    return out


# --- analysis ----------------------------------------------------------------------------


def organisations_of(net: nx.MultiDiGraph, node: str) -> list[str]:
    """Organisations that name ``node`` as a partner, sorted."""
    return sorted({u for u, _, k in net.in_edges(node, keys=True) if k == "partner_of"})


def _collaboration_graph(net: nx.MultiDiGraph) -> nx.Graph:
    """Undirected graph of organisations, partners and places (no vocabulary hubs)."""
    keep = [n for n, d in net.nodes(data=True) if d["kind"] not in VOCAB_KINDS]
    simple = nx.Graph()
    simple.add_nodes_from(sorted(keep))
    simple.add_edges_from(
        sorted((u, v) for u, v in net.edges() if u in simple and v in simple)
    )
    return simple


def analyse_network(net: nx.MultiDiGraph, *, betweenness_sample: int = 500, seed: int = 7) -> None:
    """Set ``degree``, ``betweenness``, ``n_orgs`` and ``shared`` on every node, in place.

    Betweenness is measured on organisations, partners and places only: the target-group and
    activity-type hubs would otherwise make every path look like it bridges through 多世代.
    Above ``betweenness_sample`` nodes it is estimated from that many seeded pivots, because
    exact betweenness is O(n·m).
    """
    collab = _collaboration_graph(net)
    k = betweenness_sample if collab.number_of_nodes() > betweenness_sample else None
    between = nx.betweenness_centrality(collab, k=k, seed=seed if k else None)
    for node, data in net.nodes(data=True):
        n_orgs = len(organisations_of(net, node))
        data["degree"] = len(set(net.predecessors(node)) | set(net.successors(node)))
        data["betweenness"] = round(between.get(node, 0.0), 6)
        data["n_orgs"] = n_orgs
        data["shared"] = n_orgs >= 2


def shared_collaborators(net: nx.MultiDiGraph) -> list[str]:
    """Bodies named as partners by 2+ organisations, most-shared first."""
    shared = [n for n, d in net.nodes(data=True) if d.get("shared")]
    return sorted(shared, key=lambda n: (-net.nodes[n]["n_orgs"], -net.nodes[n]["betweenness"], n))


def _contacts(net: nx.MultiDiGraph, org: str) -> dict[str, str]:
    """What an organisation touches that others could share: node → "partner" or "place"."""
    contacts: dict[str, str] = {}
    for _, v, relation in net.out_edges(org, keys=True):
        kind = net.nodes[v]["kind"]
        if relation == "partner_of":
            contacts[v] = "partner"
            # a department's municipality counts as a shared place: 志木市健康政策課 puts the
            # organisation in touch with 志木市
            for _, parent, rel in net.out_edges(v, keys=True):
                if rel in ("part_of", "located_in") and net.nodes[parent]["kind"] == "municipality":
                    contacts.setdefault(parent, "place")
        elif relation in ("runs_in", "based_in") and kind == "municipality":
            # prefectures are left out: they would join every organisation of 東京都
            contacts.setdefault(v, "place")
    return contacts


def shared_places(net: nx.MultiDiGraph) -> list[tuple[str, list[str]]]:
    """Municipalities that 2+ organisations work in, are based in or partner with (or with one
    of its departments), with those organisations; most shared first."""
    by_place: dict[str, set[str]] = defaultdict(set)
    for org, data in net.nodes(data=True):
        if data["kind"] != "organisation":
            continue
        for contact in _contacts(net, org):
            if net.nodes[contact]["kind"] == "municipality":
                by_place[contact].add(org)
    rows = [(place, sorted(orgs)) for place, orgs in by_place.items() if len(orgs) >= 2]
    return sorted(rows, key=lambda r: (-len(r[1]), net.nodes[r[0]]["label"], r[0]))


def project_organisations(net: nx.MultiDiGraph) -> nx.Graph:
    """Organisation–organisation graph through shared partners and places.

    Edge attributes: ``weight`` (number of shared nodes), ``partners`` and ``places`` (their ids).
    """
    orgs = sorted(n for n, d in net.nodes(data=True) if d["kind"] == "organisation")
    by_contact: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for org in orgs:
        for contact, how in sorted(_contacts(net, org).items()):
            by_contact[contact].append((org, how))
    pairs: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"partners": set(), "places": set()}
    )
    for contact, members in sorted(by_contact.items()):
        # a body partnered by one organisation and a place of another still links them; the
        # tag says how the first of the pair touches it
        if len(members) > 200:
            continue  # a hub shared by hundreds (a big city) says nothing pairwise
        for i, (a, how_a) in enumerate(members):
            for b, how_b in members[i + 1:]:
                bucket = "partners" if "partner" in (how_a, how_b) else "places"
                pairs[(a, b)][bucket].add(contact)
    proj = nx.Graph()
    proj.add_nodes_from(orgs)
    for (a, b), via in sorted(pairs.items()):
        proj.add_edge(
            a, b, weight=len(via["partners"]) + len(via["places"]),
            partners=sorted(via["partners"]), places=sorted(via["places"]),
        )
    return proj


# --- large corpora -----------------------------------------------------------------------


def aggregate_network(
    net: nx.MultiDiGraph, max_nodes: int
) -> tuple[nx.MultiDiGraph, Aggregation | None]:
    """A view of at most ``max_nodes`` nodes, and what was left out (None when nothing was).

    Steps, each taken only while the network is still too large: drop partners named by one
    organisation and the activity types; fold municipalities into their prefectures; keep the
    best-connected organisations.
    """
    if net.number_of_nodes() <= max_nodes:
        return net, None
    view = net.copy()
    steps: list[str] = []
    view.remove_nodes_from([
        n for n, d in view.nodes(data=True)
        if (d["kind"] == "partner" and not d["shared"]) or d["kind"] == "activity"
    ])
    steps.append("single_partners")
    if view.number_of_nodes() > max_nodes:
        _fold_municipalities(net, view)
        steps.append("municipalities")
    if view.number_of_nodes() > max_nodes:
        orgs = [n for n, d in view.nodes(data=True) if d["kind"] == "organisation"]
        room = max(max_nodes - (view.number_of_nodes() - len(orgs)), 0)
        ranked = sorted(orgs, key=lambda n: (-net.nodes[n]["degree"], n))
        view.remove_nodes_from(ranked[room:])
        steps.append("organisations")
        if view.number_of_nodes() > max_nodes:
            # still too many shared partners: keep the most shared
            partners = [n for n in shared_collaborators(net) if n in view]
            others = view.number_of_nodes() - len(partners)
            view.remove_nodes_from(partners[max(max_nodes - others, 0):])
            steps.append("partners")
        view.remove_nodes_from([
            n for n, d in view.nodes(data=True)
            if d["kind"] != "organisation" and view.degree(n) == 0
        ])
    info = Aggregation(
        full_nodes=net.number_of_nodes(), full_edges=net.number_of_edges(),
        shown_nodes=view.number_of_nodes(), shown_edges=view.number_of_edges(),
        steps=tuple(steps),
    )
    return _sorted_copy(view), info


def _fold_municipalities(full: nx.MultiDiGraph, view: nx.MultiDiGraph) -> None:
    prefecture_of = {
        n: v for n, v, k in full.edges(keys=True)
        if k == "located_in" and full.nodes[n]["kind"] == "municipality"
        and full.nodes[v]["kind"] == "prefecture"
    }
    for u, v, relation in list(view.edges(keys=True)):
        if view.nodes[v]["kind"] == "municipality" and v in prefecture_of:
            _add_edge(view, u, prefecture_of[v], relation)
    view.remove_nodes_from([n for n, d in view.nodes(data=True) if d["kind"] == "municipality"])


# --- layout ------------------------------------------------------------------------------


def _fan_radius(n_leaves: int) -> float:
    return 38.0 + 5.0 * n_leaves


def layout_network(net: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Pixel positions for every node, seeded so the same network lays out the same.

    Organisations, shared partners and places go through networkx's energy layout, whose
    gravity keeps unconnected parts (one per prefecture, often) together instead of flinging
    them to the corners; a partner named by one organisation sits in a fan around it (most
    partners are such leaves, and laying them out by spring costs time and draws a hairball);
    target groups and activity types sit on an ellipse around it all in vocabulary order, so
    their many edges do not pull everything into one knot.
    """
    leaves: dict[str, list[str]] = defaultdict(list)
    vocab_nodes: list[str] = []
    core = nx.Graph()
    for node, data in net.nodes(data=True):
        if data["kind"] in VOCAB_KINDS:
            vocab_nodes.append(node)
        elif data["kind"] == "partner" and data.get("n_orgs", 0) == 1:
            leaves[organisations_of(net, node)[0]].append(node)
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
        # the energy solver's cost grows with n·iterations; fewer steps on big views keep the
        # render to seconds at the 1,500-node aggregation threshold
        iterations = 50 if n <= 400 else max(12, int(50 * 400 / n))
        raw = nx.spring_layout(
            core, seed=seed, method="energy", gravity=1.0, iterations=iterations
        )
        positions = {v: (float(x) * scale, float(y) * scale) for v, (x, y) in raw.items()}
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


def _graphml_graph(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for node, data in sorted(net.nodes(data=True)):
        attrs = {k: _graphml_value(v) for k, v in sorted(data.items())}
        out.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
    for u, v, key, data in sorted(net.edges(keys=True, data=True), key=lambda e: e[:3]):
        attrs = {k: _graphml_value(v) for k, v in sorted(data.items())}
        attrs = {k: val for k, val in attrs.items() if val is not None}
        # GraphML wants edge ids unique in the document, not just between one pair of nodes
        out.add_edge(u, v, key=key, edge_id=f"{u}--{key}--{v}", **attrs)
    return out


def export_graphml(net: nx.MultiDiGraph) -> bytes:
    """The network as GraphML (UTF-8, byte-identical for the same network), for Gephi."""
    buffer = io.BytesIO()
    nx.write_graphml_xml(
        _graphml_graph(net), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True,
        edge_id_from_attribute="edge_id",
    )
    return buffer.getvalue()
