"""Shared fixtures: the embedded casebook read once per session."""

from __future__ import annotations

from typing import Any

import pytest

from graph.casebook import ReadResult, read_casebooks
from graph.paths import CASEBOOK_DIR


@pytest.fixture(scope="session")
def embedded() -> ReadResult:
    """Records of the embedded casebooks."""
    return read_casebooks([CASEBOOK_DIR])


@pytest.fixture(scope="session")
def records(embedded: ReadResult) -> list[dict[str, Any]]:
    """Records of the embedded casebooks."""
    return embedded.records
