"""The synthetic casebook generator: deterministic, and read by the reader as intended."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from graph.reader.casebook import read_casebooks
from tests.repo import ROOT

# benchmarks/ is not an installed package; pyproject's pytest pythonpath = ["."] would do this.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate, generate_casebook

# Fields whose intended value the generator knows exactly.
FIELDS = (
    "org_name", "legal_form", "initiative_title", "region_text", "region_prefectures",
    "region_municipalities", "region_note", "activity_primary", "activity_secondary",
    "target_primary", "target_secondary", "representative", "founded", "incorporated",
    "staff_count", "website", "address_prefecture", "address_municipality", "postal_code",
)  # fmt: skip


@pytest.mark.parametrize(("cases", "seed"), [(50, 1), (50, 20240), (15, 7)])
def test_reader_reads_generated_casebook_as_intended(tmp_path: Path, cases: int, seed: int) -> None:
    """Zero warnings, zero notices, one record per case, every intended field as generated."""
    synthetic = generate(cases, seed)
    path = tmp_path / f"synthetic-{seed}.txt"
    path.write_text(synthetic.text, encoding="utf-8")
    result = read_casebooks([path])
    assert result.notices == []
    assert result.warnings == []
    assert len(result.records) == cases
    problems = [
        f"case {want['ordinal']} {name}: read {rec[name]!r}, meant {want[name]!r}"
        for rec, want in zip(result.records, synthetic.intended, strict=True)
        for name in FIELDS
        if rec[name] != want[name]
    ]
    for rec, want in zip(result.records, synthetic.intended, strict=True):
        read_values = [m["value"] for m in rec["metrics"]]
        missing = [v for v in want["metric_values"] if v not in read_values]
        if missing:
            problems.append(f"case {want['ordinal']} metrics: {missing} not read")
        for partner in want["partners"]:
            # Partner names stay in the raw cell (a 志木市A課・B課 run writes the city once).
            if partner.split("市")[-1] not in (rec["partners_text"] or ""):
                problems.append(f"case {want['ordinal']} partner {partner} not in partners_text")
    assert not problems, "\n".join(problems)


def test_same_seed_same_bytes() -> None:
    """A seed fixes the file byte for byte; another seed changes it."""
    assert generate_casebook(30, 5) == generate_casebook(30, 5)
    assert generate_casebook(30, 5) != generate_casebook(30, 6)


def test_variety() -> None:
    """The layouts and places the benchmark is meant to exercise do occur."""
    synthetic = generate(300, 11)
    intended = synthetic.intended
    assert any(not i["region_municipalities"] for i in intended)  # prefecture only
    assert any(len(i["region_municipalities"]) == 2 for i in intended)
    assert any("市" in m[:-1] and m.endswith("区") for i in intended
               for m in i["region_municipalities"])  # fmt: skip
    assert any(i["incorporated"] for i in intended)
    assert len({i["org_name"] for i in intended}) < len(intended)  # one org, two initiatives
    text = synthetic.text
    for fragment in ("団 体 名：", "中高 年者", "<ul style=", "（２）", "【", "団体概要", ":"):
        assert fragment in text, fragment
    uses: dict[str, int] = {}
    for i in intended:
        for partner in i["partners"]:
            uses[partner] = uses.get(partner, 0) + 1
    counts = sorted(uses.values(), reverse=True)
    assert counts[0] >= 10 and counts.count(1) > len(counts) / 2  # heavy tail
