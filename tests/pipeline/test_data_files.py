"""Curated data: canonical form, field checks, uniqueness; the casebooks as published."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.text.vocab import activity_groups, activity_types, dump_json, load_json, target_groups
from tests.repo import CASEBOOK_DIR, DATA_DIR, VOCAB_DIR

CURATED = sorted(p for p in DATA_DIR.rglob("*.json"))
FIX = (
    "python -c \"from pathlib import Path; from graph.text.vocab import load_json, dump_json; "
    "p = Path('{path}'); p.write_text(dump_json(load_json(p)), encoding='utf-8')\""
)


@pytest.mark.parametrize("path", CURATED, ids=lambda p: str(p.relative_to(DATA_DIR)))
def test_curated_json_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == dump_json(load_json(path)), f"not canonical; fix with: {FIX.format(path=path)}"


def test_vocabulary_sizes_and_ids() -> None:
    assert len(activity_groups()) == 5
    assert len(activity_types()) == 14
    assert len(target_groups()) == 18
    problems = []
    for terms in (activity_groups(), activity_types(), target_groups()):
        ids = [t.id for t in terms]
        labels = [t.ja for t in terms]
        problems += [f"duplicate id {i}" for i in ids if ids.count(i) > 1]
        problems += [f"duplicate label {x}" for x in labels if labels.count(x) > 1]
        problems += [f"{t.id}: id not ascii slug" for t in terms if not t.id.isascii()]
        problems += [f"{t.id}: missing en label" for t in terms if not t.en]
    groups = {g.id for g in activity_groups()}
    problems += [f"{t.id}: unknown group" for t in activity_types() if t.group not in groups]
    assert not problems


def test_legal_forms_file_has_the_contract_forms() -> None:
    forms = {row["ja"] for row in load_json(VOCAB_DIR / "legal_forms.json")["forms"]}
    assert {"NPO法人", "認定NPO法人", "一般社団法人", "社会福祉法人", "任意団体"} <= forms


def test_casebooks_are_as_published() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "casebooks"
    if not shared.is_dir():
        pytest.skip("no ../shared/casebooks beside this checkout")
    for path in sorted(shared.glob("*.txt")):
        assert (CASEBOOK_DIR / path.name).read_bytes() == path.read_bytes(), path.name
