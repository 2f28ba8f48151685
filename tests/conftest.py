"""Shared fixtures, one per stage of the pipeline, built once per session from the embedded
casebook through the public API: raw records → records (partners resolved) → graph → network.

Fixtures that a test mutates are copies; the session objects stay as built.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import graph
from tests.repo import CASEBOOK_DIR


@pytest.fixture(scope="session")
def embedded() -> graph.ReadResult:
    """The reader's result for the embedded casebooks (records without partners)."""
    return graph.read_casebooks([CASEBOOK_DIR])


@pytest.fixture(scope="session")
def raw_records(embedded: graph.ReadResult) -> list[dict[str, Any]]:
    """Records as the reader returns them, before partner resolution."""
    return embedded.records


@pytest.fixture(scope="session")
def records(raw_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records of the whole pipeline: partners extracted and resolved across the corpus."""
    resolved = copy.deepcopy(raw_records)
    graph.resolve_partners(resolved)
    return resolved


@pytest.fixture(scope="session")
def knowledge_graph(records: list[dict[str, Any]]) -> graph.KnowledgeGraph:
    """The knowledge graph of the embedded casebooks, partners included."""
    return graph.build_graph(records)


@pytest.fixture(scope="session")
def network(knowledge_graph: graph.KnowledgeGraph) -> Any:
    """The collaboration network of the embedded casebooks."""
    return graph.build_network(knowledge_graph)
