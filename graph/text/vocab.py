"""Controlled vocabularies kept as JSON in ``data/vocab``: activities, targets, legal forms."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph.resources import vocab_dir
from graph.text.normalize import key


@dataclass(frozen=True)
class Term:
    """One concept of a controlled vocabulary."""

    id: str
    ja: str
    en: str
    group: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None


def load_json(path: Path) -> Any:
    """Read a curated JSON file."""
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def dump_json(data: Any) -> str:
    """The canonical text of a curated or exported JSON file."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _terms(rows: list[dict[str, Any]]) -> tuple[Term, ...]:
    return tuple(
        Term(r["id"], r["ja"], r["en"], r.get("group"), tuple(r.get("aliases", ())), r.get("note"))
        for r in rows
    )


@cache
def activity_groups() -> tuple[Term, ...]:
    """The 5 groups of activity types, in table order."""
    return _terms(load_json(vocab_dir() / "activity_types.json")["groups"])


@cache
def activity_types() -> tuple[Term, ...]:
    """The 14 activity types (取組の種類), in table order."""
    return _terms(load_json(vocab_dir() / "activity_types.json")["types"])


@cache
def target_groups() -> tuple[Term, ...]:
    """The 18 target groups (取組の対象), in table order."""
    return _terms(load_json(vocab_dir() / "target_groups.json")["groups"])


@cache
def legal_forms() -> tuple[tuple[Term, tuple[str, ...]], ...]:
    """Legal forms with the prefixes that write them, longest prefix first."""
    rows = load_json(vocab_dir() / "legal_forms.json")["forms"]
    return tuple(
        (Term(r["id"], r["ja"], r["en"]), tuple(sorted(r["prefixes"], key=len, reverse=True)))
        for r in rows
    )


def label_index(terms: tuple[Term, ...]) -> dict[str, Term]:
    """Matching key (label or alias) → term."""
    index: dict[str, Term] = {}
    for term in terms:
        for label in (term.ja, *term.aliases):
            index[key(label)] = term
    return index
