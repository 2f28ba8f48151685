"""Stage-by-stage benchmark of the build over synthetic casebooks, each stage beside its floor.

    python -m benchmarks.run --sizes 1000,10000,100000 --json benchmarks/results.json

For each size a casebook is generated (cached under the temp dir, keyed by size, seed and the
generator's source), then a fresh worker process runs every stage of the build on its own, in
the lean build's order — read, partner resolution, cases.json, graph build (consuming the
records), Turtle, store load, each bundled SPARQL query in process, validation, TriG, the
on-disk store that ``build --store`` keeps, network build and analysis, HTML, GraphML, GEXF —
and times it next to its *floor*: the least work that stage cannot avoid, measured on the same
data (reading and splitting the bytes, one NFKC pass, the C JSON encoder, Oxigraph alone
parsing and serialising the same statements, one scan of every triple …; each row names its
floor). Each stage's inputs and outputs are released as soon as no later stage needs them, as
in the build (exports go to temporary files), so a national-scale size fits the machine; the
worker's own wall time, CPU time and peak PSS form its last row (``benchmarks/pss.py``).
Then each bundled query runs through ``tsunagari query --store DIR`` in its own process
(seconds include starting Python and opening the store), and the whole ``python -m graph
build`` runs in its own process for wall time, CPU time and the peak memory of all its
processes together (PSS); the growth from one size to the next is reported as ratios. Up to
``--baseline-max`` cases the same queries and serialisations are also done the plain way
(rdflib) and reported as a ratio.

Stages come from the public API (``import graph``), so a renamed stage fails the run loudly.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import graph
from benchmarks.generate import write_casebook
from benchmarks.pss import measure

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(tempfile.gettempdir()) / "tsunagari-bench"
# the generated corpus is one file (382 MB at 100,000 cases), above the build's default limit
MAX_FILE_SIZE = 4 << 30


@dataclass
class Row:
    """One measured (or skipped) stage."""

    stage: str
    seconds: float | None = None
    peak_mb: float | None = None  # process high-water mark (RSS) after the stage
    status: str = "ok"  # ok | skipped | timeout | error
    note: str = ""
    floor: float | None = None  # seconds of the stage's floor, measured on the same data
    floor_note: str = ""
    pss_mb: float | None = None  # whole build only: peak PSS summed over all its processes


class _TimeoutError(BaseException):  # rdflib swallows Exception inside FILTERs
    pass


@contextmanager
def _limit(seconds: float) -> Iterator[None]:
    """Abort a pure-Python stage after ``seconds`` (SIGALRM; Rust calls finish first)."""

    def fire(signum: int, frame: Any) -> None:
        raise _TimeoutError

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---------------------------------------------------------------------------- floors
# Each floor does the one thing its stage cannot do without, on the same input.

_HEADER = re.compile(r"^団[ \t\u3000]*体[ \t\u3000]*名[ \t\u3000]*[:：]", re.M)


def floor_read(path: Path) -> None:
    """Bytes read, decoded, split into lines and cases (header regex), one NFKC pass."""
    text = path.read_bytes().decode("utf-8")
    text.splitlines()
    sum(1 for _ in _HEADER.finditer(text))
    unicodedata.normalize("NFKC", text)


_PARTNER_SPLIT = re.compile(r"[、,，・\n]|</?[a-z]+>")


def floor_partners(records: list[Any]) -> None:
    """Each record's partner text split once at its delimiters."""
    for rec in records:
        _PARTNER_SPLIT.split(rec.get("partners_text") or "")


def floor_cases_json(read: Any) -> None:
    """The C JSON encoder over the records (no indentation)."""
    json.dumps({"source": read.sources, "cases": read.records}, ensure_ascii=False)


def floor_graph(kg: Any) -> float:
    """Each graph's N-Quads lines (split in advance, one graph at a time) sorted, joined and
    encoded once; returns the seconds of that work alone."""
    spent = 0.0
    for chunk in kg.nquads_chunks():
        lines = chunk.decode("utf-8").splitlines()
        start = time.perf_counter()
        ("\n".join(sorted(lines)) + "\n").encode("utf-8")
        spent += time.perf_counter() - start
    return spent


def floor_turtle(union: Path, out: Path) -> None:
    """Oxigraph alone: parse the sorted union N-Triples (a file) and write Turtle to a file."""
    ox.serialize(ox.parse(path=str(union), format=ox.RdfFormat.N_TRIPLES), str(out),
                 format=ox.RdfFormat.TURTLE, prefixes={})  # fmt: skip


def floor_trig(nquads: Path, out: Path) -> None:
    """Oxigraph alone: parse the sorted N-Quads (a file) and write TriG to a file."""
    ox.serialize(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS), str(out),
                 format=ox.RdfFormat.TRIG, prefixes={})  # fmt: skip


def floor_store(nquads: Path) -> ox.Store:
    """Oxigraph alone: bulk-load the N-Quads (a file) into an in-memory store."""
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return store


def floor_scan(store: ox.Store) -> None:
    """One SPARQL scan of every statement of the union graph (any validator reads each)."""
    list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                     use_default_graph_as_union=True))  # type: ignore[arg-type]  # fmt: skip


def floor_quads(kg: Any) -> None:
    """Every quad turned into a Python object once (what the network index reads)."""
    for _ in kg.quads:
        pass


def floor_view(net: Any, batch: int = 10_000) -> None:
    """The network's nodes and edges with their attributes through the C JSON encoder (in
    batches, so the floor does not hold a second copy of a national network as one str)."""
    for items in (net.nodes(data=True), net.edges(data=True)):
        it = iter(items)
        while chunk := list(itertools.islice(it, batch)):
            json.dumps(chunk, ensure_ascii=False, default=str)


def _write_lines(lines: list[bytes], out: Path, batch: int = 65_536) -> Path:
    with out.open("wb") as fh:
        for start in range(0, len(lines), batch):
            fh.write(b"\n".join(lines[start : start + batch]) + b"\n")
    return out


def _write_chunks(chunks: Iterator[bytes], out: Path) -> Path:
    with out.open("wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return out


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


# ---------------------------------------------------------------------------- the worker


class _Worker:
    """Runs the stages of one size in this process, in order, keeping their results."""

    def __init__(self, path: Path, timeout: float, baseline_timeout: float,
                 baseline: bool = True, incremental: bool = True,
                 store_dir: Path | None = None) -> None:  # fmt: skip
        self.path = path
        self.store_dir = store_dir
        self.baseline = baseline
        self.incremental = incremental
        self.timeout = timeout
        self.baseline_timeout = baseline_timeout
        self.rows: list[Row] = []
        self.seconds: dict[str, float] = {}

    def stage(
        self,
        name: str,
        func: Callable[[], Any],
        *,
        timeout: float | None = None,
        note: Callable[[Any], str] | None = None,
        required: bool = True,
    ) -> Any:
        """Time ``func()`` and then its floor; record a row. A failing required stage stops
        the run (a later stage would only report that its input is missing)."""
        print(f"  {name} …", file=sys.stderr, flush=True)  # shows which stage is slow
        start = time.perf_counter()
        try:
            with _limit(timeout or self.timeout):
                result = func()
        except _TimeoutError:
            limit = timeout or self.timeout
            self.rows.append(Row(name, status="timeout", note=f"stopped after {limit:.0f} s"))
            if required:
                raise
            return None
        elapsed = time.perf_counter() - start
        self.seconds[name] = elapsed
        text = note(result) if note else ""
        self.rows.append(Row(name, round(elapsed, 4), _peak_mb(), note=text))
        return result

    def floor(self, func: partial[Any], note: str = "", timed: bool = False) -> Any:
        """Time the floor of the stage just recorded (its note: the function's docstring).
        ``timed``: the function returns the seconds of its own floor work."""
        row = self.rows[-1]
        start = time.perf_counter()
        result = func()
        row.floor = round(result if timed else time.perf_counter() - start, 4)
        row.floor_note = note or (func.func.__doc__ or "").strip().splitlines()[0]
        return result

    def same_floor(self, seconds: float, note: str) -> None:
        """The stage just recorded has the floor measured for an earlier row."""
        self.rows[-1].floor, self.rows[-1].floor_note = seconds, note

    def run(self) -> list[Row]:
        """Every stage in the lean build's order, each input and output released as soon as
        no later stage needs it (a national corpus's records, graph, store and network do
        not fit in memory together). Spooled files live in a temporary directory."""
        with tempfile.TemporaryDirectory(prefix="tsunagari-bench-") as tmp:
            return self._run(Path(tmp))

    def _run(self, tmp: Path) -> list[Row]:
        import gc

        from graph.pipeline import release_memory
        from graph.rdf.build import consumed, write_trig, write_turtle

        gc.disable()  # as the build does (graph.run_build pauses the cycle collector)
        read = self.stage(
            "read", partial(graph.read_casebooks, [self.path], max_file_size=MAX_FILE_SIZE),
            note=lambda r: f"{len(r.records)} records, {len(r.warnings)} warnings",
        )  # fmt: skip
        self.floor(partial(floor_read, self.path))
        records = read.records
        partners = self.stage("partners", partial(_resolve, records),
                              note=lambda n: f"{n} partners")  # fmt: skip
        del partners
        self.floor(partial(floor_partners, records))
        self.stage("cases.json", partial(_cases_json_size, read),
                   note=lambda n: f"{n / 1e6:.1f} MB")  # fmt: skip
        self.floor(partial(floor_cases_json, read))
        read.records = []  # as the lean build: the graph build consumes the records
        kg = self.stage("graph build (consuming the records)",
                        partial(graph.build_graph, consumed(records)),
                        note=lambda g: f"{g.quad_count} quads")  # fmt: skip
        del read, records
        release_memory()  # as the lean build does after each large stage
        self.floor(partial(floor_graph, kg), timed=True)
        ttl = self.stage("turtle (incl. sorting the union of the graphs)",
                         partial(write_turtle, kg, tmp / "all.ttl"),
                         note=lambda p, g=kg: f"{_mb(p)}, {g.triple_count} triples")  # fmt: skip
        ttl.unlink()
        union = _write_lines(kg.union_lines(), tmp / "union.nt")
        self.floor(partial(floor_turtle, union, tmp / "floor.ttl"))
        union.unlink()
        (tmp / "floor.ttl").unlink()
        release_memory()
        nquads = _write_chunks(kg.nquads_chunks(), tmp / "graph.nq")
        store = self.stage("store load (oxigraph, in memory)", kg.to_store)
        del store  # one store at a time: the floor's (the same quads) answers the queries
        release_memory()
        store = self.floor(partial(floor_store, nquads))
        queries = graph.bundled_queries()
        for qname, query in sorted(queries.items()):
            self.stage(f"query {qname} (in process)", partial(graph.run_query, query, store),
                       note=lambda r: f"{len(r.rows)} rows")  # fmt: skip
        start = time.perf_counter()
        floor_scan(store)
        scan = round(time.perf_counter() - start, 4)
        del store
        release_memory()
        self.stage("validate (store load + compiled SHACL checks)",
                   partial(graph.validate_graph, kg),
                   note=lambda r: f"conforms={r.conforms}, {len(r.violations)} results",
                   )  # fmt: skip
        self.same_floor(scan, "one SPARQL scan of every statement (store load not included)")
        release_memory()
        trig = self.stage("trig", partial(write_trig, kg, tmp / "all.trig"), note=_mb)
        trig.unlink()
        self.floor(partial(floor_trig, nquads, tmp / "floor.trig"))
        (tmp / "floor.trig").unlink()
        nquads.unlink()
        if self.store_dir is not None:  # for `tsunagari query --store`, timed by the driver
            self.stage("on-disk store for query --store (as build --store)",
                       partial(_disk_store, kg, self.store_dir))
        net = self.stage(
            "network build", partial(graph.build_network, kg),
            note=lambda n: f"{n.number_of_nodes()} nodes, {n.number_of_edges()} edges",
        )  # fmt: skip
        self.floor(partial(floor_quads, kg))
        baseline_kg = kg if self.baseline else None
        del kg  # the network stages read the network only
        self.stage("network analyse", partial(graph.analyse_network, net))
        self.floor(partial(floor_view, net))
        view, view_note = self.rows[-1].floor or 0.0, self.rows[-1].floor_note
        for name, make in (("html render", _html_size), ("graphml", _graphml_size),
                           ("gexf", _gexf_size)):  # fmt: skip
            self.stage(name, partial(make, net), note=lambda n: f"{n / 1e6:.1f} MB")
            self.same_floor(view, view_note)
        del net
        gc.enable()
        if self.incremental:
            self._incremental(parts=10)
        if baseline_kg is not None:
            self._baseline(baseline_kg, queries)
        else:
            self.rows.append(Row("baseline: rdflib", status="skipped", note="above --baseline-max"))
        return self.rows

    def _incremental(self, parts: int) -> None:
        """The corpus as ``parts`` files: read them all cold, change one, read again."""
        text = self.path.read_text(encoding="utf-8")
        starts = [m.start() for m in _HEADER.finditer(text)]
        step = max(1, len(starts) // parts)
        cuts = [*starts[::step][:parts], len(text)]
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for n, (a, b) in enumerate(itertools.pairwise(cuts)):
                path = Path(tmp) / f"part{n:02d}.txt"
                path.write_text(text[a:b], encoding="utf-8")
                files.append(path)
            cache_dir = Path(tmp) / "cache"
            self.stage(f"incremental: read {len(files)} files, cold cache",
                       lambda: graph.read_casebooks(files, cache=graph.ReadCache(cache_dir)),
                       note=lambda r: f"{len(r.records)} records")  # fmt: skip
            changed = files[len(files) // 2]
            changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            cache = graph.ReadCache(cache_dir)
            self.stage(
                "incremental: read after 1 file changed",
                lambda: graph.read_casebooks(files, cache=cache),
                note=lambda r: f"{cache.hits} files from cache, {cache.misses} read",
            )

    def _baseline(self, kg: Any, queries: dict[str, Any]) -> None:
        """The plain way: rdflib's default store, serialisers and SPARQL engine."""
        t = self.baseline_timeout
        rdf = self.stage("baseline: rdflib load", kg.to_rdflib_graph, timeout=t,
                         note=lambda g: f"{len(g)} triples", required=False)  # fmt: skip
        if rdf is not None:
            self.stage("baseline: turtle (rdflib)", lambda: rdf.serialize(format="turtle"),
                       timeout=t, required=False)  # fmt: skip
        dataset = self.stage("baseline: rdflib dataset load", kg.to_rdflib, timeout=t,
                             required=False)  # fmt: skip
        if dataset is not None:
            self.stage("baseline: trig (rdflib)", lambda: dataset.serialize(format="trig"),
                       timeout=t, required=False)  # fmt: skip
        if rdf is None:
            return
        for qname, query in sorted(queries.items()):
            self.stage(f"baseline: query {qname} (rdflib)",
                       lambda q=query: list(rdf.query(q.text)), timeout=t, required=False,
                       note=lambda rows: f"{len(rows)} rows")  # fmt: skip


def _resolve(records: list[Any]) -> int:
    graph.resolve_partners(records)
    return sum(len(r.get("partners") or ()) for r in records)


def _cases_json_size(read: Any) -> int:
    return len(graph.cases_json(read))  # the bytes are dropped at once, as spooled


def _html_size(net: Any) -> int:
    return len(graph.render_html(net).encode("utf-8"))


def _graphml_size(net: Any) -> int:
    return len(graph.export_graphml(net))


def _gexf_size(net: Any) -> int:
    return len(graph.export_gexf(net))


def _disk_store(kg: Any, path: Path) -> None:
    """The graph bulk-loaded into an on-disk Oxigraph store at ``path``, as ``tsunagari build
    --store`` keeps it (there the validation store itself)."""
    store = kg.to_store(path)
    store.flush()
    del store


def _ratios(rows: list[Row]) -> None:
    """Fill 'Nx' notes of the baseline rows from the measured times."""
    seconds = {r.stage: r.seconds for r in rows if r.seconds is not None}
    fast_names = {"turtle": "turtle (incl. sorting the union of the graphs)", "trig": "trig"}
    for row in rows:
        if not row.stage.startswith("baseline: "):
            continue
        fast = row.stage.removeprefix("baseline: ").replace(" (rdflib)", "")
        fast = fast_names.get(fast, fast)
        if fast.startswith("query "):
            fast += " (in process)"
        if seconds.get(fast) and row.seconds is not None:
            ratio = f"{row.seconds / seconds[fast]:.1f}x the time of {fast}"
            row.note = f"{ratio}; {row.note}" if row.note else ratio
        elif seconds.get(fast) and row.status == "timeout":
            limit = float(row.note.split()[2])  # "stopped after N s"
            row.note += f" (> {limit / seconds[fast]:.0f}x the time of {fast})"


def worker_main(path: Path, out: Path, timeout: float, baseline_timeout: float, baseline: bool,
                incremental: bool, store_dir: Path | None = None) -> None:  # fmt: skip
    """Entry point of the per-size worker process."""
    worker = _Worker(path, timeout, baseline_timeout, baseline, incremental, store_dir)
    try:
        rows = worker.run()
    except _TimeoutError:
        rows = worker.rows
    _ratios(rows)
    out.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------------------- the driver


def _generator_hash() -> str:
    return hashlib.sha256((ROOT / "benchmarks" / "generate.py").read_bytes()).hexdigest()[:12]


def casebook_for(size: int, seed: int) -> Path:
    """The synthetic casebook of that size, generated once and cached in the temp dir."""
    path = CACHE_DIR / f"synthetic-{size}-s{seed}-{_generator_hash()}.txt"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        write_casebook(tmp, size, seed)
        tmp.replace(path)
    return path


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_stages(path: Path, timeout: float, baseline_timeout: float, baseline: bool,
               incremental: bool, store_dir: Path | None = None) -> list[Row]:  # fmt: skip
    """Every stage of one input, in a fresh process (so peak memory is this size's own),
    sampled by ``benchmarks/pss.py``: a last row gives the worker's own wall time, CPU time,
    peak RSS and peak PSS. ``store_dir``: where the worker leaves an on-disk store."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        cmd = [sys.executable, "-m", "benchmarks.run", "--worker", str(path),
               "--worker-out", str(out), "--timeout", str(timeout),
               "--baseline-timeout", str(baseline_timeout)]  # fmt: skip
        if not baseline:
            cmd.append("--no-baseline")
        if not incremental:
            cmd.append("--no-incremental")
        if store_dir is not None:
            cmd += ["--worker-store", str(store_dir)]
        res = measure(cmd, interval=0.5, cwd=ROOT, env=_child_env())
        if res.returncode != 0 or not out.exists():
            tail = res.stderr_tail.strip().splitlines()
            return [Row("worker", res.seconds, res.peak_rss_main_mb, "error",
                        f"worker exit {res.returncode}; {tail[-1] if tail else ''}",
                        pss_mb=res.peak_pss_mb)]  # fmt: skip
        rows = [Row(**r) for r in json.loads(out.read_text(encoding="utf-8"))]
    rows.append(Row("stage worker (all rows above, one process)", res.seconds,
                    res.peak_rss_main_mb, note=f"CPU {res.cpu_seconds:.1f} s (user+sys)",
                    pss_mb=res.peak_pss_mb))  # fmt: skip
    return rows


def run_cli_queries(store_dir: Path, timeout: float) -> list[Row]:
    """Each bundled query through ``tsunagari query --store DIR --name NAME --format csv`` in
    its own process: the seconds include starting Python and opening the store."""
    rows = []
    for qname in sorted(graph.bundled_queries()):
        cmd = [sys.executable, "-m", "graph", "query", "--store", str(store_dir),
               "--name", qname, "--format", "csv"]  # fmt: skip
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=ROOT, env=_child_env(), capture_output=True,
                                  timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired:
            rows.append(Row(f"tsunagari query --store, {qname}", status="timeout",
                            note=f"stopped after {timeout:.0f} s"))  # fmt: skip
            continue
        seconds = round(time.perf_counter() - start, 4)
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            rows.append(Row(f"tsunagari query --store, {qname}", seconds, status="error",
                            note=f"exit {proc.returncode}; {tail[-1] if tail else ''}"))
            continue
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        rows.append(Row(f"tsunagari query --store, {qname}", seconds,
                        note=f"{max(len(lines) - 1, 0)} rows, incl. process start"))  # fmt: skip
    return rows


def run_whole_build(path: Path, timeout: float) -> Row:
    """``python -m graph build INPUT --out TMP --no-cache`` in its own process: wall time, the
    build process's peak RSS and the peak PSS of all its processes together."""
    name = "whole build (tsunagari build, --no-cache)"
    with tempfile.TemporaryDirectory() as tmp:
        # --no-cache: a warm read cache from an earlier run would hide the read stage.
        cmd = [sys.executable, "-m", "graph", "build", str(path), "--out", tmp, "--no-cache",
               "--max-file-size", str(MAX_FILE_SIZE)]
        res = measure(cmd, interval=0.5, timeout=timeout, cwd=ROOT, env=_child_env())
        outputs = sorted(p.name for p in Path(tmp).iterdir() if not p.name.startswith("."))
    if res.returncode != 0:
        tail = res.stderr_tail.strip().splitlines()
        return Row(name, res.seconds, res.peak_rss_main_mb, "error",
                   f"exit {res.returncode}; {tail[-1] if tail else ''}", pss_mb=res.peak_pss_mb)
    return Row(name, res.seconds, res.peak_rss_main_mb, "ok",
               f"CPU {res.cpu_seconds:.1f} s (user+sys); wrote {', '.join(outputs)}; "
               f"{res.processes} processes at most",
               pss_mb=res.peak_pss_mb)  # fmt: skip


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    meminfo = ""
    try:
        cpu = next(line.split(":", 1)[1].strip()
                   for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))  # fmt: skip
        meminfo = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    versions = {}
    for dist in ("rdflib", "pyoxigraph", "pyshacl", "networkx"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "absent"
    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory": meminfo, "python": platform.python_version(),
        "platform": platform.platform(), "packages": versions,
    }  # fmt: skip


def format_table(results: dict[str, Any]) -> str:
    """The results as a fixed-width text table: stage, seconds, floor, ratio, memory."""
    lines = [f"{'size':>7}  {'stage':<48} {'seconds':>9} {'floor':>8} {'ratio':>6} "
             f"{'peak MB':>8}  note"]  # fmt: skip
    for size, data in results["sizes"].items():
        for row in data["rows"]:
            secs = f"{row['seconds']:.3f}" if row["seconds"] is not None else row["status"]
            floor = f"{row['floor']:.3f}" if row.get("floor") is not None else ""
            ratio = (f"{row['seconds'] / row['floor']:.1f}x" if row.get("floor")
                     and row["seconds"] is not None else "")  # fmt: skip
            peak = f"{row['peak_mb']:.0f}" if row["peak_mb"] is not None else ""
            note = row["note"]
            if row.get("pss_mb") is not None:
                note = f"PSS all processes {row['pss_mb']:.0f} MB; {note}"
            if row.get("floor_note"):
                floor_text = f"floor: {row['floor_note']}"
                note = f"{note}; {floor_text}" if note else floor_text
            if row["status"] not in ("ok",) and row["seconds"] is not None:
                note = f"{row['status']}: {note}"
            lines.append(f"{size:>7}  {row['stage']:<48} {secs:>9} {floor:>8} {ratio:>6} "
                         f"{peak:>8}  {note}")  # fmt: skip
        if data.get("load"):
            lines.append(f"{size:>7}  load average before / after: {data['load']}")
    return "\n".join(lines)


def growth(results: dict[str, Any]) -> str:
    """Whole-build time and memory ratios between consecutive sizes, and the sum of stages."""
    wholes = []
    for size, data in results["sizes"].items():
        for row in data["rows"]:
            if row["stage"].startswith("whole build") and row["seconds"] is not None:
                wholes.append((int(size), row["seconds"], row.get("pss_mb") or 0.0))
    workers = []
    for size, data in results["sizes"].items():
        for row in data["rows"]:
            if row["stage"].startswith("stage worker") and row["seconds"] is not None:
                workers.append((int(size), row["seconds"], row.get("pss_mb") or 0.0))
    lines = []
    for title, points in (("the whole build", wholes), ("the stage worker", workers)):
        lines.append(f"growth of {title} (time, peak PSS of all processes):")
        for (n0, t0, m0), (n1, t1, m1) in itertools.pairwise(points):
            lines.append(f"  {n0:,} → {n1:,} cases ({n1 / n0:.0f}x): time {t1 / t0:.1f}x "
                         f"({t0:.1f} s → {t1:.1f} s), memory {m1 / m0:.1f}x "
                         f"({m0:.0f} MB → {m1:.0f} MB)")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line (see module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated case counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per stage")
    parser.add_argument("--baseline-timeout", type=float, default=300,
                        help="seconds per rdflib baseline step")  # fmt: skip
    parser.add_argument("--baseline-max", type=int, default=1000,
                        help="largest size run with the rdflib baseline")  # fmt: skip
    parser.add_argument("--no-build", action="store_true", help="skip the whole-build run")
    parser.add_argument("--incremental-max", type=int, default=10_000,
                        help="largest size also timed as 10 files with the read cache")
    parser.add_argument("--no-baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-incremental", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-queries", action="store_true",
                        help="skip the bundled queries through `tsunagari query --store`")
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(args.worker, args.worker_out, args.timeout, args.baseline_timeout,
                    not args.no_baseline, not args.no_incremental,
                    args.worker_store)  # fmt: skip
        return
    results: dict[str, Any] = {
        "command": "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine(),
        "seed": args.seed,
        "sizes": {},
    }
    for size in (int(s) for s in args.sizes.split(",")):
        start = time.perf_counter()
        path = casebook_for(size, args.seed)
        gen = Row("generate (cached)", round(time.perf_counter() - start, 3),
                  note=f"{path.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        baseline = size <= args.baseline_max
        before = _load()
        with tempfile.TemporaryDirectory(prefix="tsunagari-bench-store-") as tmp:
            store_dir = None if args.no_queries else Path(tmp) / "store"
            rows = [gen, *run_stages(path, args.timeout, args.baseline_timeout, baseline,
                                     size <= args.incremental_max, store_dir)]  # fmt: skip
            if store_dir is not None and store_dir.exists():
                rows += run_cli_queries(store_dir, args.timeout)
        if not args.no_build:
            rows.append(run_whole_build(path, args.timeout))
        results["sizes"][str(size)] = {"input": str(path), "rows": [asdict(r) for r in rows],
                                       "load": f"{before} / {_load()}"}  # fmt: skip
        print(format_table({"sizes": {str(size): results["sizes"][str(size)]}}), flush=True)
    print(growth(results), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")  # fmt: skip
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
