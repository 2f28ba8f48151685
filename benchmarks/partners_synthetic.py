"""Partner extraction scored against the bodies the synthetic generator wrote.

    python -m benchmarks.partners_synthetic --cases 500 --seed 3 [--examples 5]

Precision, recall and F1 of the extracted names (legal forms stripped, as in ``canonical``)
against each synthetic case's intended partner list; generic extractions count as hits when
intended, and are not counted as false positives.
"""

from __future__ import annotations

import argparse
import collections

from benchmarks.generate import generate
from graph.partners.extract import load_rules, resolve_partners, strip_legal_form
from graph.reader.casebook import read_casebook_text
from graph.text.normalize import key, norm_name


def score(cases: int, seed: int, examples: int = 0) -> dict[str, float]:
    """Scores of one synthetic corpus; prints the commonest misses and extras."""
    syn = generate(cases, seed)
    records, _ = read_casebook_text(syn.text, "synthetic.txt", "synthetic")
    resolve_partners(records)
    tp = fp = fn = 0
    misses: list[str] = []
    extras: list[str] = []
    shown = 0
    for rec, want in zip(records, syn.intended, strict=True):
        wanted = {key(strip_legal_form(load_rules(), norm_name(x))[0]) for x in want["partners"]}
        found = {key(p["canonical"]): p for p in rec["partners"]}
        specific = {k for k, p in found.items() if not p["generic"]}
        tp += len(wanted & set(found))
        fn += len(wanted - set(found))
        fp += len(specific - wanted)
        misses += sorted(wanted - set(found))
        extras += sorted(specific - wanted)
        if (wanted - set(found) or specific - wanted) and shown < examples:
            shown += 1
            print("missed", sorted(wanted - set(found)), "extra", sorted(specific - wanted))
            print("   text:", rec["partners_text"][:400].replace("\n", " | "))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"P={precision:.3f} R={recall:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn})")
    print("commonest misses:", collections.Counter(misses).most_common(10))
    print("commonest extras:", collections.Counter(extras).most_common(10))
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    score(args.cases, args.seed, args.examples)


if __name__ == "__main__":
    main()
