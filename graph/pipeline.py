"""The whole build: casebooks → records → exports, written all-or-nothing."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from graph.network import (
    build_network,
    export_gexf,
    export_graphml,
    gephi_attributes,
    write_gexf,
    write_graphml,
)
from graph.output import write_export_set
from graph.parallel import gc_paused
from graph.partners.extract import resolve_partners, shared_partners
from graph.rdf.build import KnowledgeGraph, build_graph, consumed, write_trig, write_turtle
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
    """What a build produced: records, the files to write, and facts for the summary.

    ``outputs`` maps each export file name to its bytes or, for a large graph, to the
    :class:`~pathlib.Path` of the finished file in ``spool`` (a temporary directory removed
    when the result is dropped): see :data:`LEAN_MIN_CASES`. A large build also drops the
    records once ``cases.json``, the summary and the graph are made (``read.records`` is then
    empty and ``records_dropped`` true; the counts are in ``summary``), unless
    ``keep_records`` was asked for.
    """

    read: ReadResult
    outputs: dict[str, bytes | Path] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    graph: KnowledgeGraph | None = None
    graph_warnings: list[str] = field(default_factory=list)
    records_dropped: bool = False
    spool: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False,
                                                           compare=False)

    def output_bytes(self, name: str) -> bytes:
        """One export's bytes, whether held in memory or spooled to a file."""
        value = self.outputs[name]
        return value.read_bytes() if isinstance(value, Path) else value


def release_memory() -> None:
    """Give the heap memory freed by a finished stage back to the system (glibc's
    ``malloc_trim``), so the next stage does not grow on top of it; a no-op elsewhere.

    Oxigraph's in-memory store and the records' strings leave large free holes in the C heap
    that the allocator keeps; the network stage then adds its own on top of them.
    """
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL("libc.so.6")
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC: Any = None


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


# From this many cases (about 200,000 quads) the build is lean in memory (a national corpus
# must fit beside the graph itself): Turtle, TriG and cases.json are streamed into spooled
# files instead of being held as bytes (the network exports too, each as soon as it is made),
# the stages run one after another so the sorted union, the validation store and the network
# are never alive together, and once cases.json and the summary are made the records are
# handed to the graph build one by one and released as soon as their statements are made.
# Decided on the case count, before the graph exists, so the records need not outlive it.
# The files are the same bytes either way.
LEAN_MIN_CASES = 2_000

# The graph that the forked worker reads (inherited from the parent, never pickled).
_SHARED: KnowledgeGraph | None = None


def _job(name: str, output: Path | None = None) -> Any:
    kg = _SHARED
    assert kg is not None
    if name == TRIG_FILE:
        return write_trig(kg, output)
    raise ValueError(name)


def _network_outputs(kg: KnowledgeGraph, spool: Path | None = None) -> dict[str, bytes | Path]:
    """The network view and its Gephi exports: bytes, or with ``spool`` files written there.

    Spooled, GraphML and GEXF are streamed into their files element by element and the page
    written as soon as it is made, so no export is held beside the network; the Gephi
    attributes (layout, prefectures, targets) are computed once for both exports.
    """
    net = build_network(kg)
    if spool is None:
        extra = gephi_attributes(net)
        return {
            NETWORK_HTML: render_html(net).encode("utf-8"),
            NETWORK_GRAPHML: export_graphml(net, extra=extra),
            NETWORK_GEXF: export_gexf(net, extra=extra),
        }
    (spool / NETWORK_HTML).write_bytes(render_html(net).encode("utf-8"))
    extra = gephi_attributes(net)
    write_graphml(net, spool / NETWORK_GRAPHML, extra=extra)
    write_gexf(net, spool / NETWORK_GEXF, extra=extra)
    return {name: spool / name for name in (NETWORK_HTML, NETWORK_GRAPHML, NETWORK_GEXF)}


def render_graph(kg: KnowledgeGraph, parallel: bool | None = None,
                 store_dir: Path | None = None,
                 spool: Path | None = None) -> dict[str, bytes | Path]:
    """Validate the graph and render its exports; raises ValidationError on a violation.

    ``parallel`` validates in a thread (the SPARQL checks run in Oxigraph, which releases the
    GIL) and writes TriG in a forked worker while this process writes Turtle and the network
    view; the default, sequential, holds one large intermediate at a time (a forked worker's
    copied pages and three stages' data at once cost more memory than the overlap saves time
    on two shared cores; see benchmarks/README.md). ``spool``: a directory where Turtle and
    TriG are streamed, the network exports written, into files (their paths are returned in
    place of the bytes). The bytes
    are the same every way.
    """
    global _SHARED
    turtle_out = spool / TURTLE_FILE if spool is not None else None
    trig_out = spool / TRIG_FILE if spool is not None else None
    # Opt-in: the forked worker's copied pages and three stages' data at once cost more
    # memory than the overlap saves time (measured in benchmarks/README.md, "The lean build").
    # The graph is a few large byte strings, which the worker reads without touching.
    parallel = bool(parallel) and "fork" in get_all_start_methods()
    outputs: dict[str, bytes | Path] = {}
    if not parallel:
        union = kg.union_lines()  # for Turtle; also counts the triples the report states
        outputs[TURTLE_FILE] = write_turtle(kg, turtle_out, union)
        del union  # freed before the validation store is loaded
        release_memory()
        report = validate_graph(kg, store_dir=store_dir)
        if not report.conforms:  # a graph that breaks the shapes is not exported
            raise ValidationError(report)
        del report
        release_memory()  # the store's heap, before the network grows on top of it
        outputs[TRIG_FILE] = write_trig(kg, trig_out)
        outputs.update(_network_outputs(kg, spool))
        return outputs
    _SHARED = kg
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool, \
                ThreadPoolExecutor(max_workers=1) as thread:
            trig = pool.submit(_job, TRIG_FILE, trig_out)
            union = kg.union_lines()
            validation = thread.submit(validate_graph, kg, store_dir=store_dir)
            outputs[TURTLE_FILE] = write_turtle(kg, turtle_out, union)
            del union
            outputs.update(_network_outputs(kg, spool))
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
    lean: bool | None = None,
    keep_records: bool = False,
) -> BuildResult:
    """Read the casebooks and render every export; nothing is written to the exports here
    (large ones go to a temporary spool, see :data:`LEAN_MIN_CASES`; ``lean`` forces it on
    or off) except, with ``store_dir`` (an empty or new directory), the on-disk Oxigraph
    store validated.

    ``on_read`` sees the records as soon as they are read, before any later stage can fail,
    so the reader's warnings reach the user first (it may raise to stop the build).
    ``keep_records``: keep ``result.read.records`` even in a lean build.
    """
    with gc_paused():
        return _run_build(inputs, progress, cache, parallel, corpus_root, on_read,
                          max_file_size, store_dir, lean, keep_records)


def _run_build(
    inputs: Iterable[Path],
    progress: Callable[..., Any] | None,
    cache: FileCache | None,
    parallel: bool | None,
    corpus_root: Path | None,
    on_read: Callable[[ReadResult], None] | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    store_dir: Path | None = None,
    lean: bool | None = None,
    keep_records: bool = False,
) -> BuildResult:
    read = read_casebooks(inputs, progress, cache, corpus_root, max_file_size)
    if on_read is not None:
        on_read(read)
    resolve_partners(read.records)
    result = BuildResult(read)
    result.summary = summarise(read)
    data = cases_json(read)
    if lean is None:
        lean = len(read.records) >= LEAN_MIN_CASES
    spool: Path | None = None
    try:
        if lean:
            result.spool = tempfile.TemporaryDirectory(prefix="tsunagari-spool-")
            spool = Path(result.spool.name)
            (spool / CASES_JSON).write_bytes(data)
            result.outputs[CASES_JSON] = spool / CASES_JSON
        else:
            result.outputs[CASES_JSON] = data
        del data
        if lean and not keep_records:  # everything later reads the graph, not the records
            records = read.records
            result.read = ReadResult([], read.sources, read.notices)
            result.records_dropped = True
            del read
            kg = build_graph(consumed(records))  # each record freed once it is statements
            del records
            release_memory()
        else:
            kg = build_graph(read.records)
        result.graph_warnings = list(kg.warnings)
        result.outputs.update(render_graph(kg, parallel, store_dir, spool))
    except BaseException:
        if result.spool is not None:
            result.spool.cleanup()
        raise
    result.graph = kg
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


def write_outputs(outputs: Mapping[str, bytes | Path], out_dir: Path) -> list[Path]:
    """Write all files or none, as one set (see :mod:`graph.output`)."""
    return write_export_set(outputs, out_dir)
