"""The SHACL shapes compiled to SPARQL agree with pyshacl: clean graphs, planted violations."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef

from graph.rdf.build import build_graph, place_iri
from graph.rdf.namespaces import RDF, RDFS, SCHEMA, SH, SKOS, TS, XSD
from graph.validate.compiler import UnsupportedShapeError, compile_shapes, short, validate_store
from graph.validate.shacl import PYSHACL_MAX_TRIPLES, Violation, check_graph, validate_graph

SHAPES_PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _key(v: Violation) -> tuple[str, str | None, str | None, str | None]:
    return (v.focus, v.path, v.component, v.value)


def _both(graph: Graph) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    reference = validate_graph(graph, method="pyshacl")
    compiled = validate_graph(graph, method="sparql")
    assert reference.conforms == compiled.conforms
    assert reference.triples == compiled.triples
    return {_key(v) for v in reference.violations}, {_key(v) for v in compiled.violations}


@pytest.fixture(scope="module")
def base(records: list[dict[str, Any]]) -> Graph:
    return build_graph(records).to_rdflib_graph()


def test_embedded_casebook_conforms_with_both(records: list[dict[str, Any]]) -> None:
    kg = build_graph(records)
    assert len(kg.quads) < PYSHACL_MAX_TRIPLES  # "auto" keeps the embedded casebook on pyshacl
    for method in ("pyshacl", "sparql", "auto"):
        report = check_graph(kg, method=method)  # type: ignore[arg-type]
        assert report.conforms and report.violations == ()


def _first(graph: Graph, cls: URIRef) -> URIRef:
    node = sorted(graph.subjects(RDF.type, cls), key=str)[0]
    assert isinstance(node, URIRef)
    return node


def _set(graph: Graph, node: URIRef, pred: URIRef, *values: Any) -> None:
    graph.remove((node, pred, None))
    for value in values:
        graph.add((node, pred, value))


def _org(g: Graph) -> URIRef:
    return _first(g, TS.Organisation)


def _outcome(g: Graph) -> URIRef:
    return _first(g, TS.Outcome)


def _ini(g: Graph) -> URIRef:
    return _first(g, TS.Initiative)


MATSUDO = place_iri("122076")
TG = URIRef("https://w3id.org/tsunagari/id/target-group/multi-generation")

# One planted violation per constraint component the shapes use: (component, focus, mutation).
PLANTS: dict[str, tuple[str, Callable[[Graph], URIRef], Callable[[Graph], object]]] = {
    "no-runs": ("MinCount", _org, lambda g: _set(g, _org(g), TS.runs)),
    "two-names": ("MaxCount", _org,
                  lambda g: g.add((_org(g), RDFS.label, Literal("別名", lang="ja")))),
    "english-name-only": ("QualifiedMinCount", _org,
                          lambda g: _set(g, _org(g), RDFS.label, Literal("An NPO", lang="en"))),
    "target-not-a-target-group": ("Class", _ini,
                                  lambda g: g.add((_ini(g), TS.primaryTarget, _org(g)))),
    "staff-as-string": ("Datatype", _org,
                        lambda g: _set(g, _org(g), TS.staffCount, Literal("5"))),
    "staff-ill-typed": ("Datatype", _org, lambda g: _set(
        g, _org(g), TS.staffCount, Literal("five", datatype=XSD.integer))),
    "label-not-lang-string": ("Datatype", _org,
                              lambda g: g.add((_org(g), RDFS.label, Literal("名前")))),
    "url-as-literal": ("NodeKind", _org,
                       lambda g: _set(g, _org(g), SCHEMA.url, Literal("https://example.org"))),
    "unknown-qualifier": ("In", _outcome,
                          lambda g: g.add((_outcome(g), TS.qualifier, Literal("ほぼ")))),
    "short-lgcode": ("Pattern", lambda g: MATSUDO,
                     lambda g: _set(g, MATSUDO, TS.lgCode, Literal("12207"))),
    "english-alias": ("LanguageIn", _org,
                      lambda g: g.add((_org(g), SKOS.altLabel, Literal("alias", lang="en")))),
    "negative-staff": ("MinInclusive", _org,
                       lambda g: _set(g, _org(g), TS.staffCount, Literal(-1))),
    "founded-as-string": ("Or", _org,
                          lambda g: _set(g, _org(g), SCHEMA.foundingDate, Literal("2020"))),
    "two-japanese-pref-labels": ("UniqueLang", lambda g: TG,
                                 lambda g: g.add((TG, SKOS.prefLabel, Literal("別名", lang="ja")))),
    "ward-not-a-municipality": ("Class", lambda g: MATSUDO, lambda g: (
        g.remove((MATSUDO, RDF.type, TS.Municipality)), g.add((MATSUDO, RDF.type, TS.Ward)))),
}


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_planted_violation_found_by_both(base: Graph, name: str) -> None:
    component, focus_of, plant = PLANTS[name]
    graph = Graph()
    for triple in base:
        graph.add(triple)
    focus = focus_of(graph)
    plant(graph)
    reference, compiled = _both(graph)
    assert compiled == reference
    report = validate_graph(graph, method="sparql")
    hits = [v for v in report.violations
            if v.component == f"sh:{component}ConstraintComponent"
            and v.focus == short(focus)]
    assert hits, report.text()
    assert f"sh:{component}ConstraintComponent" in report.text()


def test_report_is_readable(base: Graph) -> None:
    graph = Graph()
    for triple in base:
        graph.add(triple)
    _set(graph, MATSUDO, TS.lgCode, Literal("12207"))
    text = validate_graph(graph, method="sparql").text()
    assert 'place:122076 ts:lgCode (value "12207")' in text
    assert "6-digit local government code" in text  # the shape's sh:message
    assert "松戸市" in text  # the focus node's label


def test_synthetic_corpus_agrees_and_is_fast(synthetic: Any, tmp_path: Any) -> None:
    kg = synthetic(300, tmp_path)
    start = time.perf_counter()
    compiled = validate_graph(kg, method="sparql")
    fast = time.perf_counter() - start
    start = time.perf_counter()
    reference = validate_graph(kg, method="pyshacl")
    slow = time.perf_counter() - start
    assert compiled.conforms and reference.conforms
    assert compiled.triples == reference.triples
    assert fast < slow / 3, (fast, slow)
    # The same corpus with a violation planted in one case graph: both find it.
    graph = kg.to_rdflib_graph()
    org = _first(graph, TS.Organisation)
    graph.add((org, RDFS.label, Literal("別名", lang="ja")))
    graph.add((org, TS.staffCount, Literal("many")))
    reference_keys, compiled_keys = _both(graph)
    assert compiled_keys == reference_keys and len(compiled_keys) >= 2


def _toy(shapes: str, data: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    shapes_graph = Graph().parse(data=SHAPES_PREFIXES + shapes, format="turtle")
    data_graph = Graph().parse(data=SHAPES_PREFIXES + data, format="turtle")
    _conforms, results, _ = shacl_validate(data_graph, shacl_graph=shapes_graph)
    assert isinstance(results, Graph)
    reference = {(str(results.value(r, SH.focusNode)),
                  str(results.value(r, SH.sourceConstraintComponent)).rsplit("#")[-1])
                 for r in results.objects(None, SH.result)}
    store = ox.Store()
    store.extend(ox.parse(data_graph.serialize(format="nt", encoding="utf-8"),
                          format=ox.RdfFormat.N_TRIPLES))
    compiled = {(r.focus.value, r.constraint.component.removeprefix("sh:"))
                for r in validate_store(store, shapes_graph)}
    return reference, compiled


def test_components_beyond_the_shapes_file_agree_with_pyshacl() -> None:
    """Components the project's shapes do not use yet, on a toy graph."""
    shapes = """
    ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:c ;
        sh:property [ sh:path ( ex:p ex:q ) ; sh:hasValue 1 ] ;
        sh:property [ sh:path ex:name ; sh:maxLength 3 ; sh:minLength 2 ] ;
        sh:property [ sh:path ex:n ; sh:not [ sh:in ( 7 ) ] ; sh:maxExclusive 10 ] ;
        sh:property [ sh:path [ sh:alternativePath ( ex:p ex:r ) ] ; sh:minCount 2 ;
                      sh:xone ( [ sh:nodeKind sh:IRI ] [ sh:hasValue ex:z ] ) ] ;
        sh:property [ sh:path ex:k ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;
                      sh:qualifiedMaxCount 1 ] .
    ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:n ; sh:and ( [ sh:nodeKind sh:IRI ] ) ;
        sh:node [ sh:pattern "^http://example.org/[ab]$" ] .
    """
    data = """
    ex:a ex:p ex:m . ex:m ex:q 1 . ex:a ex:name "ab" . ex:a ex:n 3 . ex:a ex:r ex:z .
    ex:b ex:p ex:m2 . ex:m2 ex:q 2 . ex:b ex:name "abcd" . ex:b ex:n 7 . ex:b ex:k 1 , 2 .
    ex:c ex:name "x" . ex:c ex:n 12 . ex:c ex:r "lit" , ex:y .
    """
    reference, compiled = _toy(shapes, data)
    assert compiled == reference
    assert {c for _, c in reference} >= {
        "HasValueConstraintComponent", "MaxLengthConstraintComponent",
        "MinLengthConstraintComponent", "NotConstraintComponent",
        "MaxExclusiveConstraintComponent", "MinCountConstraintComponent",
        "XoneConstraintComponent", "QualifiedMaxCountConstraintComponent",
        "NodeConstraintComponent"}


@pytest.mark.parametrize("constraint", [
    "sh:closed true", "sh:property [ sh:path ex:p ; sh:equals ex:q ]",
    "sh:property [ sh:path ex:p ; sh:sparql [ sh:select \"SELECT ?this WHERE {}\" ] ]",
    "sh:property [ sh:path ex:p ; sh:or ( [ sh:path ex:q ; sh:minCount 1 ] ) ]",
])
def test_unsupported_constraint_raises(constraint: str) -> None:
    shapes = Graph().parse(
        data=SHAPES_PREFIXES + f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; {constraint} .",
        format="turtle")
    with pytest.raises(UnsupportedShapeError):
        compile_shapes(shapes)


def test_blank_focus_nodes_do_not_break_the_report() -> None:
    graph = Graph()
    node = BNode()
    graph.add((node, RDF.type, TS.Casebook))
    reference, compiled = _both(graph)
    assert compiled == reference and len(compiled) >= 2
    assert {k[0] for k in compiled} == {"[]"}
