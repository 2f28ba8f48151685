"""The RDF build and its exports: IRIs, mapping of every record field, determinism, formats."""

from __future__ import annotations

import copy
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.rdf import namespaces as ns
from graph.rdf.build import (
    GraphBuildError,
    build_graph,
    case_iri,
    export_trig,
    export_turtle,
    initiative_iri,
    org_iri,
    place_iri,
    slug,
)
from graph.rdf.namespaces import ORG, PROV, RDF, RDFS, SAC, SKOS, TS
from graph.validate.shacl import validate_graph

TG = "https://w3id.org/tsunagari/id/target-group/"
AT = "https://w3id.org/tsunagari/id/activity-type/"
PC = "https://w3id.org/tsunagari/id/partner-category/"


def _record(**over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "case_id": "demo-001",
        "source": {"file": "data/casebooks/demo.txt", "line_start": 3, "line_end": 70},
        "org_name": "Arts Alive",
        "org_aliases": ["アーツアライブ"],
        "legal_form": "一般社団法人",
        "initiative_title": "アートを通じた対話（ARTRIP）",
        "region_text": "東京都豊島区、北区",
        "region_prefectures": ["東京都"],
        "region_municipalities": ["豊島区", "北区"],
        "region_note": None,
        "activity_primary": ["交流の場の提供"],
        "activity_secondary": ["居場所づくり"],
        "target_primary": ["障害者"],
        "target_secondary": ["子ども・若者", "子育て世帯"],
        "purpose": "目的の文", "audience": None, "content": "内容の文", "outreach": None,
        "outcomes_text": "計 33 人", "message": None, "partners_text": "豊島区：広報",
        "scenes_text": None,
        "metrics": [
            {"label": "親子向けアートリップ", "value": 33, "unit": "人", "qualifier": "計",
             "text": "親子向けアートリップ(2回)で計33人"},
            {"label": "参加者", "value": 2.5, "unit": "人/月", "qualifier": "延べ,約",
             "text": "参加者延べ約2.5人/月"},
        ],
        "representative": "林容子", "founded": "2009-11-01", "incorporated": None,
        "staff_count": 15, "address": "豊島区駒込2-5-1-903", "postal_code": None,
        "address_prefecture": "東京都", "address_municipality": "豊島区",
        "website": "http://www.artsalivejp.org", "warnings": [], "unparsed": [],
    }
    rec.update(over)
    return rec


def _partner(ref: str, canonical: str, category: str, **over: Any) -> dict[str, Any]:
    item = {"mention": canonical, "canonical": canonical, "category": category,
            "municipality": None, "generic": False, "role": None, "ref": ref, "parent": None}
    item.update(over)
    return item


def _second() -> dict[str, Any]:
    return _record(
        case_id="demo-002", org_name="サンカクシャ", org_aliases=[], legal_form="NPO法人",
        initiative_title="街全体で行う若者の居場所づくり",
        activity_primary=["居場所づくり"], activity_secondary=[],
        target_primary=["こども・若者"], target_secondary=[], metrics=[],
        source={"file": "data/casebooks/demo.txt", "line_start": 80, "line_end": 150},
        address_municipality="豊島区", website=None, founded="2019",
        partners=[
            _partner("place:131164", "豊島区", "行政", role="会場提供"),
            _partner("body:マチノオト", "マチノオト", "企業・店舗", municipality="豊島区",
                     mention="「マチノオト」"),
            _partner("body:豊島区教育委員会", "豊島区教育委員会", "行政", parent="place:131164"),
            _partner("org:Arts Alive", "Arts Alive", "NPO・市民団体"),
        ],
    )


@pytest.fixture(scope="module")
def demo() -> Graph:
    return build_graph([_record(), _second()]).to_rdflib_graph()


def test_slug_keeps_kanji_and_encodes_ascii_punctuation() -> None:
    assert slug("Arts Alive") == "Arts_Alive"
    assert slug("青母連（青少年を守る父母の連絡協議会）") == (
        "青母連%28青少年を守る父母の連絡協議会%29")
    assert slug("a/b:c%d") == "a%2Fb%3Ac%25d"
    assert slug("ＮＰＯ　すみだ") == "NPO_すみだ"  # NFKC, full-width space
    assert slug("..") == "%2E%2E"
    with pytest.raises(GraphBuildError):
        slug("  ")


def test_iris_parse_in_rdflib_and_oxigraph() -> None:
    names = ["Arts Alive", "青母連(青少年を守る父母の連絡協議会)",
             "こどもと大人の地域活動「たのつく」", "a<b>c\"d{e}|f^g`h\\i#j?k", "100%"]
    for name in names:
        iri = str(org_iri(name))
        ox.NamedNode(iri)  # raises ValueError on an invalid IRI
        data = f"<{iri}> <http://x/p> \"1\" .\n"
        assert next(iter(Graph().parse(data=data, format="nt")))[0] == URIRef(iri)


def test_iri_scheme() -> None:
    assert str(place_iri("131164")) == "https://w3id.org/tsunagari/id/place/131164"
    assert str(org_iri("Arts Alive")) == "https://w3id.org/tsunagari/id/org/Arts_Alive"
    assert str(initiative_iri("KOMPOSITION", "職業 トレーニング")) == (
        "https://w3id.org/tsunagari/id/initiative/KOMPOSITION/職業_トレーニング")
    assert str(case_iri("kanto-2024-part1-001")) == (
        "https://w3id.org/tsunagari/id/case/kanto-2024-part1-001")
    with pytest.raises(GraphBuildError):
        place_iri("13116")


def test_iris_do_not_depend_on_position_or_other_cases() -> None:
    alone = build_graph([_second()]).to_rdflib_graph()
    together = build_graph([_record(), _second()]).to_rdflib_graph()
    org = org_iri("サンカクシャ")
    ini = initiative_iri("サンカクシャ", "街全体で行う若者の居場所づくり")
    for graph in (alone, together):
        assert (org, TS.runs, ini) in graph


def test_organisation_fields(demo: Graph) -> None:
    org = org_iri("Arts Alive")
    assert (org, RDF.type, TS.Organisation) in demo
    assert (org, RDFS.label, Literal("Arts Alive", lang="ja")) in demo
    assert (org, SKOS.altLabel, Literal("アーツアライブ", lang="ja")) in demo
    assert demo.value(org, TS.legalForm) == URIRef(
        "https://w3id.org/tsunagari/id/legal-form/general-incorporated-association")
    assert demo.value(org, TS.basedIn) == place_iri("131164")
    assert demo.value(org, ns.SCHEMA.foundingDate) == Literal("2009-11-01", datatype=ns.XSD.date)
    assert demo.value(org, TS.staffCount) == Literal(15)
    assert demo.value(org, ns.SCHEMA.url) == URIRef("http://www.artsalivejp.org")
    other = org_iri("サンカクシャ")
    assert demo.value(other, ns.SCHEMA.foundingDate) == Literal("2019", datatype=ns.XSD.gYear)


def test_initiative_targets_activities_and_places(demo: Graph) -> None:
    ini = initiative_iri("Arts Alive", "アートを通じた対話（ARTRIP）")
    assert set(demo.objects(ini, TS.primaryTarget)) == {URIRef(TG + "disabled-people")}
    assert set(demo.objects(ini, TS.secondaryTarget)) == {
        URIRef(TG + "children-youth"), URIRef(TG + "child-rearing-households")}  # alias mapped
    assert set(demo.objects(ini, TS.targets)) == {
        URIRef(TG + t) for t in ("disabled-people", "children-youth", "child-rearing-households")}
    assert set(demo.objects(ini, TS.primaryActivity)) == {URIRef(AT + "exchange-space")}
    assert set(demo.objects(ini, TS.activity)) == {URIRef(AT + "exchange-space"),
                                                   URIRef(AT + "ibasho")}
    # municipalities given, so the prefecture is not repeated as activeIn
    assert set(demo.objects(ini, TS.activeIn)) == {place_iri("131164"), place_iri("131172")}
    assert demo.value(ini, TS.purpose) == Literal("目的の文", lang="ja")


def test_prefecture_only_region_is_active_in_the_prefecture() -> None:
    rec = _record(region_municipalities=[], region_prefectures=["神奈川県"],
                  region_note="(※ケースにより東海・関東・甲信越まで対応)")
    graph = build_graph([rec]).to_rdflib_graph()
    ini = initiative_iri("Arts Alive", "アートを通じた対話（ARTRIP）")
    assert set(graph.objects(ini, TS.activeIn)) == {place_iri("140007")}
    assert (place_iri("140007"), RDF.type, TS.Prefecture) in graph


def test_places_link_to_estat_and_prefecture(demo: Graph) -> None:
    toshima = place_iri("131164")
    assert (toshima, RDF.type, TS.Municipality) in demo
    assert demo.value(toshima, TS.lgCode) == Literal("131164")
    assert demo.value(toshima, SKOS.exactMatch) == URIRef(f"{SAC}C13116")
    assert demo.value(toshima, TS.inPrefecture) == place_iri("130001")
    assert demo.value(place_iri("130001"), SKOS.exactMatch) == URIRef(f"{SAC}C13000")
    assert (place_iri("130001"), RDFS.label, Literal("Tokyo", lang="en")) in demo


def test_wards_belong_to_their_city() -> None:
    rec = _record(address_prefecture="神奈川県", address_municipality="横浜市港北区")
    graph = build_graph([rec]).to_rdflib_graph()
    ward = graph.value(org_iri("Arts Alive"), TS.basedIn)
    assert graph.value(ward, TS.lgCode) == Literal("141097")
    assert (ward, RDF.type, TS.Ward) in graph and (ward, RDF.type, TS.Municipality) in graph
    assert graph.value(ward, TS.wardOf) == place_iri("141003")


def test_outcomes(demo: Graph) -> None:
    ini = initiative_iri("Arts Alive", "アートを通じた対話（ARTRIP）")
    outcomes = {str(demo.value(o, RDFS.label)): o for o in demo.objects(ini, TS.hasOutcome)}
    assert set(outcomes) == {"親子向けアートリップ", "参加者"}
    first = outcomes["親子向けアートリップ"]
    assert demo.value(first, ns.SCHEMA.value) == Literal(33)
    assert demo.value(first, ns.SCHEMA.unitText) == Literal("人")
    second = outcomes["参加者"]
    assert demo.value(second, ns.SCHEMA.value) == Literal("2.5", datatype=ns.XSD.decimal)
    assert set(demo.objects(second, TS.qualifier)) == {Literal("延べ"), Literal("約")}


def test_partners(demo: Graph) -> None:
    org = org_iri("サンカクシャ")
    toshima = place_iri("131164")
    body = URIRef("https://w3id.org/tsunagari/id/body/マチノオト")
    board = URIRef("https://w3id.org/tsunagari/id/body/豊島区教育委員会")
    assert set(demo.objects(org, TS.partneredWith)) == {toshima, body, board,
                                                        org_iri("Arts Alive")}
    # the local government is the municipality node itself, not a new body
    assert (toshima, RDF.type, TS.PartnerBody) not in demo
    assert (body, RDF.type, TS.PartnerBody) in demo
    assert demo.value(body, TS.partnerCategory) == URIRef(PC + "business")
    assert demo.value(body, TS.locatedIn) == toshima
    assert demo.value(body, TS.generic) == Literal(False)
    assert (body, SKOS.altLabel, Literal("「マチノオト」", lang="ja")) in demo
    assert demo.value(board, ORG.subOrganizationOf) == toshima
    assert demo.value(board, TS.locatedIn) == toshima
    roles = {
        demo.value(p, TS.partner): demo.value(p, TS.role)
        for p in demo.objects(org, TS.qualifiedPartnership)
    }
    assert roles[toshima] == Literal("会場提供", lang="ja")
    assert roles[body] is None
    partnership = next(p for p in demo.objects(org, TS.qualifiedPartnership)
                       if demo.value(p, TS.partner) == toshima)
    assert demo.value(partnership, TS.initiative) == initiative_iri(
        "サンカクシャ", "街全体で行う若者の居場所づくり")


def test_record_without_partners_has_no_partner_nodes(demo: Graph) -> None:
    org = org_iri("Arts Alive")
    assert list(demo.objects(org, TS.partneredWith)) == []
    assert list(demo.objects(org, TS.qualifiedPartnership)) == []


def test_full_vocabularies_are_exported_even_unused(demo: Graph) -> None:
    assert len(set(demo.subjects(RDF.type, TS.TargetGroup))) == 18
    assert len(set(demo.subjects(RDF.type, TS.ActivityType))) == 14
    assert len(set(demo.subjects(RDF.type, TS.ActivityGroup))) == 5
    assert len(set(demo.subjects(RDF.type, TS.PartnerCategory))) == 11
    for concept in demo.subjects(RDF.type, TS.ActivityType):
        assert (demo.value(concept, SKOS.broader), RDF.type, TS.ActivityGroup) in demo
    futoko = URIRef(TG + "school-non-attendance")
    assert (futoko, SKOS.prefLabel, Literal("不登校の児童生徒", lang="ja")) in demo
    assert (futoko, SKOS.prefLabel, Literal("Pupils not attending school (futoko)",
                                            lang="en")) in demo


def test_every_node_has_a_japanese_label(demo: Graph) -> None:
    nodes = {s for s in demo.subjects() if isinstance(s, URIRef)}
    unlabelled = [n for n in nodes
                  if not any(getattr(lbl, "language", None) == "ja"
                             for lbl in demo.objects(n, RDFS.label))]
    assert unlabelled == []


def test_build_conforms_to_shapes() -> None:
    report = validate_graph(build_graph([_record(), _second()]))
    assert report.conforms, report.text()


def test_exports_are_byte_identical_and_order_independent() -> None:
    first = build_graph([_record(), _second()])
    again = build_graph(copy.deepcopy([_record(), _second()]))
    reordered = build_graph([_second(), _record()])
    assert export_turtle(first) == export_turtle(again) == export_turtle(reordered)
    assert export_trig(first) == export_trig(again) == export_trig(reordered)


def test_turtle_round_trips_in_rdflib_and_oxigraph() -> None:
    graph = build_graph([_record(), _second()])
    turtle = export_turtle(graph)
    parsed = Graph().parse(data=turtle, format="turtle")
    assert isomorphic(parsed, graph.to_rdflib_graph())
    assert len(parsed) == len(graph)
    store = ox.Store()
    store.load(turtle, format=ox.RdfFormat.TURTLE)
    assert len(store) == len(graph)


def test_trig_has_a_named_graph_per_case_with_provenance() -> None:
    graph = build_graph([_record(), _second()])
    dataset = Dataset()
    dataset.parse(data=export_trig(graph), format="trig")
    case = case_iri("demo-002")
    named = dataset.graph(case)
    ini = initiative_iri("サンカクシャ", "街全体で行う若者の居場所づくり")
    assert (ini, RDF.type, TS.Initiative) in named
    assert (ini, TS.describedIn, case) in named
    assert (initiative_iri("Arts Alive", "アートを通じた対話（ARTRIP）"), RDF.type,
            TS.Initiative) not in named
    default = dataset.default_graph
    assert default.value(case, TS.lineStart) == Literal(80)
    assert default.value(case, TS.lineEnd) == Literal(150)
    book = default.value(case, PROV.wasDerivedFrom)
    assert default.value(book, TS.sourceFile) == Literal("data/casebooks/demo.txt")
    store = ox.Store()
    store.load(export_trig(graph), format=ox.RdfFormat.TRIG)
    assert ox.NamedNode(str(case)) in set(store.named_graphs())


def test_contract_violations_fail_clearly() -> None:
    with pytest.raises(GraphBuildError, match="demo-001: target_primary: unknown label"):
        build_graph([_record(target_primary=["宇宙人"])])
    with pytest.raises(GraphBuildError, match="no case_id"):
        build_graph([_record(case_id="")])
    # A case without a name is kept (issue 12): tests/pipeline/test_broken_cases.py.
    assert validate_graph(build_graph([_record(org_name="")])).conforms


def test_unresolvable_places_become_warnings() -> None:
    graph = build_graph([_record(address_municipality="架空市", website="not a url")])
    assert any("架空市" in w for w in graph.warnings)
    assert any("not a url" in w for w in graph.warnings)
    assert validate_graph(graph).conforms


def test_embedded_casebook_builds_and_conforms(records: list[dict[str, Any]]) -> None:
    graph = build_graph(records)
    assert graph.warnings == ()
    report = validate_graph(graph)
    assert report.conforms, report.text()
    rdf = graph.to_rdflib_graph()
    # both embedded chapters: 11 + 4 cases, each a different organisation and initiative
    assert len(set(rdf.subjects(RDF.type, TS.Initiative))) == 15
    assert len(set(rdf.subjects(RDF.type, TS.Organisation))) == 15
    assert export_turtle(graph) == export_turtle(build_graph(copy.deepcopy(records)))
