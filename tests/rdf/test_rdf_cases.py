"""Golden folders: ``tests/rdf/cases/<name>/input.txt`` through the whole pipeline to RDF.

``expected.ttl`` holds statements written by hand from the case text; each must be in the
graph built from ``input.txt``;
the initiative is checked in code, its IRI looked up by its label.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from graph.partners.extract import resolve_partners
from graph.rdf.build import build_graph
from graph.reader.casebook import read_casebook_text
from graph.validate.shacl import check_graph

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())
TS = "https://w3id.org/tsunagari/def#"
TG = "https://w3id.org/tsunagari/id/target-group/"
AT = "https://w3id.org/tsunagari/id/activity-type/"


def _build(folder: Path) -> Graph:
    text = (folder / "input.txt").read_text(encoding="utf-8")
    records, _ = read_casebook_text(text, "input.txt", folder.name)
    resolve_partners(records)
    kg = build_graph(records)
    check_graph(kg)
    return kg.to_rdflib_graph()


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_expected_statements_are_in_the_graph(folder: Path) -> None:
    built = _build(folder)
    expected = Graph().parse(folder / "expected.ttl")
    missing = [t for t in expected if t not in built]
    assert not missing, "\n".join(f"{s} {p} {o}" for s, p, o in missing)


def test_arts_alive_initiative() -> None:
    built = _build(Path(__file__).parent / "cases" / "arts-alive")
    title = "アート創作やアートを通じた対話(ARTRIP)による孤独・孤立防止事業"
    (initiative,) = [s for s in built.subjects(RDFS.label, None) if str(
        built.value(s, RDFS.label)) == title]  # fmt: skip
    org = URIRef("https://w3id.org/tsunagari/id/org/Arts_Alive")
    assert (org, URIRef(TS + "runs"), initiative) in built

    def objects(prop: str) -> set[str]:
        return {str(o) for o in built.objects(initiative, URIRef(TS + prop))}

    place = "https://w3id.org/tsunagari/id/place/"
    assert objects("activeIn") == {place + "131164", place + "131172"}
    assert objects("primaryTarget") == {TG + "disabled-people"}
    assert objects("secondaryTarget") == {TG + "children-youth", TG + "child-rearing-households"}
    assert objects("primaryActivity") == {AT + "exchange-space"}
    assert objects("secondaryActivity") == {AT + "ibasho"}
    # 親子向けアートリップ（２回）で計 33 人、… 65 人、保護者向けアートリップ（４回）で延べ 24 人
    values = sorted(
        int(built.value(o, URIRef("https://schema.org/value")))
        for o in built.objects(initiative, URIRef(TS + "hasOutcome"))
    )
    assert values == [2, 4, 24, 33, 65]
