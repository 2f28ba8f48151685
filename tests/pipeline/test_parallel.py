"""Forked maps give the same results, in the same order, as a plain loop."""

from __future__ import annotations

import pytest

from graph import parallel
from graph.reader.casebook import read_casebook_text
from tests.repo import CASEBOOK_DIR


def test_fork_map_keeps_order() -> None:
    items = list(range(1001))
    assert parallel.fork_map(lambda x: x * x, items, min_items=1) == [x * x for x in items]


def test_reader_in_workers_gives_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (CASEBOOK_DIR / "kanto-2024-part1.txt").read_text(encoding="utf-8")
    sequential = read_casebook_text(text, "x.txt", "x")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    assert read_casebook_text(text, "x.txt", "x") == sequential


def test_partners_in_workers_give_the_same_partners(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.partners.extract import resolve_partners
    from graph.reader.casebook import read_casebooks

    plain = read_casebooks([CASEBOOK_DIR]).records
    resolve_partners(plain)
    forked = read_casebooks([CASEBOOK_DIR]).records
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    resolve_partners(forked)
    assert [r["partners"] for r in forked] == [r["partners"] for r in plain]
