"""Seeded node positions for the network view."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

from graph.network.index import VOCAB_KINDS
from graph.network.shared import organisations_of

# Layout: up to SPRING_MAX core nodes go through networkx's energy layout (the embedded
# casebook's ~90 do); its run time varies from 0.1 to 1 s at a few hundred nodes, so larger
# cores use our own force layout, on the SPRING_SKELETON best-linked nodes, the rest placed.
SPRING_MAX = 150
SPRING_SKELETON = 300
GRAVITY = 0.05


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

