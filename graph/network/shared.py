"""Who shares what: bodies and places that two or more organisations have in common."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx


def organisations_of(net: nx.MultiDiGraph, node: str) -> list[str]:
    """Organisations that name ``node`` as a partner, sorted."""
    return sorted({u for u, _, k in net.in_edges(node, keys=True) if k == "partner_of"})



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

