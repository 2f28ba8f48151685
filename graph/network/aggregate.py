"""Large corpora: a view of at most N nodes, and what it left out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph.parallel import gc_paused


@dataclass(frozen=True)
class Aggregation:
    """What an aggregated view left out, to be said on the page."""

    full_nodes: int
    full_edges: int
    shown_nodes: int
    shown_edges: int
    steps: tuple[str, ...] = field(default_factory=tuple)


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

