"""Field accuracy of the reader against a gold file (every field but the partners).

    python -m benchmarks.reader_fields GOLD TEXT [--json OUT] [--show N]
    python -m benchmarks.reader_fields ../shared/devsets/regions-dev.gold.json \\
        ../shared/devsets/regions-dev.txt

GOLD is a JSON array with one object per case in file order (the format of
``../shared/devsets/*.gold.json``, see that folder's README). A field is right for a case when
the reader's value equals the gold exactly. Metrics are scored two ways: per case (the whole
list equal) and per quantity, matching (value, unit, qualifier, label) tuples in text order as
multisets (precision, recall, F1), and values alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from graph.reader.casebook import read_casebooks

SKIP = {"case_no", "partners"}


def _project(read: Any, gold: Any) -> Any:
    """A list of objects keeps only the keys the gold gives (metrics have no ``text`` there)."""
    if isinstance(read, list) and isinstance(gold, list) and gold and isinstance(gold[0], dict):
        keys = set().union(*gold)
        return [{k: v for k, v in item.items() if k in keys} for item in read]
    return read


def _tuples(metrics: list[dict[str, Any]], keys: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(m.get(k) for k in keys) for m in metrics)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(gold: list[dict[str, Any]], records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-field accuracy, metric P/R/F1 and the list of mismatches."""
    if len(gold) != len(records):
        raise SystemExit(f"gold has {len(gold)} cases, the reader found {len(records)}")
    fields = sorted({k for case in gold for k in case} - SKIP)
    right: Counter[str] = Counter()
    wrong: list[dict[str, Any]] = []
    counts = {"full": [0, 0, 0], "value": [0, 0, 0]}
    for n, (want, got) in enumerate(zip(gold, records, strict=True), 1):
        for field in fields:
            if field not in want:
                continue
            if _project(got.get(field), want[field]) == want[field]:
                right[field] += 1
            else:
                wrong.append({"case": want.get("case_no", n), "field": field,
                              "gold": want[field], "read": got.get(field)})  # fmt: skip
        for name, keys in (("full", ("value", "unit", "qualifier", "label")),
                           ("value", ("value",))):  # fmt: skip
            g, p = _tuples(want.get("metrics", []), keys), _tuples(got["metrics"], keys)
            counts[name][0] += sum((g & p).values())
            counts[name][1] += sum(p.values())
            counts[name][2] += sum(g.values())
    per_field = {f: right[f] / sum(f in c for c in gold) for f in fields}
    return {
        "cases": len(gold),
        "fields": per_field,
        "all_fields_macro": sum(per_field.values()) / len(per_field),
        "metrics_quantities": {k: _prf(*v) | {"tp": v[0], "read": v[1], "gold": v[2]}
                               for k, v in counts.items()},
        "mismatches": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("text", type=Path)
    parser.add_argument("--json", type=Path, help="write the full result here")
    parser.add_argument("--show", type=int, default=0, help="print this many mismatches")
    args = parser.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    records = read_casebooks([args.text]).records
    result = score(gold, records)
    print(f"{args.text.name}: {result['cases']} cases")
    print(f"{'field':<24} accuracy")
    for field, acc in result["fields"].items():
        print(f"{field:<24} {acc:.3f}")
    print(f"{'(macro average)':<24} {result['all_fields_macro']:.3f}")
    for name, m in result["metrics_quantities"].items():
        print(f"metric quantities ({name}): P {m['precision']:.3f} R {m['recall']:.3f} "
              f"F1 {m['f1']:.3f} ({m['tp']} of {m['gold']} gold, {m['read']} read)")
    for miss in result["mismatches"][: args.show]:
        if miss["field"] == "metrics":  # only the quantities that differ
            gold_set = [json.dumps(m, ensure_ascii=False, sort_keys=True) for m in miss["gold"]]
            read_set = [json.dumps(m, ensure_ascii=False, sort_keys=True)
                        for m in _project(miss["read"], miss["gold"])]
            miss = {**miss, "gold": [m for m in gold_set if m not in read_set],
                    "read": [m for m in read_set if m not in gold_set]}
        line = json.dumps(miss, ensure_ascii=False)
        print(line if len(line) < 2000 else line[:2000] + "…")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
