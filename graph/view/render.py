"""The interactive network page: one self-contained, offline HTML file.

pyvis builds the vis-network node, edge and option data; the page itself comes from our own
template in ``graph/templates`` because pyvis 0.3.2's templates load Bootstrap and
vis-network from CDNs, list node ids in their select menu and have no legend. Every script
and style is inlined (vis-network from the copy pyvis ships), and the data goes in as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped; the page's
JavaScript only ever sets ``textContent``, so casebook text cannot become markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import networkx as nx
from pyvis.network import Network

from graph.network import (
    KINDS,
    RELATIONS,
    VOCAB_KINDS,
    Aggregation,
    aggregate_network,
    layout_network,
    organisation_contacts,
    organisation_links,
)
from graph.network.xmltext import xml_safe
from graph.parallel import gc_paused
from graph.resources import templates_dir
from graph.text import vocab
from graph.view.facts import page_facts

DEFAULT_MAX_NODES = 1500  # above this the page shows an aggregated view (see aggregate_network)
LIST_LIMIT = 40  # longest list in a details panel; the rest is counted
LABEL_ALL_LIMIT = 400  # above this many nodes, only the LABEL_TOP best-linked are labelled
LABEL_TOP = 150
VIS_NETWORK_JS = "lib/vis-9.1.2/vis-network.min.js"  # inside the pyvis package
_FONT = "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',Meiryo,sans-serif"

# Shapes and colours by kind; colour-blind-safe hues (Okabe–Ito) so kinds differ by shape too.
KIND_STYLE: dict[str, dict[str, Any]] = {
    "organisation": {"shape": "square", "color": "#0072B2", "size": 16},
    "partner": {"shape": "dot", "color": "#E69F00", "size": 7},
    "municipality": {"shape": "triangle", "color": "#009E73", "size": 12},
    "prefecture": {"shape": "diamond", "color": "#00604A", "size": 16},
    "target": {"shape": "star", "color": "#CC79A7", "size": 16},
    "activity": {"shape": "hexagon", "color": "#8C6D31", "size": 12},
}
SHARED_COLOR = "#D55E00"
_FONT_SIZE = {
    "organisation": 16,
    "partner": 11,
    "municipality": 13,
    "prefecture": 14,
    "target": 14,
    "activity": 13,
}
RELATION_STYLE: dict[str, dict[str, Any]] = {
    "partner_of": {"color": "#D55E00", "dashes": False, "width": 2},
    "runs_in": {"color": "#009E73", "dashes": False, "width": 1.5},
    "based_in": {"color": "#009E73", "dashes": [2, 4], "width": 1.5},
    "targets_primary": {"color": "#CC79A7", "dashes": False, "width": 2},
    "targets_secondary": {"color": "#CC79A7", "dashes": [8, 5], "width": 1},
    "activity_primary": {"color": "#8C6D31", "dashes": False, "width": 1.5},
    "activity_secondary": {"color": "#8C6D31", "dashes": [8, 5], "width": 1},
    "located_in": {"color": "#999999", "dashes": [2, 3], "width": 1},
    "part_of": {"color": "#666666", "dashes": [10, 3, 2, 3], "width": 1},
}
_KIND_JA = {
    "organisation": "団体",
    "partner": "連携先",
    "municipality": "市区町村",
    "prefecture": "都道府県",
    "target": "対象",
    "activity": "取組の種類",
}
_SAFE_URL = re.compile(r"https?://[^\s\"'<>]+", re.ASCII)
_VIS_OPTIONS: dict[str, Any] = {
    # positions come from networkx, so physics stays off: nothing to settle at load time
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": True,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": False,
    },
    "nodes": {
        "borderWidth": 1,
        "font": {
            "face": _FONT,
            "size": 12,
            "color": "#222222",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
    },
    "edges": {
        "smooth": False,
        "selectionWidth": 2,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
    },
}


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _item(
    text: str,
    *,
    en: str = "",
    node: str = "",
    href: str = "",
    mark: str = "",
    key: str = "",
    note: str = "",
) -> dict[str, str]:
    """One line of a details section: ``key`` names a field, ``note`` is free (untrusted) text."""
    item = {"t": text, "en": en, "id": node, "href": href, "mark": mark, "k": key, "note": note}
    return {k: v for k, v in item.items() if v}


def _capped(
    rows: list[Any], item: Callable[[Any], dict[str, str]], limit: int = LIST_LIMIT
) -> list[dict[str, str]]:
    """Items for at most ``limit`` rows and a "+N" line: a target group of a big corpus has
    thousands (only the rows shown are turned into items)."""
    items = [item(row) for row in rows[:limit]]
    if len(rows) > limit:
        items.append(_item(f"+{len(rows) - limit}", key="more"))
    return items


def _node_item(net: nx.MultiDiGraph, node: str, **extra: str) -> dict[str, str]:
    data = net.nodes[node]
    return _item(data["label"], en=data.get("label_en", ""), node=node, **extra)


@cache
def _vocab_order() -> dict[str, int]:
    terms = (*vocab.activity_groups(), *vocab.activity_types(), *vocab.target_groups())
    return {term.id: n for n, term in enumerate(terms)}


def _table_rank(net: nx.MultiDiGraph, node: str) -> int:
    """Position of a target group or activity type in the casebook's table."""
    return _vocab_order().get(str(net.nodes[node].get("iri", "")).rsplit("/", 1)[-1], 10_000)


def _neighbours(
    net: nx.MultiDiGraph, node: str, relations: set[str], *, incoming: bool = False
) -> list[tuple[str, str, dict[str, Any]]]:
    edges = (
        net.in_edges(node, keys=True, data=True)
        if incoming
        else net.out_edges(node, keys=True, data=True)
    )
    rows = [((u if incoming else v), k, d) for u, v, k, d in edges if k in relations]
    return sorted(rows, key=lambda r: (r[1], net.nodes[r[0]]["label"], r[0]))


_PREFIX_QUALIFIERS = ("約", "延べ", "計", "平均")  # written before the number; 以上 etc. after


def _outcome_text(outcome: dict[str, str]) -> str:
    quals = [q for q in outcome["qualifier"].split(",") if q]
    before = "".join(q for q in quals if q in _PREFIX_QUALIFIERS)
    after = "".join(q for q in quals if q not in _PREFIX_QUALIFIERS)
    return f"{outcome['label']}: {before}{outcome['value']}{outcome['unit']}{after}".rstrip(": ")


def _org_sections(
    net: nx.MultiDiGraph, node: str, linked: list[tuple[str, list[str]]]
) -> list[dict[str, Any]]:
    data = net.nodes[node]
    sections: list[dict[str, Any]] = []
    facts = []
    if data.get("legal_form"):
        facts.append(_item(data["legal_form"], key="legal_form"))
    facts += [_item(a, key="alias") for a in data.get("aliases", [])]
    url = data.get("website", "")
    if url:
        # only plain web addresses become links: a javascript: URL stays text
        facts.append(_item(url, href=url if _SAFE_URL.fullmatch(url) else "", key="website"))
    sections.append({"h": "about", "items": facts})
    for initiative in data.get("initiatives", []):
        items = [_item(initiative["title"], key="initiative")]
        if initiative.get("region"):
            items.append(_item(initiative["region"], key="region"))
        source = initiative.get("source")
        if source:
            lines = f"{source.get('line_start')}–{source.get('line_end')}"
            items.append(_item(f"{source['file']}: {lines}", key="source"))
        sections.append({"h": "initiative", "items": items})
        outcomes = [_item(_outcome_text(o)) for o in initiative.get("outcomes", [])]
        if outcomes:
            sections.append({"h": "outcomes", "items": outcomes})
    places = [
        _node_item(net, v, key=k) for v, k, _ in _neighbours(net, node, {"runs_in", "based_in"})
    ]
    sections.append({"h": "region", "items": places})
    for h, rels in (
        ("targets", ("targets_primary", "targets_secondary")),
        ("activities", ("activity_primary", "activity_secondary")),
    ):
        rows = sorted(
            _neighbours(net, node, set(rels)), key=lambda r: (r[1], _table_rank(net, r[0]))
        )
        sections.append(
            {
                "h": h,
                "items": [
                    _node_item(net, v, mark="★" if k.endswith("primary") else "☆")
                    for v, k, _ in rows
                ],
            }
        )
    partners = _neighbours(net, node, {"partner_of"})
    sections.append(
        {
            "h": "partners",
            "items": [
                _node_item(
                    net, v, note="・".join(d["roles"]), mark="◎" if net.nodes[v]["shared"] else ""
                )
                for v, _, d in partners
            ],
        }
    )
    sections.append(
        {
            "h": "linked",
            "items": _capped(
                linked,
                lambda row: _node_item(
                    net, row[0], note="、".join(net.nodes[n]["label"] for n in row[1])
                ),
            ),
        }
    )
    return sections


def _other_sections(net: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    data = net.nodes[node]
    kind = data["kind"]
    facts = []
    if data.get("category"):
        facts.append(_item(data["category"], en=data.get("category_en", ""), key="category"))
    if data.get("lg_code"):
        facts.append(_item(data["lg_code"], key="lg_code"))
    facts += [_item(a, key="alias") for a in data.get("aliases", [])]
    facts.append(_item(f"{data['degree']}", key="degree"))
    facts.append(_item(f"{data['betweenness']:.3f}", key="betweenness"))
    sections: list[dict[str, Any]] = [{"h": "about", "items": facts}]
    parents = _neighbours(net, node, {"located_in", "part_of"})
    if parents:
        sections.append({"h": "located", "items": [_node_item(net, v) for v, _, _ in parents]})
    if kind in VOCAB_KINDS:
        rows = _neighbours(net, node, set(RELATIONS) - {"partner_of"}, incoming=True)
        sections.append(
            {
                "h": "organisations",
                "items": _capped(
                    rows,
                    lambda row: _node_item(
                        net, row[0], mark="★" if row[1].endswith("primary") else "☆"
                    ),
                ),
            }
        )
        return sections
    partnered = _neighbours(net, node, {"partner_of"}, incoming=True)
    if partnered:
        sections.append(
            {
                "h": "partnered_by",
                "items": _capped(
                    partnered, lambda row: _node_item(net, row[0], note="・".join(row[2]["roles"]))
                ),
            }
        )
    active = _neighbours(net, node, {"runs_in", "based_in"}, incoming=True)
    if active:
        sections.append(
            {
                "h": "active_here",
                "items": _capped(active, lambda row: _node_item(net, row[0], key=row[1])),
            }
        )
    children = _neighbours(net, node, {"located_in", "part_of"}, incoming=True)
    if children:
        sections.append(
            {"h": "contains", "items": _capped(children, lambda row: _node_item(net, row[0]))}
        )
    return sections


def _tooltip(data: dict[str, Any]) -> str:
    lines = [data["label"], _KIND_JA[data["kind"]]]
    if data.get("n_orgs"):
        lines.append(f"連携団体数 {data['n_orgs']}")
    return "\n".join(lines)


def _build_pyvis(net: nx.MultiDiGraph, positions: dict[str, tuple[int, int]]) -> Network:
    """vis-network data for the shown network; sizes and labels from the full one."""
    pv = Network(directed=True)
    label_all = net.number_of_nodes() <= LABEL_ALL_LIMIT
    # a large view labels only its best-linked nodes (and every place and vocabulary node):
    # thousands of labels are a grey smear, and the search finds the rest
    linked = (n for n, d in net.nodes(data=True) if d["kind"] in ("organisation", "partner"))
    top = set(sorted(linked, key=lambda n: (-net.nodes[n]["degree"], n))[:LABEL_TOP])
    for node, data in net.nodes(data=True):
        style = KIND_STYLE[data["kind"]]
        shared = bool(data.get("shared"))
        size = style["size"] + (4 * min(data.get("n_orgs", 0), 10) if shared else 0)
        labelled = (label_all or node in top or data["kind"] not in ("organisation", "partner"))
        color = SHARED_COLOR if shared and data["kind"] == "partner" else style["color"]
        font: dict[str, Any] = {"size": _FONT_SIZE[data["kind"]]}
        if shared:
            font = {"size": 18, "color": "#7A2E00"}
        elif data["kind"] == "partner":
            font = {"size": 11, "color": "#555555"}
        x, y = positions[node]
        pv.add_node(
            node,
            label=_short(data["label"]) if labelled else "",
            shape=style["shape"],
            color={
                "background": color,
                "border": "#333333" if shared else color,
                "highlight": {"background": color, "border": "#000000"},
            },
            size=size,
            x=x,
            y=y,
            font=font,
            title=_tooltip(data),
            kind=data["kind"],
            shared=shared,
            name=data["label"],
            name_en=data.get("label_en", ""),
            label_en=_short(data.get("label_en") or data["label"], 26) if labelled else "",
            labelled=labelled,
            degree=data.get("degree", 0),
            betweenness=data.get("betweenness", 0.0),
            n_orgs=data.get("n_orgs", 0),
            community=data.get("community", -1),
        )
    for i, (u, v, relation, data) in enumerate(
        sorted(net.edges(keys=True, data=True), key=lambda e: e[:3])
    ):
        # colour, dashes and the tooltip are added in the page from ``relations`` and the
        # node names: repeated on every edge they tripled the file at 2,000 nodes
        pv.add_edge(u, v, id=f"e{i}", relation=relation, roles=list(data.get("roles", [])))
    pv.options = _VIS_OPTIONS
    return pv


def _payload(
    full: nx.MultiDiGraph, shown: nx.MultiDiGraph, info: Aggregation | None, seed: int
) -> dict[str, Any]:
    positions = layout_network(shown, seed=seed)
    pv = _build_pyvis(shown, positions)
    nodes, edges, _heading, _height, _width, options = pv.get_network_data()
    for node in nodes:
        # pyvis writes the node id where the label is empty: an unlabelled node stays unlabelled
        if node["label"] == node["id"] and not node.get("labelled"):
            node["label"] = ""
        node.pop("labelled", None)
    contacts = organisation_contacts(full)
    links = organisation_links(
        full, [n for n, d in shown.nodes(data=True) if d["kind"] == "organisation"], contacts
    )
    details = {
        node: (
            _org_sections(full, node, links.get(node, []))
            if full.nodes[node]["kind"] == "organisation"
            else _other_sections(full, node)
        )
        for node in shown
    }
    # places folded away in an aggregated view can be searched and unfolded: they need details
    details.update({
        node: _other_sections(full, node)
        for node, kind in full.nodes(data="kind")
        if kind in ("municipality", "prefecture") and node not in details
    })

    between_nodes = full.graph.get("betweenness_nodes", 0)
    pivots = full.graph.get("betweenness_pivots", between_nodes)

    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "details": details,
        "facts": page_facts(full, contacts),
        "kinds": [{"kind": k, **KIND_STYLE[k]} for k in KINDS],
        "shared_color": SHARED_COLOR,
        "relations": [{"relation": r, **RELATION_STYLE[r]} for r in RELATIONS],
        "aggregation": None
        if info is None
        else {
            "full_nodes": info.full_nodes,
            "full_edges": info.full_edges,
            "shown_nodes": info.shown_nodes,
            "shown_edges": info.shown_edges,
            "steps": list(info.steps),
        },
        "counts": {"nodes": shown.number_of_nodes(), "edges": shown.number_of_edges()},
        # an estimate says so next to every betweenness figure
        "betweenness": None if pivots >= between_nodes else {"k": pivots, "n": between_nodes},
    }


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: sorted, and ``<``, ``>``, ``&`` escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # U+2028/2029 are escaped too: harmless in JSON, but not in every JS parser
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    # json escapes C0 controls already; this takes the noncharacters XML and HTML forbid
    return xml_safe(text)


@cache
def _asset(name: str) -> str:
    return (templates_dir() / name).read_text(encoding="utf-8")


@cache
def vis_network_js() -> str:
    """vis-network's bundled JS from the installed pyvis, made safe to inline."""
    text = resources.files("pyvis").joinpath(VIS_NETWORK_JS).read_text(encoding="utf-8")
    # a source-map comment would make devtools ask for a file that is not there
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.M)
    if re.search(r"</script|<!--", text, re.I):
        raise ValueError(f"{VIS_NETWORK_JS} cannot be inlined safely")
    return text


def render_html(
    net: nx.MultiDiGraph,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "つながりネットワーク — tsunagari-graph",
    seed: int = 7,
) -> str:
    """The whole page for a network from ``build_network``; same network → same bytes."""
    with gc_paused():
        return _render(net, max_nodes=max_nodes, title=title, seed=seed)


def _render(net: nx.MultiDiGraph, *, max_nodes: int, title: str, seed: int) -> str:
    shown, info = aggregate_network(net, max_nodes)
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    template = env.from_string(_asset("network.html"))
    return template.render(
        title=xml_safe(title),
        css=_asset("network.css"),
        vis_js=vis_network_js(),
        app_js=_asset("network.js"),
        data=script_json(_payload(net, shown, info, seed)),
    )
