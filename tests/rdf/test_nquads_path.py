"""The graph held as N-Quads text gives the same exports as the quad-object path it replaced."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from graph.partners.extract import resolve_partners
from graph.pipeline import render_graph, run_build
from graph.rdf.build import (
    _IRI_ESCAPED,
    _iri_char,
    _Lit,
    _lit_nt,
    build_graph,
    consumed,
    export_trig,
    export_turtle,
    reference_exports,
)
from graph.reader.casebook import read_casebooks
from tests.repo import ROOT

if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import write_casebook

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _code_points() -> list[str]:
    astral = range(0x10000, 0x110000, 97)  # every plane, sampled
    return [chr(c) for c in (*range(0xD800), *range(0xE000, 0x10000), *astral)]


def test_literal_text_is_oxigraphs_for_every_code_point() -> None:
    """The fast literal form (quoted as is unless something needs escaping) equals
    Oxigraph's own N-Triples form, for each character inside a value."""
    wrong = []
    for char in _code_points():
        value = f"a{char}b"
        for lit in (_Lit(value, "ja"), _Lit(value), _Lit(value, None, XSD_INTEGER)):
            if _lit_nt(lit) != str(lit.to_ox()):
                wrong.append((hex(ord(char)), _lit_nt(lit), str(lit.to_ox())))
    assert wrong == []


def test_iri_segment_fast_path_escapes_what_iri_char_escapes() -> None:
    wrong = [hex(ord(c)) for c in _code_points()
             if _IRI_ESCAPED.sub(lambda m: _iri_char(m.group()), c) != _iri_char(c)]
    assert wrong == []


def test_hostile_text_and_repeated_case_give_identical_exports(records: list[Any]) -> None:
    """Quotes, backslashes, tabs, controls and U+FFFE in a field, and one case id given to two
    records (its graph is merged), come out byte for byte as on the quad-object path."""
    recs = copy.deepcopy(records[:3])
    recs[0]["purpose"] = 'say "hi"\\ there\ttab\x01ctl\ufffe end\r\nline'
    recs[1]["message"] = "\\"
    twin = copy.deepcopy(recs[2])
    twin["initiative_title"] = twin["initiative_title"] + "（二）"
    recs.append(twin)  # same case_id as recs[2]
    kg = build_graph(recs)
    assert (export_turtle(kg), export_trig(kg)) == reference_exports(recs)


@pytest.mark.slow
def test_exports_identical_to_quad_object_path_at_2000_cases(tmp_path: Path) -> None:
    """2,000 generated cases: Turtle and TriG from the N-Quads text equal those of the former
    path (a list of pyoxigraph quads serialised by Oxigraph), and the parallel render (TriG in
    a forked worker, validation in a thread) equals the serial one."""
    path = write_casebook(tmp_path / "synthetic-2000.txt", 2000, 7)
    records = read_casebooks([path]).records
    resolve_partners(records)
    kg = build_graph(records)
    turtle, trig = export_turtle(kg), export_trig(kg)
    assert (turtle, trig) == reference_exports(records)
    assert kg.quad_count == len(list(kg.quads))
    store = kg.to_store()
    assert len(store) == kg.quad_count  # no quad is duplicated across lines
    parallel = render_graph(kg, parallel=True)
    assert parallel == render_graph(kg, parallel=False)
    assert parallel["tsunagari.ttl"] == turtle and parallel["tsunagari.trig"] == trig
    for mode in (False, True):  # Turtle and TriG streamed into files: the same bytes
        spool = tmp_path / f"spool-{mode}"
        spool.mkdir()
        spooled = render_graph(kg, parallel=mode, spool=spool)
        assert spooled["tsunagari.ttl"] == spool / "tsunagari.ttl"
        assert spooled["tsunagari.trig"] == spool / "tsunagari.trig"
        assert (spool / "tsunagari.ttl").read_bytes() == turtle
        assert (spool / "tsunagari.trig").read_bytes() == trig
        assert sorted(spooled) == sorted(parallel)
        for name, value in parallel.items():
            assert spooled[name] == spool / name and (spool / name).read_bytes() == value
    assert len(kg) == len(set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)))
    # The lean build hands the records over one by one and releases each: the same graph.
    handed = list(records)
    assert build_graph(consumed(handed)) == kg and handed == []
    lean = run_build([path], lean=True)
    assert lean.records_dropped and lean.read.records == []
    assert lean.graph == kg and lean.summary["cases"] == 2000
    assert (lean.output_bytes("tsunagari.ttl"), lean.output_bytes("tsunagari.trig")) \
        == (turtle, trig)
