"""The whole build: casebooks → records → exports, written all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from graph.network import build_network, export_gexf, export_graphml
from graph.output import write_export_set
from graph.parallel import gc_paused
from graph.partners.extract import resolve_partners, shared_partners
from graph.rdf.build import KnowledgeGraph, build_graph, export_trig, export_turtle
from graph.reader.casebook import DEFAULT_MAX_FILE_SIZE, FileCache, ReadResult, read_casebooks
from graph.resources import (
    CASES_JSON,
    NETWORK_GEXF,
    NETWORK_GRAPHML,
    NETWORK_HTML,
    TRIG_FILE,
    TURTLE_FILE,
)
from graph.text.vocab import dump_json
from graph.validate.shacl import ValidationError, check_graph, validate_graph
from graph.view.render import render_html


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


# Above this many quads the graph's exports and validation run in two forked workers beside
# the main process; below it forking costs more than it saves.
PARALLEL_MIN_QUADS = 200_000

# The graph that forked workers read (inherited from the parent, never pickled).
_SHARED: KnowledgeGraph | None = None


def _job(name: str) -> Any:
    kg = _SHARED
    assert kg is not None
    if name == "validate":
        return validate_graph(kg)
    if name == TRIG_FILE:
        return export_trig(kg)
    raise ValueError(name)


def _network_outputs(kg: KnowledgeGraph) -> dict[str, bytes]:
    net = build_network(kg)
    return {NETWORK_HTML: render_html(net).encode("utf-8"), NETWORK_GRAPHML: export_graphml(net),
            NETWORK_GEXF: export_gexf(net)}


def render_graph(kg: KnowledgeGraph, parallel: bool | None = None) -> dict[str, bytes]:
    """Validate the graph and render its exports; raises ValidationError on a violation.

    ``parallel`` (default: when the graph is large) runs validation and the TriG export in
    forked workers while this process writes Turtle and the network view; the bytes are the
    same either way.
    """
    global _SHARED
    if parallel is None:
        parallel = len(kg.quads) >= PARALLEL_MIN_QUADS and "fork" in get_all_start_methods()
    if not parallel:
        check_graph(kg)  # a graph that breaks the shapes is not exported
        outputs = {TURTLE_FILE: export_turtle(kg), TRIG_FILE: export_trig(kg)}
        outputs.update(_network_outputs(kg))
        return outputs
    _SHARED = kg
    try:
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
            validation = pool.submit(_job, "validate")
            trig = pool.submit(_job, TRIG_FILE)
            outputs = {TURTLE_FILE: export_turtle(kg)}
            outputs.update(_network_outputs(kg))
            report = validation.result()
            if not report.conforms:
                trig.cancel()
                raise ValidationError(report)
            outputs[TRIG_FILE] = trig.result()
    finally:
        _SHARED = None
    return outputs


def run_build(
    inputs: Iterable[Path],
    progress: Callable[..., Any] | None = None,
    cache: FileCache | None = None,
    parallel: bool | None = None,
    corpus_root: Path | None = None,
    on_read: Callable[[ReadResult], None] | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> BuildResult:
    """Read the casebooks and render every export in memory; nothing is written here.

    ``on_read`` sees the records as soon as they are read, before any later stage can fail,
    so the reader's warnings reach the user first (it may raise to stop the build).
    """
    with gc_paused():
        return _run_build(inputs, progress, cache, parallel, corpus_root, on_read, max_file_size)


def _run_build(
    inputs: Iterable[Path],
    progress: Callable[..., Any] | None,
    cache: FileCache | None,
    parallel: bool | None,
    corpus_root: Path | None,
    on_read: Callable[[ReadResult], None] | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> BuildResult:
    read = read_casebooks(inputs, progress, cache, corpus_root, max_file_size)
    if on_read is not None:
        on_read(read)
    resolve_partners(read.records)
    result = BuildResult(read)
    result.outputs[CASES_JSON] = cases_json(read)
    kg = build_graph(read.records)
    result.graph_warnings = list(kg.warnings)
    result.outputs.update(render_graph(kg, parallel))
    result.graph = kg
    result.summary = summarise(read)
    result.summary["triples"] = len(kg)
    return result


def write_outputs(outputs: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write all files or none, as one set (see :mod:`graph.output`)."""
    return write_export_set(outputs, out_dir)
