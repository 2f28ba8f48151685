"""Historical places in the graph: a former ward keeps its own node, linked to its successors
(dcterms:isReplacedBy), and the graph still conforms to the shapes."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS

from graph.rdf.build import build_graph, place_iri
from graph.rdf.namespaces import TS
from graph.validate.shacl import validate_graph


def _record(region: str, address_municipality: str) -> dict[str, Any]:
    return {
        "case_id": "old-001",
        "source": {"file": "old.txt", "line_start": 1, "line_end": 40},
        "org_name": "浜松の会", "org_aliases": [], "legal_form": "NPO法人",
        "initiative_title": "多文化の居場所", "region_text": f"静岡県{region}",
        "region_prefectures": ["静岡県"], "region_municipalities": [region], "region_note": None,
        "activity_primary": ["居場所づくり"], "activity_secondary": [],
        "target_primary": ["外国人"], "target_secondary": [],
        "purpose": None, "audience": None, "content": None, "outreach": None,
        "outcomes_text": None, "message": None, "partners_text": None, "scenes_text": None,
        "metrics": [], "representative": None, "founded": None, "incorporated": None,
        "staff_count": None, "address": None, "postal_code": None,
        "address_prefecture": "静岡県", "address_municipality": address_municipality,
        "website": None, "partners": [], "warnings": [], "unparsed": [], "complete": True,
    }  # fmt: skip


@pytest.mark.parametrize("method", ["pyshacl", "sparql"])
def test_former_ward_links_to_its_successors_and_conforms(method: str) -> None:
    graph = build_graph([_record("浜松市北区", "浜松市中区")])
    assert graph.warnings == ()
    rdf = graph.to_rdflib_graph()
    north, naka = place_iri("221350"), place_iri("221317")
    chuo, hamana = place_iri("221384"), place_iri("221392")
    assert set(rdf.objects(north, DCTERMS.isReplacedBy)) == {chuo, hamana}
    assert set(rdf.objects(naka, DCTERMS.isReplacedBy)) == {chuo}
    assert rdf.value(chuo, TS.lgCode) == Literal("221384")
    assert rdf.value(chuo, TS.wardOf) == place_iri("221309")  # 浜松市
    assert not set(rdf.objects(chuo, DCTERMS.isReplacedBy))  # current: no successor
    report = validate_graph(graph, method=method)  # type: ignore[arg-type]
    assert report.conforms, report.text()


def test_current_ward_is_not_tokyos_chuo() -> None:
    graph = build_graph([_record("浜松市中央区", "浜松市中央区")])
    assert graph.warnings == ()
    rdf = graph.to_rdflib_graph()
    assert (None, TS.activeIn, place_iri("221384")) in rdf
    assert place_iri("131024") not in set(rdf.subjects())  # 東京都中央区


def test_successor_of_a_wrong_class_is_a_violation() -> None:
    graph = build_graph([_record("浜松市中区", "浜松市中区")])
    rdf = copy.deepcopy(graph.to_rdflib_graph())
    rdf.add((place_iri("221317"), DCTERMS.isReplacedBy, TS.Initiative))
    assert not validate_graph(rdf).conforms
