"""SHACL validation of the knowledge graph against ``ontology/shapes.ttl``.

Two validators give the same :class:`ValidationReport`: pyshacl, the reference, and the shapes
compiled to SPARQL and run on Oxigraph (``graph.validate.compiler``). pyshacl costs about 10 s per
100k triples, so by default (``method="auto"``) graphs up to :data:`PYSHACL_MAX_TRIPLES`
triples — the embedded casebook and small corpora — go through pyshacl and larger ones
through the compiled validator; the tests check both agree on planted violations. A large
built graph is checked chunk by chunk, one small store at a time, with the same report
(``graph.validate.chunked``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal as Choice

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.term import Node

from graph.errors import TsunagariError
from graph.rdf.build import KnowledgeGraph, rdflib_term
from graph.rdf.io import iter_quads, load_store
from graph.rdf.namespaces import RDFS, SH, new_graph
from graph.resources import shapes_file
from graph.validate.chunked import (
    CHUNK_QUADS,
    chunk_rules,
    iter_chunks,
    plan_chunks,
    subclass_store,
)
from graph.validate.compiler import (
    Result,
    UnsupportedShapeError,
    compile_shapes,
    path_text,
    run_checks,
    short,
    subclasses,
    validate_store,
)

Method = Choice["auto", "pyshacl", "sparql"]
METHODS: tuple[Method, ...] = ("auto", "pyshacl", "sparql")
# Above this many statements "auto" uses the compiled validator: pyshacl takes ~1 s per 10k
# triples, so this keeps it under ~10 s while the embedded casebook (~2.3k) stays on pyshacl.
PYSHACL_MAX_TRIPLES = 100_000


class ValidationError(TsunagariError):
    """The graph does not conform to the shapes; ``str()`` lists every violation."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.text())
        self.report = report


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words."""

    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    value: str | None
    message: str
    component: str | None = None  # e.g. sh:MinCountConstraintComponent
    label: str | None = None  # the focus node's rdfs:label, to find it without the IRI

    def __str__(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        value = f" (value {self.value})" if self.value is not None else ""
        notes = [n for n in (self.component, self.label and f"「{self.label}」") if n]
        extra = f" [{'; '.join(notes)}]" if notes else ""
        return f"{self.severity}: {where}{value}: {self.message}{extra}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def text(self) -> str:
        """A readable summary: one line per result, worst first."""
        if self.conforms:
            return f"conforms to the SHACL shapes ({self.triples} triples)"
        lines = [f"{len(self.violations)} SHACL result(s) in {self.triples} triples:"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines)


@cache
def _shapes() -> Graph:
    graph = Graph()
    graph.parse(shapes_file(), format="turtle")
    return graph


def _short(node: Node | None) -> str | None:
    return None if node is None else short(node)  # a blank node reads "[]"


def _path(node: Node | None, results: Graph) -> str | None:
    """A result path as SPARQL path syntax (``^ts:runs``), as the compiled checks name it."""
    if not isinstance(node, BNode):
        return _short(node)
    try:
        return path_text(results, node)
    except UnsupportedShapeError:
        return "(path expression)"


_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def _sorted(found: set[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(found, key=lambda v: (
        _ORDER.get(v.severity, 3), v.focus, v.path or "", v.message, v.component or "",
        v.value or "")))


def _label(labels: list[tuple[str, str]]) -> str | None:
    """The Japanese label if there is one, else any: (language, text) pairs."""
    found = sorted(labels, key=lambda lv: (lv[0] != "ja", lv))
    return found[0][1] if found else None


def _report(results: Graph, data: Graph, triples: int, conforms: bool) -> ValidationReport:
    found: set[Violation] = set()
    # sh:result, not every sh:ValidationResult: nested sh:detail results explain a parent.
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        focus = results.value(result, SH.focusNode)
        labels = [(o.language or "", str(o)) for o in data.objects(focus, RDFS.label)
                  if isinstance(o, Literal)] if focus is not None else []
        found.add(Violation(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=_short(focus) or "?",
            path=_path(results.value(result, SH.resultPath), results),
            value=_short(results.value(result, SH.value)),
            message=str(message) if message else "constraint not met",
            component=_short(results.value(result, SH.sourceConstraintComponent)),
            label=_label(labels),
        ))
    return ValidationReport(conforms, _sorted(found), triples)


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    return rdflib_term(term)


def _focus_labels(store: ox.Store, focus: set[ox.NamedNode | ox.BlankNode | ox.Literal]
                  ) -> dict[str, list[tuple[str, str]]]:
    nodes = " ".join(str(f) for f in focus if isinstance(f, ox.NamedNode))
    labels: dict[str, list[tuple[str, str]]] = {}
    if not nodes:
        return labels
    query = f"SELECT DISTINCT ?s ?l WHERE {{ VALUES ?s {{ {nodes} }} ?s <{RDFS.label}> ?l }}"
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        label = row["l"]
        if isinstance(label, ox.Literal):
            key = _short(_to_rdflib(row["s"])) or ""  # type: ignore[arg-type]
            labels.setdefault(key, []).append((label.language or "", label.value))
    return labels


def _violations(store: ox.Store, results: list[Result]) -> set[Violation]:
    labels = _focus_labels(store, {r.focus for r in results})
    found = set()
    for r in results:
        focus = _short(_to_rdflib(r.focus)) or "?"
        found.add(Violation(
            severity=r.constraint.severity, focus=focus, path=r.constraint.path,
            value=_short(_to_rdflib(r.value)) if r.value is not None else None,
            message=r.constraint.message, component=r.constraint.component,
            label=_label(labels.get(focus, []))))
    return found


def _finish(found: set[Violation], triples: int) -> ValidationReport:
    conforms = not any(v.severity == "Violation" for v in found)
    return ValidationReport(conforms, _sorted(found), triples)


def _validate_store(store: ox.Store, triples: int,
                    timings: dict[str, float] | None = None) -> ValidationReport:
    """The compiled validator over a store (named graphs as one union graph)."""
    return _finish(_violations(store, validate_store(store, _shapes(), timings)), triples)


def _validate_chunked(graph: KnowledgeGraph, chunk_quads: int,
                      timings: dict[str, float] | None = None) -> ValidationReport | None:
    """The compiled validator chunk by chunk (``graph.validate.chunked``): the same report as
    :func:`_validate_store` on the whole graph, with one chunk's store in memory at a time.
    None if the shapes or the data need the whole store."""
    rules = chunk_rules(_shapes())
    if rules is None or any(b"_:" in chunk for chunk in graph.nquads_chunks()):
        return None  # blank node labels would not survive being loaded chunk by chunk
    plan = plan_chunks(graph, rules, chunk_quads)
    checks = compile_shapes(_shapes(), subclasses(subclass_store(plan)))
    # The triple count: the graph's own if known, else summed over the chunks (a triple's
    # subject puts all its copies in one chunk, so none is counted twice).
    known = graph.__dict__.get("triple_count")
    found: set[Violation] = set()
    triples = 0
    for chunk in iter_chunks(plan, count_triples=known is None):
        results = [r for r in run_checks(chunk.store, checks, timings=timings)
                   if chunk.owns(r.focus)]
        found |= _violations(chunk.store, results)
        triples += chunk.triples or 0
    return _finish(found, triples if known is None else known)


def _pyshacl(data: Graph) -> ValidationReport:
    conforms, results, _text = shacl_validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True,
    )
    assert isinstance(results, Graph)
    return _report(results, data, len(data), bool(conforms))


def _rdflib_store(graph: Graph) -> ox.Store:
    """An Oxigraph store holding an rdflib graph's statements (a Dataset's named graphs kept)."""
    store = ox.Store()
    if isinstance(graph, Dataset):
        store.bulk_load(graph.serialize(format="nquads", encoding="utf-8"),
                        format=ox.RdfFormat.N_QUADS)
    else:
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"),
                        format=ox.RdfFormat.N_TRIPLES)
    return store


def _use_pyshacl(method: Method, size: int) -> bool:
    if method not in METHODS:
        raise ValueError(f"unknown validation method {method!r}; use one of {METHODS}")
    return method == "pyshacl" or (method == "auto" and size <= PYSHACL_MAX_TRIPLES)


def validate_graph(graph: KnowledgeGraph | Graph, method: Method = "auto",
                   store_dir: Path | None = None,
                   chunk_quads: int | None = CHUNK_QUADS,
                   timings: dict[str, float] | None = None) -> ValidationReport:
    """Validate a built graph (or any rdflib graph; named graphs are merged) against the shapes.

    ``method``: ``"pyshacl"`` (reference), ``"sparql"`` (compiled, fast) or ``"auto"`` (pyshacl
    up to :data:`PYSHACL_MAX_TRIPLES` statements, compiled above). ``store_dir``: load a built
    graph into an on-disk Oxigraph store there (an empty directory; it stays, for queries)
    instead of one in memory. Otherwise a built graph of more than ``chunk_quads`` quads is
    checked chunk by chunk, one store of about that many quads at a time (the same report;
    ``None`` loads one store of the whole graph). ``timings``: filled with each compiled
    check's seconds (summed over chunks), to find the slow ones.
    """
    if isinstance(graph, KnowledgeGraph):
        # The quad count bounds the triple count and costs nothing to read.
        if store_dir is None and _use_pyshacl(method, len(graph.quads)):
            return _pyshacl(graph.to_rdflib_graph())
        if store_dir is None and chunk_quads and len(graph.quads) > chunk_quads:
            report = _validate_chunked(graph, chunk_quads, timings)
            if report is not None:
                return report
        store = graph.to_store(store_dir)
        try:
            # The triple count comes from the graph's own lines: cheaper than COUNT DISTINCT.
            return _validate_store(store, len(graph), timings)
        finally:
            if store_dir is not None:
                store.flush()
    if _use_pyshacl(method, len(graph)):
        return _pyshacl(graph)
    store = _rdflib_store(graph)
    return _validate_store(store, _triple_count(store), timings)


def _triple_count(store: ox.Store) -> int:
    """Distinct triples with the named graphs merged, as ``len()`` of the merged rdflib graph."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    count = next(iter(solutions))["n"]
    assert isinstance(count, ox.Literal)
    return int(count.value)


def check_graph(graph: KnowledgeGraph | Graph, method: Method = "auto") -> ValidationReport:
    """Validate and raise :class:`ValidationError` on any violation (used by the build)."""
    report = validate_graph(graph, method)
    if not report.conforms:
        raise ValidationError(report)
    return report


def load_file(path: Path) -> Graph:
    """Read an RDF file (format from its suffix) into one rdflib graph, named graphs merged."""
    # pyoxigraph parses strictly and fast; its N-Triples of the merged graphs feed rdflib.
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in iter_quads(path))
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = new_graph()
    graph.parse(data=data or b"", format="nt")
    return graph


def validate_file(path: Path, method: Method = "auto") -> ValidationReport:
    """Validate any RDF file against the shapes (``tsunagari validate FILE``)."""
    if method == "pyshacl":
        return _pyshacl(load_file(path))
    store = load_store(path)
    triples = _triple_count(store)
    if _use_pyshacl(method, triples):
        return _pyshacl(load_file(path))
    return _validate_store(store, triples)
