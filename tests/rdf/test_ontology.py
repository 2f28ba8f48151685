"""The ontology and the shapes: every term documented, code and ontology agree, SHACL bites."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from graph.rdf.build import build_graph, partner_categories, place_iri
from graph.rdf.namespaces import (
    DEF_IRI,
    OWL,
    RDF,
    RDFS,
    SH,
    SKOS,
    TS,
    TS_CLASSES,
    TS_DATA_PROPERTIES,
    TS_OBJECT_PROPERTIES,
)
from graph.text import vocab
from graph.validate.shacl import ValidationError, check_graph, validate_graph
from tests.repo import ONTOLOGY_FILE, SHAPES_FILE

PARTNER_CATEGORIES = ["行政", "社会福祉協議会", "学校", "大学・専門学校", "企業・店舗",
                      "NPO・市民団体", "町内会・自治会", "寺社", "福祉・医療機関", "専門家",
                      "その他"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def test_closed_namespace_matches_the_ontology(ontology: Graph) -> None:
    declared = {
        str(s)[len(DEF_IRI):]: o
        for s, o in ontology.subject_objects(RDF.type)
        if str(s).startswith(DEF_IRI) and o in (OWL.Class, OWL.ObjectProperty,
                                                OWL.DatatypeProperty)
    }
    expected = ({n: OWL.Class for n in TS_CLASSES}
                | {n: OWL.ObjectProperty for n in TS_OBJECT_PROPERTIES}
                | {n: OWL.DatatypeProperty for n in TS_DATA_PROPERTIES})
    assert declared == expected
    with pytest.raises(AttributeError):
        TS.partnerWith  # noqa: B018  (a typo must fail)


def test_required_terms_exist() -> None:
    for name in ["Organisation", "Initiative", "PartnerBody", "Municipality", "Prefecture",
                 "TargetGroup", "ActivityType", "PartnerCategory", "Outcome", "runs",
                 "activeIn", "basedIn", "primaryTarget", "secondaryTarget", "targets",
                 "primaryActivity", "secondaryActivity", "activity", "partneredWith",
                 "partnerCategory", "locatedIn", "inPrefecture", "lgCode", "hasOutcome",
                 "legalForm"]:
        assert TS[name]


def test_every_term_has_labels_and_comments_in_both_languages(ontology: Graph) -> None:
    missing = []
    for name in (*TS_CLASSES, *TS_OBJECT_PROPERTIES, *TS_DATA_PROPERTIES):
        term = TS[name]
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(term, prop) if isinstance(o, Literal)}
            if not {"ja", "en"} <= langs:
                missing.append(f"{name} {prop}")
    assert missing == []


def test_sub_properties_and_alignment(ontology: Graph) -> None:
    assert (TS.primaryTarget, RDFS.subPropertyOf, TS.targets) in ontology
    assert (TS.secondaryTarget, RDFS.subPropertyOf, TS.targets) in ontology
    assert (TS.primaryActivity, RDFS.subPropertyOf, TS.activity) in ontology
    assert (TS.secondaryActivity, RDFS.subPropertyOf, TS.activity) in ontology
    external = {str(o) for s, o in ontology.subject_objects(RDFS.subClassOf)
                if str(s).startswith(DEF_IRI)}
    external |= {str(o) for s, o in ontology.subject_objects(RDFS.subPropertyOf)
                 if str(s).startswith(DEF_IRI)}
    for ns in ("http://www.w3.org/ns/org#", "https://schema.org/",
               "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#"):
        assert any(iri.startswith(ns) for iri in external), ns


def test_partner_category_scheme() -> None:
    assert sorted(partner_categories()) == sorted(PARTNER_CATEGORIES)
    ids = {str(iri).rsplit("/", 1)[1] for iri in partner_categories().values()}
    assert ids == {"government", "social-welfare-council", "school", "university", "business",
                   "civil-society", "neighbourhood-association", "temple-shrine",
                   "welfare-medical", "expert", "other"}


def test_exported_concepts_agree_with_data_vocab() -> None:
    graph = build_graph([]).to_rdflib_graph()
    for terms, cls in ((vocab.target_groups(), TS.TargetGroup),
                       (vocab.activity_types(), TS.ActivityType),
                       (vocab.activity_groups(), TS.ActivityGroup)):
        exported = {str(graph.value(c, SKOS.notation)): c for c in graph.subjects(RDF.type, cls)}
        assert set(exported) == {t.id for t in terms}
        for term in terms:
            labels = set(graph.objects(exported[term.id], SKOS.prefLabel))
            assert labels == {Literal(term.ja, lang="ja"), Literal(term.en, lang="en")}


def test_every_exported_class_has_a_shape(shapes: Graph, records: list[dict[str, Any]]) -> None:
    graph = build_graph(records).to_rdflib_graph()
    used = {o for o in graph.objects(None, RDF.type) if str(o).startswith(DEF_IRI)}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert used - targeted == set()
    assert TS.Partnership in targeted and TS.PartnerBody in targeted


def _broken(records: list[dict[str, Any]]) -> Graph:
    graph = build_graph(records[:2]).to_rdflib_graph()
    toshima = place_iri("122076")  # 松戸市, in case 2
    graph.remove((toshima, TS.lgCode, None))
    graph.add((toshima, TS.lgCode, Literal("12207")))
    org = next(graph.subjects(RDF.type, TS.Organisation))
    graph.remove((org, RDFS.label, None))
    return graph


def test_shacl_reports_violations_readably(records: list[dict[str, Any]]) -> None:
    report = validate_graph(_broken(records))
    assert not report.conforms
    text = report.text()
    assert "place:122076 ts:lgCode" in text and '"12207"' in text
    assert "rdfs:label" in text
    with pytest.raises(ValidationError) as err:
        check_graph(_broken(records))
    assert "SHACL result(s)" in str(err.value)


def test_shacl_rejects_an_unknown_target_class() -> None:
    graph = build_graph([]).to_rdflib_graph()
    concept = URIRef("https://w3id.org/tsunagari/id/target-group/multi-generation")
    graph.remove((concept, SKOS.prefLabel, None))
    report = validate_graph(graph)
    assert not report.conforms
    assert any(v.path == "skos:prefLabel" for v in report.violations)
