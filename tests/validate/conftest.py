"""Fixtures of the validation tests."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from graph.partners.extract import resolve_partners
from graph.rdf.build import build_graph
from tests.repo import ROOT

if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate


@pytest.fixture(scope="session")
def synthetic() -> Any:
    from graph.reader.casebook import read_casebooks

    def read(cases: int, tmp: Any) -> Any:
        path = tmp / "synthetic.txt"
        path.write_text(generate(cases, 1).text, encoding="utf-8")
        records = read_casebooks([path]).records
        resolve_partners(records)
        return build_graph(records)
    return read
