"""SHACL shapes compiled to SPARQL SELECT queries that find violations, run on pyoxigraph.

pyshacl walks the graph in Python, node by node: about 10 s per 100k triples, far too slow
for a national corpus. Here every constraint of ``ontology/shapes.ttl`` becomes one SPARQL
query that selects the focus nodes (and value nodes) breaking it, so the work runs in
Oxigraph's Rust engine. pyshacl stays the reference (``graph.validate.shacl``), and the tests plant
one violation per constraint component used in the shapes and check both agree.

The compiler covers the SHACL Core subset listed in :data:`COMPONENTS` and raises
:class:`UnsupportedShapeError` on any other predicate of a shape it meets, so a new kind of
constraint can never be skipped silently. Not covered: ``sh:closed``, ``sh:equals`` and the
other property-pair constraints, ``sh:sparql``, implicit class targets, ``sh:property``
inside property shapes or inside logical constraints (``sh:or`` members must be value-level
shapes), ``sh:qualifiedValueShapesDisjoint``, and SHACL-AF.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from graph.errors import TsunagariError
from graph.rdf.namespaces import OWL, PREFIXES, RDF, RDFS, SH, XSD


class UnsupportedShapeError(TsunagariError, ValueError):
    """The shapes use a SHACL feature the SPARQL compiler does not implement."""


@dataclass(frozen=True)
class Constraint:
    """One constraint component of one shape, as a report names it."""

    shape: str
    component: str  # short IRI of the constraint component, e.g. sh:MinCountConstraintComponent
    path: str | None  # SPARQL path syntax with short IRIs, None for a node-level constraint
    message: str
    severity: str  # Violation | Warning | Info
    kind: str = "value"  # value | min | max | uniqueLang
    limit: int = 0  # the count of min / max


@dataclass(frozen=True)
class Check:
    """One SPARQL query testing every constraint a shape puts on one path of its focus nodes.

    A value check selects ``?this ?value ?_failed`` (indexes of the failed constraints); a
    count check selects ``?this`` and one count per constraint (``?_n0`` …); a rows check
    selects each ``?this`` that breaks its one constraint. Grouping by path scans each path
    once for all its value constraints.
    """

    kind: str  # value | count | rows
    query: str
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class Result:
    """One violation found by a :class:`Check`."""

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    constraint: Constraint


# Predicates of a shape that constrain nothing themselves (or are read with another one).
_NON_VALIDATING = frozenset({
    RDF.type, RDFS.label, RDFS.comment, SH.message, SH.name, SH.description, SH.order,
    SH.group, SH.defaultValue, SH.severity, SH.deactivated, SH.path, SH.property, SH.flags,
    SH.qualifiedValueShape, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
    SH.targetObjectsOf,
})
# Components that hold for each value node alone: they become one FILTER expression.
_VALUE_LEVEL = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH.pattern, SH.languageIn,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength,
    SH.maxLength, SH["or"], SH["and"], SH["not"], SH.xone, SH.node,
})
# Components that count or compare the values of a focus node along a path.
_PATH_LEVEL = frozenset({
    SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedMinCount, SH.qualifiedMaxCount,
})
COMPONENTS = _VALUE_LEVEL | _PATH_LEVEL
_COMPONENT_NAMES = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH["in"]: "In",
    SH.hasValue: "HasValue", SH.pattern: "Pattern", SH.languageIn: "LanguageIn",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive",
    SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH["or"]: "Or", SH["and"]: "And",
    SH["not"]: "Not", SH.xone: "Xone", SH.node: "Node", SH.minCount: "MinCount",
    SH.maxCount: "MaxCount", SH.uniqueLang: "UniqueLang",
    SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# Lexical spaces of the XSD datatypes the graph uses: SHACL counts an ill-typed literal
# ("abc"^^xsd:integer) as a datatype violation, as pyshacl does; other datatypes are only
# compared by IRI.
_TZ = "(Z|[+-][0-9]{2}:[0-9]{2})?"
_LEXICAL = {
    XSD.integer: "^[+-]?[0-9]+$",
    XSD.decimal: "^[+-]?([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)$",
    XSD.boolean: "^(true|false|1|0)$",
    XSD.date: f"^-?[0-9]{{4,}}-[0-9]{{2}}-[0-9]{{2}}{_TZ}$",
    XSD.gYearMonth: f"^-?[0-9]{{4,}}-[0-9]{{2}}{_TZ}$",
    XSD.gYear: f"^-?[0-9]{{4,}}{_TZ}$",
}
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def short(node: Node) -> str:
    """A term in SPARQL/Turtle syntax, IRIs as ``prefix:local`` where a project prefix fits."""
    if isinstance(node, URIRef):
        iri = str(node)
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and iri != ns:  # for reading, so "place:131164" is fine
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(node, Literal):
        return node.n3()
    return "[]"


def _sparql(node: Node) -> str:
    """A term as SPARQL syntax with full IRIs (so queries need no prefixes)."""
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise UnsupportedShapeError(f"a blank node {node} cannot be used as a constant")


def path_text(graph: Graph, path: Node, term: Callable[[Node], str] = short) -> str:
    """A SHACL path as SPARQL property path syntax (``^ts:runs``, ``(a/b)``)."""
    if isinstance(path, URIRef):
        return term(path)
    if not isinstance(path, BNode):
        raise UnsupportedShapeError(f"not a SHACL path: {path!r}")
    if (path, RDF.first, None) in graph:
        return "(" + "/".join(path_text(graph, p, term) for p in Collection(graph, path)) + ")"
    unary = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+",
             SH.zeroOrOnePath: "{}?"}
    for pred, fmt in unary.items():
        inner = graph.value(path, pred)
        if inner is not None:
            text = path_text(graph, inner, term)
            return fmt.format(text if isinstance(inner, URIRef) else f"({text})")
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        choices = [path_text(graph, p, term) for p in Collection(graph, alternatives)]
        return "(" + "|".join(choices) + ")"
    raise UnsupportedShapeError(f"unknown SHACL path form at {path}")


class _Compiler:
    def __init__(self, shapes: Graph, subclasses: Mapping[str, Iterable[str]]) -> None:
        self.g = shapes
        self.subclasses = subclasses
        self.shared_paths: dict[str, int] = {}

    # ------------------------------------------------------------ helpers

    def one(self, node: Node, pred: URIRef) -> Node:
        values = list(self.g.objects(node, pred))  # type: ignore[arg-type]
        if len(values) != 1:
            raise UnsupportedShapeError(f"{self.name(node)}: expected one {short(pred)}")
        return values[0]

    def members(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))  # type: ignore[arg-type]

    def count(self, node: Node, pred: URIRef) -> int:
        value = self.one(node, pred)
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise UnsupportedShapeError(f"{self.name(node)}: {short(pred)} must be an integer")
        return int(value.toPython())

    def name(self, node: Node) -> str:
        """The shape as a reader can find it in the shapes file."""
        if isinstance(node, URIRef):
            return short(node)
        parent = next(self.g.subjects(SH.property, node), None)  # type: ignore[arg-type]
        path = self.g.value(node, SH.path)  # type: ignore[arg-type]
        where = f" of {short(parent)}" if parent is not None else ""
        return f"[sh:path {path_text(self.g, path)}]{where}" if path is not None else f"[]{where}"

    def message(self, shape: Node) -> str | None:
        messages = sorted(str(m) for m in self.g.objects(shape, SH.message))  # type: ignore[arg-type]
        return messages[0] if messages else None

    def severity(self, shape: Node) -> str:
        value = self.g.value(shape, SH.severity)  # type: ignore[arg-type]
        return _SEVERITIES.get(value, "Violation") if value is not None else "Violation"  # type: ignore[call-overload]

    def deactivated(self, shape: Node) -> bool:
        value = self.g.value(shape, SH.deactivated)  # type: ignore[arg-type]
        return isinstance(value, Literal) and value.toPython() is True

    def components(self, shape: Node) -> list[tuple[URIRef, Node]]:
        """The constraint triples of a shape; any predicate not understood raises."""
        found: list[tuple[URIRef, Node]] = []
        for pred, obj in sorted(self.g.predicate_objects(shape)):  # type: ignore[arg-type]
            if pred in _NON_VALIDATING:
                continue
            if pred not in COMPONENTS:
                raise UnsupportedShapeError(
                    f"{self.name(shape)}: {short(pred)} is not supported by the SPARQL "
                    "compiler; validate with pyshacl or extend graph/shacl_sparql.py")
            found.append((URIRef(str(pred)), obj))
        preds = {p for p, _ in found}
        if (shape, SH.qualifiedValueShape, None) in self.g and not preds & {  # type: ignore[operator]
                SH.qualifiedMinCount, SH.qualifiedMaxCount}:
            raise UnsupportedShapeError(
                f"{self.name(shape)}: sh:qualifiedValueShape without a count")
        if (shape, SH.flags, None) in self.g and SH.pattern not in preds:  # type: ignore[operator]
            raise UnsupportedShapeError(f"{self.name(shape)}: sh:flags without sh:pattern")
        if (shape, SH.qualifiedValueShapesDisjoint, None) in self.g:  # type: ignore[operator]
            raise UnsupportedShapeError(f"{self.name(shape)}: sh:qualifiedValueShapesDisjoint")
        return found

    def classes(self, cls: Node) -> list[str]:
        """``cls`` and its subclasses in the data, as SPARQL IRIs."""
        return sorted({_sparql(cls), *(f"<{c}>" for c in self.subclasses.get(str(cls), ()))})

    # ------------------------------------------------------------ value-level expressions

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression, true when the node in variable ``v`` conforms to ``shape``
        (a shape of value-level constraints only, as in an ``sh:or`` list)."""
        if (shape, SH.path, None) in self.g or (shape, SH.property, None) in self.g:  # type: ignore[operator]
            raise UnsupportedShapeError(
                f"{self.name(shape)}: property shapes inside sh:or/sh:and/sh:not/sh:xone/"
                "sh:node/sh:qualifiedValueShape are not supported by the SPARQL compiler")
        parts = []
        for pred, obj in self.components(shape):
            if pred not in _VALUE_LEVEL:
                raise UnsupportedShapeError(f"{self.name(shape)}: {short(pred)} needs a path")
            parts.append(self.value_expr(shape, pred, obj, v))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def value_expr(self, shape: Node, pred: URIRef, obj: Node, v: str) -> str:
        """A SPARQL expression, true when ``v`` meets the value-level constraint; type errors
        count as not meeting it (COALESCE), as in SHACL."""
        if pred == SH["class"]:
            # Subclasses are read from the data beforehand: a fixed list is much cheaper for
            # Oxigraph than rdfs:subClassOf* per value. EXISTS variables are local to it.
            classes = self.classes(obj)
            if len(classes) == 1:
                return f"EXISTS {{ {v} <{RDF.type}> {classes[0]} }}"
            return f"EXISTS {{ VALUES ?_c {{ {' '.join(classes)} }} {v} <{RDF.type}> ?_c }}"
        if pred == SH.datatype:
            if obj == RDF.langString:
                return f"COALESCE(isLiteral({v}) && lang({v}) != \"\", false)"
            test = f"isLiteral({v}) && datatype({v}) = {_sparql(obj)} && lang({v}) = \"\""
            lexical = _LEXICAL.get(obj)  # type: ignore[call-overload]
            if lexical:
                test += f' && regex(str({v}), "{lexical}")'
            return f"COALESCE({test}, false)"
        if pred == SH.nodeKind:
            if obj not in _NODE_KINDS:
                raise UnsupportedShapeError(f"{self.name(shape)}: unknown sh:nodeKind {obj}")
            return _NODE_KINDS[obj].format(v=v)  # type: ignore[index]
        if pred == SH["in"]:
            same = [f"sameTerm({v}, {_sparql(m)})" for m in self.members(obj)]
            return "(" + " || ".join(same) + ")" if same else "false"
        if pred == SH.hasValue:
            return f"sameTerm({v}, {_sparql(obj)})"
        if pred == SH.pattern:
            flags = self.g.value(shape, SH.flags)  # type: ignore[arg-type]
            flag_arg = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            return (f"COALESCE(!isBlank({v}) && regex(str({v}), {Literal(str(obj)).n3()}"
                    f"{flag_arg}), false)")
        if pred == SH.languageIn:
            tags = [f"langMatches(lang({v}), {Literal(str(t)).n3()})" for t in self.members(obj)]
            return f"COALESCE(isLiteral({v}) && ({' || '.join(tags) or 'false'}), false)"
        ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
               SH.maxExclusive: "<"}
        if pred in ops:
            return f"COALESCE(isLiteral({v}) && {v} {ops[pred]} {_sparql(obj)}, false)"  # type: ignore[index]
        if pred in (SH.minLength, SH.maxLength):
            op = ">=" if pred == SH.minLength else "<="
            return f"COALESCE(!isBlank({v}) && strlen(str({v})) {op} {int(obj)}, false)"  # type: ignore[call-overload]
        if pred in (SH["or"], SH["and"]):
            parts = [self.conforms(m, v) for m in self.members(obj)]
            join, empty = (" || ", "false") if pred == SH["or"] else (" && ", "true")
            return "(" + join.join(parts) + ")" if parts else empty
        if pred == SH.xone:
            parts = [f"IF({self.conforms(m, v)}, 1, 0)" for m in self.members(obj)]
            return "(" + " + ".join(parts or ["0"]) + ") = 1"
        if pred == SH["not"]:
            return f"!{self.conforms(obj, v)}"
        if pred == SH.node:
            return self.conforms(obj, v)
        raise UnsupportedShapeError(f"{self.name(shape)}: {short(pred)} is not value-level")

    # ------------------------------------------------------------ checks

    def type_test(self, shape: Node) -> str | None:
        """A pattern true when ``?this`` is a target of a shape with only sh:targetClass."""
        if any((shape, p, None) in self.g for p in (  # type: ignore[operator]
                SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)):
            return None
        classes = sorted({c for cls in self.g.objects(shape, SH.targetClass)  # type: ignore[arg-type]
                          for c in self.classes(cls)})
        if len(classes) == 1:
            return f"?this <{RDF.type}> {classes[0]}"
        return f"VALUES ?_cls {{ {' '.join(classes)} }} ?this <{RDF.type}> ?_cls"

    def focus(self, shape: Node) -> str:
        """A subquery binding ``?this`` to the shape's focus nodes, each once."""
        # DISTINCT: a node described in 500 case graphs has its rdf:type 500 times in the
        # union graph, and duplicates would multiply through every join.
        test = self.type_test(shape)
        if test is not None:
            return f"{{ SELECT DISTINCT ?this WHERE {{ {test} }} }}"
        others = ([f"{{ VALUES ?this {{ {_sparql(n)} }} }}"
                   for n in self.g.objects(shape, SH.targetNode)]  # type: ignore[arg-type]
                  + [f"{{ ?this {_sparql(p)} ?_o }}"
                     for p in self.g.objects(shape, SH.targetSubjectsOf)]  # type: ignore[arg-type]
                  + [f"{{ ?_s {_sparql(p)} ?this }}"
                     for p in self.g.objects(shape, SH.targetObjectsOf)]  # type: ignore[arg-type]
                  + [f"{{ ?this <{RDF.type}> {c} }}"
                     for cls in self.g.objects(shape, SH.targetClass)  # type: ignore[arg-type]
                     for c in self.classes(cls)])
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(others) + " } }"

    def pairs(self, shape: Node, path: str) -> str:
        """A subquery of distinct (focus node, value node) pairs along ``path``."""
        test = self.type_test(shape)
        if test is None or self.shared_paths.get(path, 0) > 1:
            # Paths many classes use (rdfs:label) are cheaper walked from the focus nodes.
            inner = f"{self.focus(shape)} ?this {path} ?value"
        else:
            # A semi-join on the type: joining the (duplicated) type triples would multiply
            # rows by the number of case graphs describing the node.
            inner = f"?this {path} ?value FILTER EXISTS {{ {test} }}"
        return f"{{ SELECT DISTINCT ?this ?value WHERE {{ {inner} }} }}"

    def constraint(self, shape: Node, pred: URIRef, obj: Node, kind: str = "value",
                   limit: int = 0) -> Constraint:
        path = self.g.value(shape, SH.path)  # type: ignore[arg-type]
        return Constraint(
            shape=self.name(shape), component=f"sh:{_COMPONENT_NAMES[pred]}ConstraintComponent",
            path=path_text(self.g, path) if path is not None else None,
            message=self.message(shape) or _default_message(pred, obj, self.g),
            severity=self.severity(shape), kind=kind, limit=limit)

    def shape_checks(self, shape: Node) -> Iterator[Check]:
        """The checks of a shape with targets: its own constraints and its property shapes',
        one value check and one count check per path."""
        if self.deactivated(shape):
            return
        parts: list[Node] = [shape]
        if (shape, SH.path, None) not in self.g:  # type: ignore[operator]
            parts += sorted(self.g.objects(shape, SH.property), key=str)  # type: ignore[arg-type]
        by_path: dict[str | None, list[Node]] = {}
        for part in parts:
            if part is not shape and (part, SH.path, None) not in self.g:  # type: ignore[operator]
                raise UnsupportedShapeError(f"{self.name(part)}: a property shape needs sh:path")
            if part is not shape and (part, SH.property, None) in self.g:  # type: ignore[operator]
                raise UnsupportedShapeError(
                    f"{self.name(part)}: sh:property inside a property shape is not supported")
            if self.deactivated(part):
                continue
            path_node = self.g.value(part, SH.path)  # type: ignore[arg-type]
            key = path_text(self.g, path_node, _sparql) if path_node is not None else None
            by_path.setdefault(key, []).append(part)
        for path, shapes in sorted(by_path.items(), key=lambda kv: kv[0] or ""):
            yield from self.path_checks(shape, path, shapes)

    def path_checks(self, target: Node, path: str | None, shapes: list[Node]
                    ) -> Iterator[Check]:
        """Checks of the constraints ``shapes`` put on ``path`` of ``target``'s focus nodes."""
        values: list[tuple[Constraint, str]] = []
        counts: list[tuple[Constraint, str | None]] = []  # with the qualified shape's test
        for shape in shapes:
            for pred, obj in self.components(shape):
                if pred in _VALUE_LEVEL and not (pred == SH.hasValue and path):
                    values.append((self.constraint(shape, pred, obj),
                                   self.value_expr(shape, pred, obj, "?value")))
                elif path is None:
                    raise UnsupportedShapeError(f"{self.name(shape)}: {short(pred)} needs sh:path")
                elif pred == SH.uniqueLang:
                    if isinstance(obj, Literal) and obj.toPython() is True:
                        yield Check("rows", (
                            f"SELECT ?this WHERE {{ {self.pairs(target, path)} "
                            "BIND(lang(?value) AS ?lang) FILTER(?lang != \"\") } "
                            "GROUP BY ?this ?lang HAVING (COUNT(?value) > 1)"),
                            (self.constraint(shape, pred, obj, "uniqueLang"),))
                elif pred == SH.hasValue:
                    counts.append((self.constraint(shape, pred, obj, "min", 1),
                                   f"sameTerm(?value, {_sparql(obj)})"))
                else:
                    kind = "min" if pred in (SH.minCount, SH.qualifiedMinCount) else "max"
                    test = None
                    if pred in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                        test = self.conforms(self.one(shape, SH.qualifiedValueShape), "?value")
                    counts.append((self.constraint(shape, pred, obj, kind, self.count(shape, pred)),
                                   test))
        if values:
            # One scan of the path; ?_failed lists the constraints each value breaks.
            failed = ", ".join(f'IF(COALESCE({expr}, false), "", "{i} ")'
                               for i, (_, expr) in enumerate(values))
            bind = (self.pairs(target, path) if path
                    else f"{self.focus(target)} BIND(?this AS ?value)")
            yield Check("value", (
                f"SELECT ?this ?value ?_failed WHERE {{ {bind} "
                f"BIND(CONCAT({failed}, \"\") AS ?_failed) FILTER(?_failed != \"\") }}"),
                tuple(c for c, _ in values))
        grouped = []
        for constraint, test in counts:
            if constraint.kind == "min" and constraint.limit == 1:
                # The common "at least one": NOT EXISTS is far cheaper than counting.
                condition = f"FILTER(COALESCE({test}, false))" if test else ""
                yield Check("rows", (
                    f"SELECT ?this WHERE {{ {self.focus(target)} "
                    f"FILTER NOT EXISTS {{ ?this {path} ?value . {condition} }} }}"),
                    (constraint,))
            else:
                grouped.append((constraint, test))
        if grouped:
            yield self.count_check(target, path or "", grouped)

    def count_check(self, target: Node, path: str,
                    counts: list[tuple[Constraint, str | None]]) -> Check:
        """One GROUP BY over the path counting, per constraint, the (qualified) values."""
        binds, aggregates, having = [], [], []
        for i, (constraint, test) in enumerate(counts):
            var = "?value"
            if test is not None:
                # IF with an unbound variable leaves ?_qN unbound: COUNT skips the value.
                var = f"?_q{i}"
                binds.append(f"BIND(IF(COALESCE({test}, false), ?value, ?_unbound) AS {var})")
            aggregate = f"COUNT({var})"  # the pairs are distinct already
            aggregates.append(f"({aggregate} AS ?_n{i})")
            op = ">" if constraint.kind == "max" else "<"
            having.append(f"{aggregate} {op} {constraint.limit}")
        pattern = f"{self.pairs(target, path)} {' '.join(binds)}"
        if any(c.kind != "max" for c, _ in counts):
            # Focus nodes without any value count as 0.
            pattern = f"{self.focus(target)} OPTIONAL {{ {pattern} }}"
        return Check("count", (
            f"SELECT ?this {' '.join(aggregates)} WHERE {{ {pattern} }} "
            f"GROUP BY ?this HAVING ({' || '.join(having)})"), tuple(c for c, _ in counts))

    def compile(self) -> list[Check]:
        for cls in (RDFS.Class, OWL.Class):
            for node in self.g.subjects(RDF.type, cls):
                if (node, RDF.type, SH.NodeShape) in self.g:
                    raise UnsupportedShapeError(
                        f"{short(node)}: implicit class targets are not supported")
        targeted = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                                SH.targetObjectsOf) for s in self.g.subjects(p, None)}
        for shape in targeted:  # how many targeted shapes constrain each path
            props = [*self.g.objects(shape, SH.property), shape]
            paths = {path_text(self.g, p, _sparql) for prop in props
                     for p in self.g.objects(prop, SH.path)}
            for path in paths:
                self.shared_paths[path] = self.shared_paths.get(path, 0) + 1
        return [check for shape in sorted(targeted, key=str) for check in self.shape_checks(shape)]


def _default_message(pred: URIRef, obj: Node, graph: Graph) -> str:
    """What is wrong, in words, when the shape gives no sh:message."""
    if pred == SH.minCount:
        return f"fewer than {obj} value(s)"
    if pred == SH.maxCount:
        return f"more than {obj} value(s)"
    if pred == SH.qualifiedMinCount:
        return f"fewer than {obj} value(s) conform to the qualified shape"
    if pred == SH.qualifiedMaxCount:
        return f"more than {obj} value(s) conform to the qualified shape"
    if pred == SH.uniqueLang:
        return "two values share a language tag"
    if pred == SH["class"]:
        return f"value is not a {short(obj)}"
    if pred == SH.datatype:
        return f"value is not a well-formed literal of datatype {short(obj)}"
    if pred == SH.nodeKind:
        return f"value is not of node kind {short(obj)}"
    if pred in (SH["in"], SH.languageIn):
        listed = " ".join(short(m) for m in Collection(graph, obj))  # type: ignore[arg-type]
        what = "value is not one of" if pred == SH["in"] else "value's language is not in"
        return f"{what} ({listed})"
    if pred == SH.hasValue:
        return f"the value {short(obj)} is missing"
    if pred == SH.pattern:
        return f"value does not match {str(obj)!r}"
    shown = "" if isinstance(obj, BNode) else f" {short(obj)}"
    return f"value does not satisfy {short(pred)}{shown}"


def compile_shapes(shapes: Graph,
                   subclasses: Mapping[str, Iterable[str]] | None = None) -> tuple[Check, ...]:
    """Every constraint of the shapes graph as SPARQL checks; ``subclasses`` maps a class IRI
    to its subclasses in the data (see :func:`subclasses`). Raises
    :class:`UnsupportedShapeError` on a SHACL feature the compiler does not cover."""
    return tuple(_Compiler(shapes, subclasses or {}).compile())


def subclasses(store: ox.Store) -> dict[str, set[str]]:
    """Class IRI → its transitive subclasses (``rdfs:subClassOf+``) in the data."""
    found: dict[str, set[str]] = {}
    query = f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}>+ ?sup }}"
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        sub, sup = row["sub"], row["sup"]
        if isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode):
            found.setdefault(sup.value, set()).add(sub.value)
    return found


def _term(row: ox.QuerySolution, name: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    term = row[name]
    assert term is not None and not isinstance(term, ox.Triple)
    return term


def _run_check(store: ox.Store, check: Check) -> list[Result]:
    results: list[Result] = []
    solutions = store.query(check.query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        focus = _term(row, "this")
        if check.kind == "value":
            value = _term(row, "value")
            failed = _term(row, "_failed").value.split()
            results += [Result(focus, value, check.constraints[int(i)]) for i in failed]
        elif check.kind == "count":
            for i, constraint in enumerate(check.constraints):
                n = int(_term(row, f"_n{i}").value)
                if (n > constraint.limit if constraint.kind == "max"
                        else n < constraint.limit):
                    results.append(Result(focus, None, constraint))
        else:  # "rows": each row is a violation of the one constraint
            results.append(Result(focus, None, check.constraints[0]))
    return results


def check_name(check: Check) -> str:
    """A check as a reader finds it: its shape, path and kind (``timings`` keys)."""
    first = check.constraints[0]
    return f"{first.shape} {first.path or '(node)'} [{check.kind}]"


def run_checks(store: ox.Store, checks: tuple[Check, ...], threads: int = 2,
               timings: dict[str, float] | None = None) -> list[Result]:
    """Run the checks over a store (named graphs seen as one union graph).

    Oxigraph evaluates a query without holding the GIL, so ``threads`` checks run at once on
    the one store (no copy); results come back in the checks' order either way. ``timings``,
    if given, adds each check's wall time (seconds) under :func:`check_name`.
    """
    def run(check: Check) -> list[Result]:
        if timings is None:
            return _run_check(store, check)
        start = time.perf_counter()
        try:
            return _run_check(store, check)
        finally:
            name = check_name(check)
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - start

    if threads <= 1 or len(checks) < 2:
        return [r for check in checks for r in run(check)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        found = list(pool.map(run, checks))
    return [r for results in found for r in results]


def validate_store(store: ox.Store, shapes: Graph,
                   timings: dict[str, float] | None = None) -> list[Result]:
    """Compile the shapes against the store's class hierarchy and run them."""
    return run_checks(store, compile_shapes(shapes, subclasses(store)), timings=timings)
