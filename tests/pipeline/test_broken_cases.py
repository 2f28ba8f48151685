"""One broken case does not sink the corpus (issue 12, item 5): a case without 取組名 or 団体名
is kept, warned with file:line, and the rest builds; ``--strict`` makes it fatal (exit 2)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.cli import cli
from graph.rdf.build import build_graph
from graph.validate.shacl import validate_graph
from tests.repo import EMBEDDED

TEXT = EMBEDDED.read_text(encoding="utf-8")
TS = "https://w3id.org/tsunagari/def#"
TITLE_LINE = "取組名：地域密着型サードプレイスによる一体的支援事業\n"  # case 1, line 7


def _broken(tmp_path: Path) -> Path:
    assert TEXT.count(TITLE_LINE) == 1
    path = tmp_path / "broken.txt"
    path.write_text(TEXT.replace(TITLE_LINE, ""), encoding="utf-8")
    return path


def test_case_without_title_is_kept_and_the_rest_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(_broken(tmp_path)), "--no-cache",
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "broken.txt:3: [initiative_title] no 取組名" in result.output
    cases = json.loads((out / "cases.json").read_text(encoding="utf-8"))["cases"]
    assert len(cases) == 11
    assert cases[0]["org_name"] == "クラブしっきーず" and cases[0]["initiative_title"] is None
    ttl = (out / "tsunagari.ttl").read_text(encoding="utf-8")
    assert "nameMissing true" in ttl and "取組名の記載なし" in ttl


def test_strict_makes_it_fatal_and_prints_the_warnings_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(_broken(tmp_path)), "--no-cache", "--strict",
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2, result.output
    warning = result.output.index("broken.txt:3: [initiative_title]")
    assert warning < result.output.index("error: 1 warnings with --strict")
    assert "no export written" in result.output
    assert not out.exists() or not list(out.iterdir())


def _unnamed(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    changed = copy.deepcopy(records[:2])
    changed[0]["initiative_title"] = None
    changed[1]["org_name"] = ""
    changed[1]["initiative_title"] = None
    return changed


def test_graph_of_unnamed_cases_conforms_to_the_shapes(records: list[dict[str, Any]]) -> None:
    kg = build_graph(_unnamed(records))
    report = validate_graph(kg)
    assert report.conforms, report.text()
    missing = {q.subject.value for q in kg.quads if q.predicate.value == TS + "nameMissing"}
    # Case 1: its initiative; case 2: its organisation and its initiative.
    assert len(missing) == 3, missing
    assert any(s.endswith("/unnamed/kanto-2024-part1-002") for s in missing)
    assert any(s.endswith("/untitled/kanto-2024-part1-001") for s in missing)


def test_a_false_name_missing_breaks_the_shapes(records: list[dict[str, Any]]) -> None:
    data = build_graph(records[:1]).to_rdflib_graph()
    org = next(iter(data.subjects(RDF.type, URIRef(TS + "Organisation"))))
    assert data.value(org, RDFS.label) is not None
    data.add((org, URIRef(TS + "nameMissing"), Literal(False)))
    assert not validate_graph(data).conforms
