"""SHACL validation of the knowledge graph against ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.namespaces import PREFIXES, RDF, SH, new_graph
from graph.paths import SHAPES_FILE
from graph.rdf import KnowledgeGraph


class ValidationError(Exception):
    """The graph does not conform to the shapes; ``str()`` lists every violation."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.text())
        self.report = report


class DataFileError(Exception):
    """A data file is missing or cannot be parsed as RDF."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words."""

    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}{value}: {self.message}"


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
    graph.parse(SHAPES_FILE, format="turtle")
    return graph


def _short(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        iri = str(node)
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and iri != ns:
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(node, Literal):
        return node.n3()
    return "(path expression)"  # blank node: an inverse or sequence path in the shapes


def _report(results: Graph, triples: int, conforms: bool) -> ValidationReport:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    found: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        found.append(Violation(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=_short(results.value(result, SH.focusNode)) or "?",
            path=_short(results.value(result, SH.resultPath)),
            value=_short(results.value(result, SH.value)),
            message=str(message) if message else "constraint not met",
        ))
    found.sort(key=lambda v: (order.get(v.severity, 3), v.focus, v.path or "", v.message))
    return ValidationReport(conforms, tuple(found), triples)


def validate_graph(graph: KnowledgeGraph | Graph) -> ValidationReport:
    """Validate a built graph (or any rdflib graph; named graphs are merged) against the shapes."""
    data = graph.to_rdflib_graph() if isinstance(graph, KnowledgeGraph) else graph
    conforms, results, _text = shacl_validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True,
    )
    assert isinstance(results, Graph)
    return _report(results, len(data), bool(conforms))


def check_graph(graph: KnowledgeGraph | Graph) -> ValidationReport:
    """Validate and raise :class:`ValidationError` on any violation (used by the build)."""
    report = validate_graph(graph)
    if not report.conforms:
        raise ValidationError(report)
    return report


def load_file(path: Path) -> Graph:
    """Read an RDF file (format from its suffix) into one rdflib graph, named graphs merged."""
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise DataFileError(
            f"{path}: unknown RDF format {path.suffix!r} (use .ttl, .trig, .nt, .nq)")
    try:
        # pyoxigraph parses strictly and fast; its N-Triples of the merged graphs feed rdflib.
        triples = (ox.Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(path=path, format=fmt))
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError) as err:
        raise DataFileError(f"{path}: not valid {fmt.name}: {err}") from err
    graph = new_graph()
    graph.parse(data=data or b"", format="nt")
    return graph


def validate_file(path: Path) -> ValidationReport:
    """Validate any RDF file against the shapes (``tsunagari validate FILE``)."""
    return validate_graph(load_file(path))
