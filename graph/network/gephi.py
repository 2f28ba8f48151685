"""What Gephi needs beyond the network's own attributes: positions, partition columns, colours.

Both exports (GraphML and GEXF) take their node attributes from here, so they say the same:
``x``/``y`` from ``layout_network`` (seeded), ``prefecture`` (the prefectures an organisation
works or is based in, or a place or partner lies in), ``targets`` (★ target groups, then ☆),
``category`` (a partner's kind), ``community`` (Leiden) and a ``label`` that tells the generic
partners apart (商店主 of two organisations are two bodies with one name).
"""

from __future__ import annotations

import io
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from graph.network.layout import layout_network
from graph.network.xmltext import XmlStream, open_binary, xml_attr
from graph.parallel import gc_paused

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


# GEXF 1.2 as networkx's writer spells it (prettyprinted): Gephi reads either
_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">\n'
    '  <meta lastmodifieddate="2000-01-01">\n'
    "    <creator>tsunagari-graph</creator>\n"
    "  </meta>\n"
    '  <graph defaultedgetype="directed" mode="static" name="">\n'
)
# bool before int: a bool is an int too
_GEXF_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"), (int, "long"), (float, "double"), (str, "string"),
)
_EDGE_COLUMNS = ("relation", "roles", "networkx_key")
_FLOAT_WORDS = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}


def _gexf_type(value: Any) -> str:
    for cls, name in _GEXF_TYPES:
        if isinstance(value, cls):
            return name
    raise TypeError(f"no GEXF type for {type(value)}")


def _gexf_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return _FLOAT_WORDS.get(text, text) if isinstance(value, float) else text


def _node_columns(data: dict[str, Any], extra: dict[str, Any]) -> list[tuple[str, Any]]:
    """A node's GEXF attribute values in name order: scalars, lists of strings joined by
    ``|``, and the Gephi extras (position and label go elsewhere)."""
    attrs = {**{k: v for k, v in data.items() if isinstance(v, bool | int | float | str)},
             **{k: "|".join(v) for k, v in data.items()
                if isinstance(v, list) and all(isinstance(s, str) for s in v)},
             **extra}
    return sorted(attrs.items())


def export_gexf(net: nx.MultiDiGraph, *, seed: int = 7,
                extra: dict[str, dict[str, Any]] | None = None) -> bytes:
    """The network as GEXF 1.2 bytes (see :func:`write_gexf`)."""
    buffer = io.BytesIO()
    write_gexf(net, buffer, seed=seed, extra=extra)
    return buffer.getvalue()


def write_gexf(net: nx.MultiDiGraph, out: BinaryIO | Path, *, seed: int = 7,
               extra: dict[str, dict[str, Any]] | None = None) -> None:
    """Write the network as GEXF 1.2 with viz colour, size and position into ``out`` (a
    binary file or a path), element by element: never a tree or the whole document in memory.

    The markup is what networkx's ``write_gexf`` made (the same ids, attribute columns and
    prettyprinting; a test compares the two), with a fixed date and this project as creator,
    so the same network gives the same bytes. ``extra`` is :func:`gephi_attributes` when the
    caller has it already (the GraphML export reads the same).
    """
    with gc_paused(), open_binary(out) as fh:
        _write_gexf(net, XmlStream(fh), gephi_attributes(net, seed=seed) if extra is None
                    else extra)


def _write_gexf(net: nx.MultiDiGraph, xml: XmlStream, extra: dict[str, dict[str, Any]]) -> None:
    nodes = sorted(net.nodes)
    # The columns are declared before the nodes: one pass for their ids, in order of first
    # use (nodes first, then edges) as networkx numbers them.
    node_ids: dict[str, str] = {}
    node_types: dict[str, str] = {}
    node_data = net.nodes
    for node in nodes:
        for name, value in _node_columns(node_data[node], extra[node]):
            if name not in node_ids and name not in ("label", "x", "y"):
                node_ids[name] = str(len(node_ids))
                node_types[name] = _gexf_type(value)
    has_edges = net.number_of_edges() > 0
    edge_ids = {name: str(len(node_ids) + i) for i, name in enumerate(_EDGE_COLUMNS)} \
        if has_edges else {}
    xml.add(_GEXF_HEAD)
    # networkx puts the edge columns first
    for scope, ids, types in (("edge", edge_ids, dict.fromkeys(edge_ids, "string")),
                              ("node", node_ids, node_types)):
        if ids:
            xml.add(f'    <attributes mode="static" class="{scope}">\n')
            for name, attr_id in ids.items():
                xml.add(f'      <attribute id="{attr_id}" title="{xml_attr(name)}" '
                        f'type="{types[name]}" />\n')
            xml.add("    </attributes>\n")
    xml.add("    <nodes>\n" if nodes else "    <nodes />\n")
    for node in nodes:
        data = node_data[node]
        columns = _node_columns(data, extra[node])
        values = dict(columns)
        label = str(values.pop("label", node))
        x, y = values.pop("x"), values.pop("y")
        r, g, b = SHARED_RGB if data.get("shared") and data["kind"] == "partner" else \
            KIND_RGB[data["kind"]]
        size = float(6 + 2 * min(int(data.get("degree", 0)), 20))
        xml.add(f'      <node id="{xml_attr(str(node))}" label="{xml_attr(label)}">\n'
                f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
                f'        <viz:size value="{size}" />\n'
                f'        <viz:position x="{x}" y="{y}" z="0.0" />\n')
        if values:
            xml.add("        <attvalues>\n")
            for name, value in values.items():
                xml.add(f'          <attvalue for="{node_ids[name]}" '
                        f'value="{xml_attr(_gexf_text(value))}" />\n')
            xml.add("        </attvalues>\n")
        xml.add("      </node>\n")
    if nodes:
        xml.add("    </nodes>\n")
    if has_edges:
        rel, roles_id, key_id = (edge_ids[name] for name in _EDGE_COLUMNS)
        xml.add("    <edges>\n")
        edges = sorted(net.edges(keys=True, data="roles", default=[]), key=itemgetter(0, 1, 2))
        for number, (u, v, key, roles) in enumerate(edges):
            xml.add(
                f'      <edge source="{xml_attr(u)}" target="{xml_attr(v)}" id="{number}">\n'
                "        <attvalues>\n"
                f'          <attvalue for="{rel}" value="{xml_attr(key)}" />\n'
                f'          <attvalue for="{roles_id}" value="{xml_attr("|".join(roles))}" />\n'
                f'          <attvalue for="{key_id}" value="{xml_attr(f"{u}--{key}--{v}")}" />\n'
                "        </attvalues>\n"
                "      </edge>\n"
            )
        xml.add("    </edges>\n")
    else:
        xml.add("    <edges />\n")
    xml.add("  </graph>\n</gexf>\n")
    xml.flush()
