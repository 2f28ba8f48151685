"""The whole build: casebooks → records → exports, written all-or-nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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
from graph.validate.shacl import ValidationError, validate_graph
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


# Above this many quads the TriG export runs in a forked worker beside the main process; below
# it forking costs more than it saves. The graph is a few large byte strings, which the worker
# reads without touching, so they stay shared with the parent (no copy per worker).
PARALLEL_MIN_QUADS = 200_000

# The graph that the forked worker reads (inherited from the parent, never pickled).
_SHARED: KnowledgeGraph | None = None


def _job(name: str) -> Any:
    kg = _SHARED
    assert kg is not None
    if name == TRIG_FILE:
        return export_trig(kg)
    raise ValueError(name)


def _network_outputs(kg: KnowledgeGraph) -> dict[str, bytes]:
    net = build_network(kg)
    return {NETWORK_HTML: render_html(net).encode("utf-8"), NETWORK_GRAPHML: export_graphml(net),
            NETWORK_GEXF: export_gexf(net)}


def render_graph(kg: KnowledgeGraph, parallel: bool | None = None,
                 store_dir: Path | None = None) -> dict[str, bytes]:
    """Validate the graph and render its exports; raises ValidationError on a violation.

    ``parallel`` (default: when the graph is large) validates in a thread (the SPARQL checks
    run in Oxigraph, which releases the GIL) and writes TriG in a forked worker while this
    process writes Turtle and the network view; the bytes are the same either way.
    """
    global _SHARED
    if parallel is None:
        parallel = len(kg.quads) >= PARALLEL_MIN_QUADS and "fork" in get_all_start_methods()
    union = kg.union_lines()  # for Turtle; also counts the triples the report states
    if not parallel:
        report = validate_graph(kg, store_dir=store_dir)
        if not report.conforms:  # a graph that breaks the shapes is not exported
            raise ValidationError(report)
        outputs = {TURTLE_FILE: export_turtle(kg, union), TRIG_FILE: export_trig(kg)}
        del union
        outputs.update(_network_outputs(kg))
        return outputs
    _SHARED = kg
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool, \
                ThreadPoolExecutor(max_workers=1) as thread:
            trig = pool.submit(_job, TRIG_FILE)
            validation = thread.submit(validate_graph, kg, store_dir=store_dir)
            outputs = {TURTLE_FILE: export_turtle(kg, union)}
            del union
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
    store_dir: Path | None = None,
) -> BuildResult:
    """Read the casebooks and render every export in memory; nothing is written here except,
    with ``store_dir`` (an empty or new directory), the on-disk Oxigraph store validated.

    ``on_read`` sees the records as soon as they are read, before any later stage can fail,
    so the reader's warnings reach the user first (it may raise to stop the build).
    """
    with gc_paused():
        return _run_build(
            inputs, progress, cache, parallel, corpus_root, on_read, max_file_size, store_dir
        )


def _run_build(
    inputs: Iterable[Path],
    progress: Callable[..., Any] | None,
    cache: FileCache | None,
    parallel: bool | None,
    corpus_root: Path | None,
    on_read: Callable[[ReadResult], None] | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    store_dir: Path | None = None,
) -> BuildResult:
    read = read_casebooks(inputs, progress, cache, corpus_root, max_file_size)
    if on_read is not None:
        on_read(read)
    resolve_partners(read.records)
    result = BuildResult(read)
    result.outputs[CASES_JSON] = cases_json(read)
    kg = build_graph(read.records)
    result.graph_warnings = list(kg.warnings)
    result.outputs.update(render_graph(kg, parallel, store_dir))
    result.graph = kg
    result.summary = summarise(read)
    result.summary["triples"] = len(kg)
    return result


def install_store(staged: Path, target: Path) -> None:
    """Put a store built in ``staged`` at ``target``, replacing the store there (after the
    exports were written, so a failed build leaves the old store as it was)."""
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(staged, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)


def write_outputs(outputs: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write all files or none, as one set (see :mod:`graph.output`)."""
    return write_export_set(outputs, out_dir)
