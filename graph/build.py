"""The whole build: casebooks → records → exports, written all-or-nothing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.casebook import FileCache, ReadResult, read_casebooks
from graph.network import build_network, export_graphml
from graph.partners import resolve_partners, shared_partners
from graph.paths import CASES_JSON, NETWORK_GRAPHML, NETWORK_HTML, TRIG_FILE, TURTLE_FILE
from graph.rdf import KnowledgeGraph, build_graph, export_trig, export_turtle
from graph.validate import check_graph
from graph.view import render_html
from graph.vocab import dump_json


@dataclass
class BuildResult:
    """What a build produced: records, the files to write, and facts for the summary."""

    read: ReadResult
    outputs: dict[str, bytes] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    graph: KnowledgeGraph | None = None
    graph_warnings: list[str] = field(default_factory=list)


def cases_json(read: ReadResult) -> bytes:
    """The public JSON of the records (see README, "The record")."""
    return dump_json({"source": read.sources, "cases": read.records}).encode("utf-8")


def summarise(read: ReadResult) -> dict[str, Any]:
    """Counts for the build summary."""
    records = read.records
    return {
        "cases": len(records),
        "organisations": len({r["org_name"] for r in records}),
        "municipalities": len({m for r in records for m in r["region_municipalities"]}),
        "prefectures": len({p for r in records for p in r["region_prefectures"]}),
        "warnings": len(read.warnings),
        "partners": sum(len(r["partners"]) for r in records),
        "shared": shared_partners(records),
    }


def run_build(
    inputs: Iterable[Path],
    progress: Callable[..., Any] | None = None,
    cache: FileCache | None = None,
) -> BuildResult:
    """Read the casebooks and render every export in memory; nothing is written here."""
    read = read_casebooks(inputs, progress, cache)
    resolve_partners(read.records)
    result = BuildResult(read)
    result.outputs[CASES_JSON] = cases_json(read)
    kg = build_graph(read.records)
    result.graph_warnings = list(kg.warnings)
    check_graph(kg)  # raises ValidationError: a graph that breaks the shapes is not exported
    result.outputs[TURTLE_FILE] = export_turtle(kg)
    result.outputs[TRIG_FILE] = export_trig(kg)
    result.graph = kg
    net = build_network(kg)
    result.outputs[NETWORK_HTML] = render_html(net).encode("utf-8")
    result.outputs[NETWORK_GRAPHML] = export_graphml(net)
    result.summary = summarise(read)
    result.summary["triples"] = len(kg)
    return result


def write_outputs(outputs: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write all files or none: each goes to a temporary file first, then all are renamed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in sorted(outputs.items()):
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            staged.append((name, Path(tmp_name)))
    except BaseException:
        for _, tmp_path in staged:
            tmp_path.unlink(missing_ok=True)
        raise
    written = []
    for name, tmp_path in staged:
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, out_dir / name)
        written.append(out_dir / name)
    return written
