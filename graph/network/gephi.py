"""What Gephi needs beyond the network's own attributes: positions, partition columns, colours.

Both exports (GraphML and GEXF) take their node attributes from here, so they say the same:
``x``/``y`` from ``layout_network`` (seeded), ``prefecture`` (the prefectures an organisation
works or is based in, or a place or partner lies in), ``targets`` (★ target groups, then ☆),
``category`` (a partner's kind), ``community`` (Louvain) and a ``label`` that tells the generic
partners apart (商店主 of two organisations are two bodies with one name).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graph.network.layout import layout_network
from graph.network.xmltext import xml_safe

# the view's colours by kind (Okabe–Ito), for GEXF's viz:color
KIND_RGB: dict[str, tuple[int, int, int]] = {
    "organisation": (0, 114, 178), "partner": (230, 159, 0), "municipality": (0, 158, 115),
    "prefecture": (0, 96, 74), "target": (204, 121, 167), "activity": (140, 109, 49),
}
SHARED_RGB = (213, 94, 0)


def _prefectures(net: nx.MultiDiGraph, node: str) -> list[str]:
    kind = net.nodes[node]["kind"]
    if kind == "prefecture":
        return [node]
    found: set[str] = set()
    frontier = [node]
    seen = {node}
    # up to two steps along places: organisation → town → prefecture, ward → city → prefecture
    for _ in range(3):
        nxt = []
        for u in frontier:
            for _, v, rel in net.out_edges(u, keys=True):
                if v in seen or rel not in ("runs_in", "based_in", "located_in", "part_of"):
                    continue
                seen.add(v)
                if net.nodes[v]["kind"] == "prefecture":
                    found.add(v)
                elif net.nodes[v]["kind"] in ("municipality", "partner"):
                    nxt.append(v)
        frontier = nxt
    return sorted(found, key=lambda p: net.nodes[p]["label"])


def gephi_attributes(net: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, dict[str, Any]]:
    """Node → the extra attributes both Gephi exports carry."""
    positions = layout_network(net, seed=seed)
    extra: dict[str, dict[str, Any]] = {}
    for node, data in net.nodes(data=True):
        x, y = positions[node]
        attrs: dict[str, Any] = {
            "x": float(x), "y": float(-y),  # Gephi's y grows upwards, the page's downwards
            "prefecture": "|".join(net.nodes[p]["label"] for p in _prefectures(net, node)),
        }
        if data["kind"] == "organisation":
            primary, secondary = [], []
            for _, v, rel in sorted(net.out_edges(node, keys=True)):
                if rel == "targets_primary":
                    primary.append("★" + net.nodes[v]["label"])
                elif rel == "targets_secondary":
                    secondary.append("☆" + net.nodes[v]["label"])
            attrs["targets"] = "|".join(primary + secondary)
        if data.get("generic"):
            orgs = sorted({net.nodes[u]["label"] for u, _, k in net.in_edges(node, keys=True)
                           if k == "partner_of"})
            if orgs:
                attrs["label"] = f"{data['label']}（{'、'.join(orgs)}）"
        extra[node] = attrs
    return extra


def export_gexf(net: nx.MultiDiGraph, *, seed: int = 7) -> bytes:
    """The network as GEXF 1.2 (networkx's GEXF writer) with viz colour, size and position.

    The same network gives the same bytes: networkx stamps today's date into the header,
    which is replaced by a fixed one.
    """
    extra = gephi_attributes(net, seed=seed)
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
    # networkx's write_gexf, serialised to a str: ElementTree writing into a byte stream
    # encodes each of its ~1.5 million pieces separately (a sixth of the time at 10,000 nodes)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(out)
    writer.indent(writer.xml)
    text = "<?xml version='1.0' encoding='utf-8'?>\n" + ET.tostring(writer.xml, encoding="unicode")
    head, sep, rest = text.partition('lastmodifieddate="')
    if sep:
        rest = "2000-01-01" + rest[rest.index('"'):]
        text = head + sep + rest
    return xml_safe(text).encode("utf-8")
