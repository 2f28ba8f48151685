"""Quality of partner extraction against hand-written expected lists.

``python -m graph.partners.evaluate`` prints precision, recall and F1 on the embedded casebook:
``canonical`` of non-generic partners, and ``mention`` of all partners.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from graph.resources import casebook_dir, resource_root
from graph.text.normalize import key
from graph.text.vocab import load_json

# In a source checkout only: the expectations live with the tests.
EXPECTED_FILE = resource_root() / "tests" / "partners" / "partners_expected.json"

Lists = dict[str, list[dict[str, Any]]]


def _items(lists: Lists, field: str, non_generic_only: bool) -> Counter[tuple[str, str]]:
    return Counter(
        (case_id, key(p[field]))
        for case_id, partners in lists.items()
        for p in partners
        if not (non_generic_only and p.get("generic"))
    )


def _prf(expected: Counter[tuple[str, str]], predicted: Counter[tuple[str, str]]) -> dict[str, Any]:
    tp = sum((expected & predicted).values())
    fp = sum(predicted.values()) - tp
    fn = sum(expected.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def score(expected: Lists, predicted: Lists) -> dict[str, dict[str, Any]]:
    """P/R/F1 of ``canonical`` (non-generic partners) and of ``mention`` (all), micro-averaged.

    Only the cases of ``expected`` count; a case missing from ``predicted`` has no partners.
    """
    predicted = {case_id: predicted.get(case_id, []) for case_id in expected}
    return {
        field: _prf(_items(expected, field, field == "canonical"),
                    _items(predicted, field, field == "canonical"))
        for field in ("canonical", "mention")
    }


def differences(expected: Lists, predicted: Lists, field: str = "canonical") -> list[str]:
    """Readable lines for every missed (-) and extra (+) partner, per case."""
    out = []
    non_generic = field == "canonical"
    for case_id in expected:
        exp = _items({case_id: expected[case_id]}, field, non_generic)
        got = _items({case_id: predicted.get(case_id, [])}, field, non_generic)
        out += [f"{case_id} - {name}" for (_, name) in (exp - got).elements()]
        out += [f"{case_id} + {name}" for (_, name) in (got - exp).elements()]
    return out


def evaluate(
    casebooks: list[Path] | None = None, expected_file: Path = EXPECTED_FILE
) -> tuple[dict[str, dict[str, Any]], Lists, Lists]:
    """Read the casebooks, extract partners and score them against the expected lists."""
    from graph.partners.extract import extract_partners
    from graph.reader.casebook import read_casebooks

    paths = casebooks or sorted(casebook_dir().glob("*.txt"))
    records = read_casebooks(paths).records
    predicted = {rec["case_id"]: extract_partners(rec) for rec in records}
    expected: Lists = load_json(expected_file)
    return score(expected, predicted), expected, predicted


def main(argv: list[str] | None = None) -> int:
    """Print the figures (and the differences with ``-v``)."""
    args = sys.argv[1:] if argv is None else argv
    figures, expected, predicted = evaluate()
    for name, label in (("canonical", "canonical (non-generic)"), ("mention", "mention (all)")):
        f = figures[name]
        sys.stdout.write(
            f"{label:24} P={f['precision']:.3f} R={f['recall']:.3f} F1={f['f1']:.3f}"
            f"  (tp={f['tp']} fp={f['fp']} fn={f['fn']})\n"
        )
    if "-v" in args:
        for name in ("canonical", "mention"):
            for line in differences(expected, predicted, name):
                sys.stdout.write(f"[{name}] {line}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
