"""Quality of partner extraction against a gold file.

``python -m graph.partners.evaluate GOLD TEXT [GOLD TEXT …] [-v] [--cases odd|even|all]`` reads
each casebook, extracts the partners of every case and scores them (all pairs together)
against its ``GOLD``, a JSON array with one
object per case in file order (``case_no``, ``partners``: mention, canonical, category,
municipality, generic, role), the format of the development sets.

Figures (micro-averaged over the cases scored):

- canonical P/R/F1 over non-generic partners, one entry per body per case (a set per case);
- mention P/R/F1 over all partners;
- category, generic, municipality and role accuracy over the gold entries that were found
  (matched by canonical name for named bodies, by mention for the rest);
- the misses, each given an error class (see :func:`error_class`).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.text.normalize import key
from graph.text.vocab import load_json

Partner = dict[str, Any]
Lists = dict[str, list[Partner]]
# A legal form is written in many ways; for classifying a miss only.
_LEGAL_NOISE = ("株式会社", "(株)", "有限会社", "(有)", "一般社団法人", "(一社)", "公益社団法人",
                "(公社)", "一般財団法人", "(一財)", "公益財団法人", "(公財)", "社会福祉法人",
                "(福)", "認定NPO法人", "NPO法人", "特定非営利活動法人", "合同会社")


def _set(partners: list[Partner], field: str, non_generic_only: bool) -> Counter[str]:
    if non_generic_only:  # one entry per body: a set
        return Counter({key(p[field]): 1 for p in partners if not p.get("generic")})
    return Counter(key(p[field]) for p in partners)


def _items(lists: Lists, field: str, non_generic_only: bool) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for case_id, partners in lists.items():
        for name, n in _set(partners, field, non_generic_only).items():
            out[(case_id, name)] += n
    return out


def _prf(expected: Counter[Any], predicted: Counter[Any]) -> dict[str, Any]:
    tp = sum((expected & predicted).values())
    fp = sum(predicted.values()) - tp
    fn = sum(expected.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _pairs(expected: list[Partner], predicted: list[Partner]) -> list[tuple[Partner, Partner]]:
    """Gold entries with the predicted entry that stands for the same body."""
    by_canonical = {key(p["canonical"]): p for p in predicted if not p.get("generic")}
    by_mention = {key(p["mention"]): p for p in predicted}
    by_any = {**{key(p["canonical"]): p for p in predicted}, **by_canonical}
    out = []
    for gold in expected:
        if not gold.get("generic"):
            found = by_canonical.get(key(gold["canonical"]))
        else:
            found = by_mention.get(key(gold["mention"])) or by_any.get(key(gold["canonical"]))
        if found is not None:
            out.append((gold, found))
    return out


def _accuracy(pairs: list[tuple[Partner, Partner]], field: str) -> dict[str, Any]:
    right = sum(1 for gold, got in pairs if gold.get(field) == got.get(field))
    return {"accuracy": right / len(pairs) if pairs else 1.0, "right": right, "of": len(pairs)}


def score(expected: Lists, predicted: Lists) -> dict[str, dict[str, Any]]:
    """Every figure of the module docstring; only the cases of ``expected`` count."""
    predicted = {case_id: predicted.get(case_id, []) for case_id in expected}
    pairs = [pair for case_id in expected
             for pair in _pairs(expected[case_id], predicted[case_id])]
    figures = {
        field: _prf(_items(expected, field, field == "canonical"),
                    _items(predicted, field, field == "canonical"))
        for field in ("canonical", "mention")
    }
    for field in ("category", "generic", "municipality", "role"):
        figures[field] = _accuracy(pairs, field)
    return figures


def _bare(name: str) -> str:
    for form in _LEGAL_NOISE:
        name = name.replace(form, "")
    return name


def error_class(name: str, missed: bool, others: list[str], gold: list[Partner]) -> str:
    """Why a partner was missed (``missed``) or extra, from the names on the other side.

    ``others`` are the extra names when ``name`` was missed, the missed names when it is extra.
    """
    if any(_bare(name) == _bare(o) for o in others):
        return "legal form"
    if "(" in name or any("(" in o and (name in o or o in name) for o in others):
        return "parenthesis"
    if missed:
        for p in gold:
            if key(p["canonical"]) == name and key(p["mention"]) != name:
                if any(key(p["mention"]) == o or o.endswith(key(p["mention"])) for o in others):
                    return "context (shorthand not completed)"
        containing = [o for o in others if name in o and o != name]
        if containing:
            glued = containing[0]
            if any(g != name and key(g["canonical"]) in glued for g in gold):
                return "conjunction (not split)"
            return "boundary (text kept before/after the name)"
        if any(o in name for o in others if len(o) >= 2):
            return "boundary (name cut)"
        return "not found"
    golds = [key(p["canonical"]) for p in gold]
    inside = [g for g in golds if g in name and g != name]
    if len(inside) >= 2:
        return "conjunction (not split)"
    if inside:
        return "boundary (text kept before/after the name)"
    if any(name in g for g in golds):
        return "boundary (name cut)"
    if any(name.endswith(g[-3:]) for g in others if len(g) >= 3):
        return "context (completed wrongly)"
    return "not a body (fragment or generic taken as named)"


@dataclass
class Miss:
    case_id: str
    field: str  # canonical / mention / category / generic / municipality
    kind: str  # "-" missed, "+" extra, "≠" matched with a different value
    name: str
    error: str
    detail: str = ""

    def line(self) -> str:
        extra = f"  [{self.detail}]" if self.detail else ""
        return f"{self.case_id} {self.kind} {self.name}  ({self.error}){extra}"


def misses(expected: Lists, predicted: Lists) -> list[Miss]:
    """Every miss, extra and wrong value, each with its error class."""
    out: list[Miss] = []
    for case_id, gold in expected.items():
        got = predicted.get(case_id, [])
        for field in ("canonical", "mention"):
            non_generic = field == "canonical"
            exp, pred = _set(gold, field, non_generic), _set(got, field, non_generic)
            lost, extra = list((exp - pred).elements()), list((pred - exp).elements())
            out += [Miss(case_id, field, "-", n, error_class(n, True, extra, gold)) for n in lost]
            out += [Miss(case_id, field, "+", n, error_class(n, False, lost, gold)) for n in extra]
        for g, p in _pairs(gold, got):
            for field in ("category", "generic", "municipality", "role"):
                if g.get(field) != p.get(field):
                    out.append(Miss(case_id, field, "≠", g["canonical"], field,
                                    f"gold {g.get(field)} got {p.get(field)}"))
    return out


def differences(expected: Lists, predicted: Lists, field: str = "canonical") -> list[str]:
    """Readable lines for every missed (-) and extra (+) partner of ``field``, per case."""
    return [m.line() for m in misses(expected, predicted) if m.field == field]


def load_gold(path: Path, case_ids: list[str]) -> Lists:
    """A gold array (one object per case, ``case_no`` from 1 in file order) keyed by case id."""
    gold = load_json(path)
    if isinstance(gold, dict):  # {case_id: [partners]}
        return {cid: list(v) for cid, v in gold.items()}
    out: Lists = {}
    for entry in gold:
        number = int(entry["case_no"])
        if not 1 <= number <= len(case_ids):
            raise ValueError(f"{path}: case_no {number} but the text has {len(case_ids)} cases")
        out[case_ids[number - 1]] = list(entry.get("partners") or [])
    return out


def select(case_ids: list[str], which: str) -> list[str]:
    """The case ids of ``which`` half (odd / even case numbers, from 1) or all of them."""
    if which == "all":
        return case_ids
    parity = 1 if which == "odd" else 0
    return [cid for i, cid in enumerate(case_ids, 1) if i % 2 == parity]


def evaluate(
    gold_file: Path, text_file: Path, which: str = "all", rules: Any = None
) -> tuple[dict[str, dict[str, Any]], Lists, Lists]:
    """Read ``text_file``, extract partners and score them against ``gold_file``."""
    from graph.partners.extract import extract_partners
    from graph.reader.casebook import read_casebooks

    records = read_casebooks([text_file]).records
    case_ids = [rec["case_id"] for rec in records]
    chosen = set(select(case_ids, which))
    expected = {cid: v for cid, v in load_gold(gold_file, case_ids).items() if cid in chosen}
    predicted = {
        rec["case_id"]: extract_partners(rec, rules=rules)
        for rec in records if rec["case_id"] in expected
    }
    return score(expected, predicted), expected, predicted


def report(figures: dict[str, dict[str, Any]]) -> str:
    """The figures as text, one line each."""
    lines = []
    for name, label in (("canonical", "canonical (non-generic)"), ("mention", "mention (all)")):
        f = figures[name]
        lines.append(f"{label:26} P={f['precision']:.3f} R={f['recall']:.3f} F1={f['f1']:.3f}"
                     f"  (tp={f['tp']} fp={f['fp']} fn={f['fn']})")
    for name in ("category", "generic", "municipality", "role"):
        f = figures[name]
        lines.append(f"{name + ' accuracy':26} {f['accuracy']:.3f}  ({f['right']}/{f['of']})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the figures (and the misses by error class with ``-v``)."""
    parser = argparse.ArgumentParser(prog="python -m graph.partners.evaluate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="+", metavar="GOLD TEXT",
                        help="pairs of gold file and casebook, scored together")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    parser.add_argument("--cases", choices=("all", "odd", "even"), default="all",
                        help="score only the odd or even case numbers")
    args = parser.parse_args(argv)
    if len(args.files) % 2:
        parser.error("give pairs of GOLD TEXT")
    expected: Lists = {}
    predicted: Lists = {}
    for gold, text in zip(args.files[::2], args.files[1::2], strict=True):
        _, exp, pred = evaluate(gold, text, args.cases)
        expected.update(exp)
        predicted.update(pred)
    names = ", ".join(p.name for p in args.files[1::2])
    sys.stdout.write(f"{names}: {len(expected)} cases ({args.cases})\n")
    sys.stdout.write(report(score(expected, predicted)))
    if args.verbose:
        found = misses(expected, predicted)
        classes = Counter(m.error for m in found if m.field == "canonical")
        sys.stdout.write("canonical misses by error class: "
                         + ", ".join(f"{k} {v}" for k, v in classes.most_common()) + "\n")
        for m in sorted(found, key=lambda m: (m.field, m.error, m.case_id)):
            sys.stdout.write(f"[{m.field}] {m.line()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
