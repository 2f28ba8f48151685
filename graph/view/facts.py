"""The whole corpus in compact tables, for the page's results list, gap view and search.

The canvas shows at most ``max_nodes`` nodes (an aggregated view of a large corpus); these
tables cover every organisation, place and partner of the full network, so a filter, a search
or a gap matrix says the truth at every size. Ids are the network's node ids; names live once
in ``names``; lists are sorted so the same network gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

import networkx as nx

from graph.partners.extract import load_rules
from graph.text import vocab
from graph.view.romaji import place_name_en, romanise

# An initiative's own lists, in the order the page reads them.
INITIATIVE_FIELDS = ("runs_in", "targets_primary", "targets_secondary", "activity_primary",
                     "activity_secondary")
_ID_PREFIX = {"target": "tg", "activity": "act"}


def norm(text: str) -> str:
    """The search form: NFKC (full- and half-width alike) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def _name_variants() -> tuple[tuple[tuple[str, str], ...], dict[str, list[str]]]:
    """Abbreviations (full → short) and aliases (canonical → aliases) from ``data/partners``."""
    rules = load_rules()
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, canonical in rules.aliases.items():
        aliases[norm(canonical)].append(alias)
    return tuple((norm(full), norm(short)) for short, full in rules.abbreviations), dict(aliases)


def search_text(names: Iterable[str], roles: Iterable[str] = ()) -> str:
    """Every way a user may write a node: its names, their abbreviations (社会福祉協議会 →
    社協), the aliases of a canonical name, its roles, and romaji with and without spaces."""
    abbreviations, aliases = _name_variants()
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        text = norm(name)
        keys.append(text)
        for full, short in abbreviations:
            if full in text:
                keys.append(text.replace(full, short))
        keys.extend(aliases.get(text, ()))
        roman = romanise(unicodedata.normalize("NFKC", name)).casefold()
        if roman and roman != text:
            keys += [roman, roman.replace(" ", "")]
    keys += [norm(r) for r in roles]
    return "\n".join(dict.fromkeys(keys))


def vocabulary(net: nx.MultiDiGraph) -> dict[str, list[dict[str, str]]]:
    """All target groups and activity types in the casebook's table order, used or not."""
    by_iri_local = {
        str(d.get("iri", "")).rsplit("/", 1)[-1]: n
        for n, d in net.nodes(data=True) if d["kind"] in _ID_PREFIX
    }
    out = {}
    for kind, terms in (("target", vocab.target_groups()), ("activity", vocab.activity_types())):
        out[kind] = [
            {"id": by_iri_local.get(term.id, f"{_ID_PREFIX[kind]}-{term.id}"), "t": term.ja,
             "en": term.en}
            for term in terms
        ]
    return out


def page_facts(net: nx.MultiDiGraph, contacts: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``orgs``, ``names``, ``parents``, ``partners``, ``categories``, ``search``, ``vocab``."""
    nodes = net.nodes
    categories = list(load_rules().categories)
    category_en: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    parents: dict[str, list[str]] = {}
    partners: dict[str, list[Any]] = {}
    roles: dict[str, set[str]] = defaultdict(set)
    for _, v, k, d in net.edges(keys=True, data=True):
        if k == "partner_of":
            roles[v].update(d.get("roles", ()))
    search: dict[str, str] = {}
    for node, data in sorted(net.nodes(data=True)):
        kind = data["kind"]
        en = data.get("label_en", "")
        if kind == "municipality" and not en:
            en = place_name_en(data["label"])
        names[node] = [kind, data["label"], en]
        if kind in ("municipality", "prefecture"):
            up = sorted(v for _, v, k in net.out_edges(node, keys=True) if k == "located_in"
                        and nodes[v]["kind"] in ("municipality", "prefecture"))
            if up:
                parents[node] = up
        if kind == "partner" or any(k == "partner_of" for _, _, k in net.in_edges(node, keys=True)):
            category = data.get("category", "")
            if category and category not in categories:
                categories.append(category)
            if category and data.get("category_en"):
                category_en[category] = data["category_en"]
            partners[node] = [categories.index(category) if category else -1,
                              data.get("betweenness", 0.0), data.get("n_orgs", 0)]
        search[node] = search_text([data["label"], en, *data.get("aliases", [])],
                                   sorted(roles.get(node, ())))
    orgs = []
    for org in sorted(n for n, d in net.nodes(data=True) if d["kind"] == "organisation"):
        out = [(v, k) for _, v, k in net.out_edges(org, keys=True)]
        inits = [
            [initiative.get("links", {}).get(f, []) for f in INITIATIVE_FIELDS]
            for initiative in nodes[org].get("initiatives", [])
        ]
        orgs.append({
            "id": org,
            "inits": inits,
            "based": sorted(v for v, k in out if k == "based_in"),
            "partners": sorted({v for v, k in out if k == "partner_of"}),
            # municipalities it works in, is based in or partners with (or with a department of)
            "places": sorted(
                v for v in contacts.get(org, {}) if nodes[v]["kind"] == "municipality"
            ),
        })
    return {
        "orgs": orgs,
        "names": names,
        "parents": parents,
        "partners": partners,
        "categories": [[c, category_en.get(c, "")] for c in categories],
        "search": search,
        "vocab": vocabulary(net),
    }
