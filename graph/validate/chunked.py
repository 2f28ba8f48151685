"""The compiled SHACL checks run on a built graph piece by piece, in bounded memory.

One in-memory Oxigraph store of a whole national corpus costs ~480 MB per million quads. The
checks of ``ontology/shapes.ttl`` only ever read, for a focus node ``f``: the quads with
subject ``f`` (its types, its values along a forward path, its labels), the quads ``x p f`` of
an inverse path ``^p``, and the ``rdf:type`` quads of the values of a path whose constraints
use ``sh:class``. So the graph is cut into *units* (each case's named graph; each subject's
lines of the default graph), units sharing an *anchor* (a subject, or the object of an
inverse-path predicate) are joined (union-find), and whole groups are packed into chunks of
about ``max_quads`` quads. A chunk's store then holds every quad its own focus nodes' checks
read, except the types of values anchored in another chunk: those few type quads are copied
in. Each chunk's results are kept only for the focus nodes it owns (its anchors), so the
union of the chunks' results is exactly the whole-graph report (``tests/validate`` compare
chunked, whole-store and pyshacl reports on planted violations, some across chunks).

The plan needs shapes whose targets are all ``sh:targetClass`` and whose paths are a predicate
or an inverse predicate; :func:`chunk_rules` returns None otherwise and the caller validates
one whole store.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph.rdf.build import KnowledgeGraph, chunk_reader
from graph.rdf.namespaces import RDF, RDFS, SH

# Peak memory added by validation at 10,000 cases: ~140 MB per chunk store (50,000 quads:
# 70 MB, 200,000: 250 MB), ~155 MB with the next chunk prefetched, for the same CPU time
# within noise; one store of the whole 10,000-case graph adds 650 MB (30,000: 1,333 MB).
CHUNK_QUADS = 100_000
_TYPE = f"<{RDF.type}>".encode()
_SUBCLASS = f"<{RDFS.subClassOf}>".encode()
_TARGETS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class ChunkRules:
    """What the shapes read beyond a focus node's own quads (predicates as ``<iri>`` bytes)."""

    inverse: frozenset[bytes]  # p of every ^p path: its objects are focus nodes too
    class_forward: frozenset[bytes]  # p of a path whose constraints use sh:class
    class_inverse: frozenset[bytes]  # the same for ^p paths


def _uses_class(shapes: Graph, node: Node, seen: set[Node]) -> bool:
    """Whether sh:class occurs in the constraints of ``node`` or of any blank node (sh:or
    lists, sh:not, sh:qualifiedValueShape …) reachable from it; sh:node shapes are followed."""
    if node in seen:
        return False
    seen.add(node)
    for pred, obj in shapes.predicate_objects(node):  # type: ignore[arg-type]
        if pred == SH["class"]:
            return True
        if pred == SH.path:
            continue
        if (isinstance(obj, BNode) or pred == SH.node) and _uses_class(shapes, obj, seen):
            return True
    return False


def chunk_rules(shapes: Graph) -> ChunkRules | None:
    """The predicates that reach beyond a focus node, or None if the shapes use a target or a
    path the chunked plan does not cover (then validate one whole store)."""
    targeted = {s for s in shapes.subjects(SH.targetClass, None)}
    if any(True for p in _TARGETS for _ in shapes.subjects(p, None)):
        return None
    inverse: set[bytes] = set()
    forward_cls: set[bytes] = set()
    inverse_cls: set[bytes] = set()
    for shape in targeted:
        parts = [shape, *shapes.objects(shape, SH.property)]  # type: ignore[arg-type]
        for part in parts:
            path = shapes.value(part, SH.path)  # type: ignore[arg-type]
            if path is None:
                continue  # node-level: reads only the focus node's own types
            uses_class = _uses_class(shapes, part, set())
            if isinstance(path, URIRef):
                if uses_class:
                    forward_cls.add(f"<{path}>".encode())
                continue
            inner = shapes.value(path, SH.inversePath)
            if (isinstance(path, BNode) and isinstance(inner, URIRef)
                    and len(set(shapes.predicate_objects(path))) == 1):
                inverse.add(f"<{inner}>".encode())
                if uses_class:
                    inverse_cls.add(f"<{inner}>".encode())
                continue
            return None  # a sequence, alternative or closure path reaches further
    return ChunkRules(frozenset(inverse), frozenset(forward_cls), frozenset(inverse_cls))


class _Plan:
    """Units of the graph, joined by shared anchors and packed into chunks."""

    def __init__(self, kg: KnowledgeGraph, rules: ChunkRules, max_quads: int) -> None:
        self.kg = kg
        self.rules = rules
        # A unit is (graph index, start, end): -1 for a slice of the default graph.
        self.units: list[tuple[int, int, int]] = []
        self.lines: list[int] = []
        self.parent: list[int] = []
        # hash(anchor bytes) → a unit anchoring it. A hash collision only joins two units
        # that need not be joined: chunks get larger, results stay exact.
        self.owner: dict[int, int] = {}
        self.subclass_lines: list[bytes] = []
        default = kg.default
        start, subject, count = 0, b"", 0
        pos = 0
        while pos < len(default):  # one unit per subject of the default graph
            end = default.find(b"\n", pos)
            end = len(default) if end < 0 else end
            s = default[pos:default.find(b" ", pos, end)]
            if s != subject and count:
                self._add_unit(-1, start, pos, count)
                start, count = pos, 0
            subject = s
            count += 1
            pos = end + 1
        if count:
            self._add_unit(-1, start, len(default), count)
        for index, (_name, data) in enumerate(kg.graphs):
            self._add_unit(index, 0, len(data), data.count(b"\n"))
        self._pack(max_quads)

    def data(self, unit: int) -> bytes:
        index, start, end = self.units[unit]
        if index < 0:
            return self.kg.default[start:end]
        return self.kg.graphs[index][1]

    def find(self, unit: int) -> int:
        parent = self.parent
        root = unit
        while parent[root] != root:
            root = parent[root]
        while parent[unit] != root:  # path compression
            parent[unit], unit = root, parent[unit]
        return root

    def _add_unit(self, index: int, start: int, end: int, count: int) -> None:
        unit = len(self.units)
        self.units.append((index, start, end))
        self.lines.append(count)
        self.parent.append(unit)
        data = self.data(unit)
        for anchor in self._anchors(data):
            key = hash(anchor)
            other = self.owner.setdefault(key, unit)
            if other != unit:
                a, b = self.find(other), self.find(unit)
                if a != b:
                    self.parent[max(a, b)] = min(a, b)

    def _anchors(self, data: bytes) -> set[bytes]:
        """Subjects of the unit's lines and objects of its inverse-path predicates."""
        # The one pass over every line (splitting is cheaper than finding line by line).
        anchors = {line[:line.find(b" ")] for line in data.split(b"\n") if line}
        for pred in (*sorted(self.rules.inverse), _SUBCLASS):
            for subject, obj in _statements(data, pred):
                if pred == _SUBCLASS:
                    self.subclass_lines.append(b" ".join((subject, pred, obj, b".")))
                if pred in self.rules.inverse and not obj.startswith(b'"'):
                    anchors.add(obj)
        return anchors

    def _pack(self, max_quads: int) -> None:
        """Whole groups of joined units into chunks of about ``max_quads`` lines, in order."""
        size: dict[int, int] = {}
        units: dict[int, int] = {}
        for unit, count in enumerate(self.lines):
            root = self.find(unit)
            size[root] = size.get(root, 0) + count
            units[root] = units.get(root, 0) + 1
        self.chunk_of: dict[int, int] = {}
        self.chunks: list[list[int]] = []
        # The units of each group of more than one (a lone unit is its own root).
        self.members: dict[int, list[int]] = {}
        filled = 0
        for unit in range(len(self.units)):
            root = self.find(unit)
            if units[root] > 1:
                self.members.setdefault(root, []).append(unit)
            chunk = self.chunk_of.get(root)
            if chunk is None:
                if not self.chunks or (filled and filled + size[root] > max_quads):
                    self.chunks.append([])
                    filled = 0
                chunk = self.chunk_of[root] = len(self.chunks) - 1
                filled += size[root]
            self.chunks[chunk].append(unit)

    def chunk_of_term(self, term: bytes) -> int | None:
        """The chunk owning a node (N-Triples form), or None if it is no anchor at all."""
        unit = self.owner.get(hash(term))
        return None if unit is None else self.chunk_of[self.find(unit)]

    def type_lines(self, root: int, nodes: set[bytes]) -> list[bytes]:
        """The rdf:type lines with these subjects in the units of one group."""
        found: list[bytes] = []
        for unit in self.members.get(root, [root]):
            data = self.data(unit)
            for node in nodes:
                prefix = node + b" " + _TYPE + b" "
                starts = [0] if data.startswith(prefix) else []
                pos = data.find(b"\n" + prefix)
                while pos >= 0:
                    starts.append(pos + 1)
                    pos = data.find(b"\n" + prefix, pos + 1)
                for start in starts:
                    end = data.find(b"\n", start)
                    found.append(data[start:len(data) if end < 0 else end])
        return found


def _statements(data: bytes, pred: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(subject, object) of each line of ``data`` with predicate ``pred``; an object that is a
    literal is returned up to its first space (enough to tell it is one)."""
    needle = b" " + pred + b" "
    pos = data.find(needle)
    while pos >= 0:
        start = data.rfind(b"\n", 0, pos) + 1
        # Only where it is the line's predicate, not inside a literal of another line.
        if data.find(b" ", start) == pos:
            first = pos + len(needle)
            cut = data.find(b" ", first)
            yield data[start:pos], data[first:cut if cut >= 0 else len(data)]
        pos = data.find(needle, pos + 1)


@dataclass
class Chunk:
    """One chunk's store and the test of which focus nodes it reports."""

    store: ox.Store
    index: int
    plan: _Plan
    triples: int | None  # distinct triples of its own lines, if counted

    def owns(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> bool:
        chunk = self.plan.chunk_of_term(str(term).encode())
        if chunk is None:  # every focus node has a type quad, so it is some unit's subject
            raise RuntimeError(f"focus node {term} is in no chunk")
        return chunk == self.index


def subclass_store(plan: _Plan) -> ox.Store:
    """A store of the graph's rdfs:subClassOf statements (for the compiler's class lists)."""
    store = ox.Store()
    if plan.subclass_lines:
        store.bulk_load(b"\n".join(plan.subclass_lines) + b"\n", format=ox.RdfFormat.N_TRIPLES)
    return store


def _refs_query(rules: ChunkRules) -> str | None:
    parts = []
    if rules.class_forward:
        values = " ".join(p.decode() for p in sorted(rules.class_forward))
        parts.append(f"{{ VALUES ?_p {{ {values} }} ?_s ?_p ?v FILTER(!isLiteral(?v)) }}")
    if rules.class_inverse:
        values = " ".join(p.decode() for p in sorted(rules.class_inverse))
        parts.append(f"{{ VALUES ?_p {{ {values} }} ?v ?_p ?_o }}")
    if not parts:
        return None
    # A value that is the subject of a quad here is anchored in this chunk: all its quads are.
    return (f"SELECT DISTINCT ?v WHERE {{ {' UNION '.join(parts)} "
            "FILTER NOT EXISTS { ?v ?_p2 ?_o2 } }")


_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def _load(store: ox.Store, pieces: Iterator[bytes]) -> None:
    """Bulk-load line-aligned pieces as one N-Quads stream (a piece may lack its last "\n")."""
    lines = (p if not p or p.endswith(b"\n") else p + b"\n" for p in pieces)
    store.bulk_load(chunk_reader(lines), format=ox.RdfFormat.N_QUADS)


def plan_chunks(kg: KnowledgeGraph, rules: ChunkRules, max_quads: int = CHUNK_QUADS) -> _Plan:
    """Cut the graph into chunks (see the module docstring)."""
    return _Plan(kg, rules, max_quads)


def iter_chunks(plan: _Plan, count_triples: bool = False, prefetch: bool = True
                ) -> Iterator[Chunk]:
    """Each chunk's store in turn. With ``prefetch`` the next chunk is loaded in a thread
    while the caller checks the current one (Oxigraph loads without the GIL), so at most two
    chunk stores are alive at once."""
    if not prefetch:
        for index in range(len(plan.chunks)):
            yield _make_chunk(plan, index, count_triples)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = pool.submit(_make_chunk, plan, 0, count_triples) if plan.chunks else None
        for index in range(len(plan.chunks)):
            assert ahead is not None
            chunk = ahead.result()
            ahead = (pool.submit(_make_chunk, plan, index + 1, count_triples)
                     if index + 1 < len(plan.chunks) else None)
            yield chunk
            del chunk


def _make_chunk(plan: _Plan, index: int, count_triples: bool) -> Chunk:
    """Load one chunk's units, count its triples if asked, copy in its foreign value types."""
    refs = _refs_query(plan.rules)
    store = ox.Store()
    _load(store, (plan.data(unit) for unit in plan.chunks[index]))
    triples = None
    if count_triples:
        solutions = store.query(_COUNT, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        count = next(iter(solutions))["n"]
        assert isinstance(count, ox.Literal)
        triples = int(count.value)
    if refs is not None:
        # Values of class-checked paths whose own quads live in another chunk: copy their
        # types in (their other quads and results stay with their own chunk).
        wanted: dict[int, set[bytes]] = {}
        solutions = store.query(refs, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            node = str(row["v"]).encode()
            unit = plan.owner.get(hash(node))
            if unit is None:
                continue  # the subject of no quad: it has no type anywhere
            root = plan.find(unit)
            if plan.chunk_of[root] != index:
                wanted.setdefault(root, set()).add(node)
        extra = [line for root in sorted(wanted) for line in plan.type_lines(root, wanted[root])]
        if extra:
            _load(store, iter([b"\n".join(extra) + b"\n"]))
    return Chunk(store, index, plan, triples)
