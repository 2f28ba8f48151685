"""Chunked validation gives the report of one whole store, and both agree with pyshacl: on the
embedded graph and on violations planted inside one case graph, across case graphs that the
chunking must keep together, and between chunks (a value typed in another chunk)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.rdf.build import KnowledgeGraph, place_iri
from graph.rdf.namespaces import RDF, RDFS, TS
from graph.validate.chunked import chunk_rules, plan_chunks
from graph.validate.shacl import ValidationReport, _shapes, validate_graph

TYPE = ox.NamedNode(str(RDF.type))
LABEL = ox.NamedNode(str(RDFS.label))
SMALL = 150  # quads per chunk: the embedded graph (~2,500 quads) in over a dozen chunks


def _t(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(TS[name]))


def _kg(quads: list[ox.Quad]) -> KnowledgeGraph:
    """A KnowledgeGraph of these quads, laid out as build_graph lays it out."""
    default: set[str] = set()
    named: dict[str, set[str]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.add(f"{q.subject} {q.predicate} {q.object} .")
        else:
            name = str(q.graph_name)
            named.setdefault(name, set()).add(f"{q.subject} {q.predicate} {q.object} {name} .")

    def text(lines: set[str]) -> bytes:
        return ("\n".join(sorted(lines)) + "\n").encode() if lines else b""
    return KnowledgeGraph(text(default), tuple((n, text(named[n])) for n in sorted(named)))


def _all(kg: KnowledgeGraph) -> tuple[ValidationReport, ValidationReport, ValidationReport]:
    """Chunked, whole store, pyshacl: the first two equal in every field."""
    chunked = validate_graph(kg, method="sparql", chunk_quads=SMALL)
    whole = validate_graph(kg, method="sparql", chunk_quads=None)
    reference = validate_graph(kg, method="pyshacl")
    assert chunked == whole
    assert reference.conforms == whole.conforms and reference.triples == whole.triples
    keys = [{(v.focus, v.path, v.component, v.value) for v in r.violations}
            for r in (whole, reference)]
    assert keys[0] == keys[1]
    return chunked, whole, reference


@pytest.fixture(scope="module")
def quads(knowledge_graph: KnowledgeGraph) -> list[ox.Quad]:
    return list(knowledge_graph.quads)


def _nodes(quads: list[ox.Quad], cls: str) -> list[tuple[ox.NamedNode, Any]]:
    """(node, its graph) of every node typed ``cls``, in graph order."""
    found = {(q.subject, q.graph_name) for q in quads
             if q.predicate == TYPE and q.object == _t(cls)}
    return sorted(found, key=lambda ng: (str(ng[1]), str(ng[0])))  # type: ignore[return-value]


def _without(quads: list[ox.Quad], s: Any, p: Any, g: Any = None) -> list[ox.Quad]:
    return [q for q in quads
            if not (q.subject == s and q.predicate == p and (g is None or q.graph_name == g))]


def test_plan_is_chunked_and_bounded(knowledge_graph: KnowledgeGraph) -> None:
    rules = chunk_rules(_shapes())
    assert rules is not None
    assert str(TS.runs) in {p.decode()[1:-1] for p in rules.inverse}
    plan = plan_chunks(knowledge_graph, rules, SMALL)
    assert len(plan.chunks) > 10
    assert sorted(u for units in plan.chunks for u in units) == list(range(len(plan.units)))
    for units in plan.chunks:
        roots = {plan.find(u) for u in units}
        if len(roots) > 1:  # a chunk is over the bound only if one group alone is
            assert sum(plan.lines[u] for u in units) <= SMALL


def test_embedded_graph_same_report(knowledge_graph: KnowledgeGraph) -> None:
    chunked, _whole, _ = _all(knowledge_graph)
    assert chunked.conforms


def _first_last_orgs(quads: list[ox.Quad]) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    orgs = _nodes(quads, "Organisation")
    return orgs[0], orgs[-1]


# Violations (or their absence) that only the right chunking gets right. Each returns the
# mutated quads; the test checks chunked == whole store == pyshacl, and the expected outcome.
def _second_name_in_another_case(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The first organisation gets a second name in the last case's graph: sh:maxCount 1
    holds in each graph alone, so the two graphs must land in one chunk."""
    (org, _), (_, last_graph) = _first_last_orgs(quads)
    return [*quads, ox.Quad(org, LABEL, ox.Literal("別名", language="ja"), last_graph)]


def _runs_only_in_another_case(quads: list[ox.Quad]) -> list[ox.Quad]:
    """An initiative's ts:runs statement moved to the last case's graph: ^ts:runs still finds
    its organisation (conforms), only if that graph joins the initiative's."""
    ini, graph = _nodes(quads, "Initiative")[0]
    runs = [q for q in quads if q.predicate == _t("runs") and q.object == ini]
    last = _nodes(quads, "Organisation")[-1][1]
    assert runs and last != graph
    kept = [q for q in quads if q not in runs]
    return kept + [ox.Quad(q.subject, q.predicate, q.object, last) for q in runs]


def _partner_typed_in_another_chunk(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The first organisation partners with the last one (typed only in its own graph, in
    another chunk): conforms, only if that type is copied into the first chunk."""
    (org, graph), (other, _) = _first_last_orgs(quads)
    return [*quads, ox.Quad(org, _t("partneredWith"), other, graph)]


def _partner_wrongly_typed_in_another_chunk(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The first organisation partners with the last outcome, an ts:Outcome of another chunk:
    an sh:or violation that needs that node's (wrong) type."""
    (org, graph), _ = _first_last_orgs(quads)
    outcome, _ = _nodes(quads, "Outcome")[-1]
    return [*quads, ox.Quad(org, _t("partneredWith"), outcome, graph)]


def _run_by_a_non_organisation(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The first initiative is also run by the last initiative (in another chunk): the value
    of ^ts:runs is not a ts:Organisation, a violation on the first initiative."""
    ini, _ = _nodes(quads, "Initiative")[0]
    other, other_graph = _nodes(quads, "Initiative")[-1]
    return [*quads, ox.Quad(other, _t("runs"), ini, other_graph)]


def _place_code_in_a_case(quads: list[ox.Quad]) -> list[ox.Quad]:
    """A municipality of the default graph gets a second ts:lgCode in a case graph: its
    default-graph lines must join that case's chunk (sh:maxCount 1)."""
    place = ox.NamedNode(str(place_iri("122076")))
    _, graph = _nodes(quads, "Organisation")[-1]
    return [*quads, ox.Quad(place, _t("lgCode"), ox.Literal("122077"), graph)]


def _organisation_without_name(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Within one graph: the last organisation loses its rdfs:label (qualified min count)."""
    (_, _), (org, graph) = _first_last_orgs(quads)
    return _without(quads, org, LABEL, graph)


CROSS: dict[str, tuple[Callable[[list[ox.Quad]], list[ox.Quad]], str | None]] = {
    "second-name-in-another-case": (_second_name_in_another_case, "MaxCount"),
    "runs-only-in-another-case": (_runs_only_in_another_case, None),
    "partner-typed-in-another-chunk": (_partner_typed_in_another_chunk, None),
    "partner-wrongly-typed-in-another-chunk": (_partner_wrongly_typed_in_another_chunk, "Or"),
    "run-by-a-non-organisation": (_run_by_a_non_organisation, "Class"),
    "place-code-in-a-case": (_place_code_in_a_case, "MaxCount"),
    "organisation-without-name": (_organisation_without_name, "QualifiedMinCount"),
}


@pytest.mark.parametrize("name", sorted(CROSS))
def test_violation_across_chunks_same_report(quads: list[ox.Quad], name: str) -> None:
    mutate, component = CROSS[name]
    kg = _kg(mutate(quads))
    chunked, _whole, _reference = _all(kg)
    if component is None:
        assert chunked.conforms, chunked.text()
    else:
        assert not chunked.conforms
        assert {v.component for v in chunked.violations} == {
            f"sh:{component}ConstraintComponent"}, chunked.text()


def test_cross_chunk_plants_are_across_chunks(quads: list[ox.Quad]) -> None:
    """The planted graphs would be in different chunks if the plan did not join them."""
    kg = _kg(quads)
    rules = chunk_rules(_shapes())
    assert rules is not None
    plan = plan_chunks(kg, rules, SMALL)
    names = [name for name, _ in kg.graphs]
    (_, first), (_, last) = _first_last_orgs(quads)
    unit = {n: i for i, n in enumerate(names)}
    offset = len(plan.units) - len(names)  # the default graph's units come first
    a, b = offset + unit[str(first)], offset + unit[str(last)]
    assert plan.chunk_of[plan.find(a)] != plan.chunk_of[plan.find(b)]
    joined = plan_chunks(_kg(_second_name_in_another_case(quads)), rules, SMALL)
    assert joined.find(a) == joined.find(b)


def test_unsupported_targets_and_paths_fall_back() -> None:
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> ."
    for shape in ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind sh:IRI .",
                  "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                  "sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] ."):
        assert chunk_rules(Graph().parse(data=prefixes + shape, format="turtle")) is None
    shapes = Graph().parse(data=prefixes + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                           "sh:property [ sh:path [ sh:inversePath ex:p ] ; "
                           "sh:or ( [ sh:class ex:D ] ) ] .", format="turtle")
    rules = chunk_rules(shapes)
    assert rules is not None and rules.class_inverse == {b"<http://example.org/p>"}


def test_synthetic_corpus_chunked_same_report(synthetic: Any, tmp_path: Any) -> None:
    """300 synthetic cases in ~15 chunks, one violation planted in a case graph."""
    kg = synthetic(300, tmp_path)
    assert validate_graph(kg, method="sparql", chunk_quads=2_000) == validate_graph(
        kg, method="sparql", chunk_quads=None)
    quads = list(kg.quads)
    org, graph = _nodes(quads, "Organisation")[5]
    planted = _kg([*quads, ox.Quad(org, _t("staffCount"), ox.Literal("many"), graph),
                   ox.Quad(org, LABEL, ox.Literal("別名", language="ja"), graph)])
    chunked = validate_graph(planted, method="sparql", chunk_quads=2_000)
    assert chunked == validate_graph(planted, method="sparql", chunk_quads=None)
    assert len(chunked.violations) >= 2 and not chunked.conforms
