"""Stage-by-stage benchmark of the build over synthetic casebooks.

    python -m benchmarks.run --sizes 100,1000,10000 --json benchmarks/results.json

For each size a casebook is generated (cached under the temp dir, keyed by size, seed and the
generator's source), then a fresh worker process times every stage on its own — read, partner
resolution, graph build, Turtle, TriG, validation, each bundled SPARQL query, network analysis,
HTML — and records the process's peak RSS after each stage. The same queries and
serialisations are then done the plain way (rdflib's in-memory Graph, its SPARQL engine and
serialisers) and reported as a ratio. Finally the whole ``python -m graph build`` runs in its
own process for wall time and peak memory.

Stages are looked up by module and function name, so a stage whose module is not written yet
shows as "not available" instead of failing the run.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.generate import write_casebook

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(tempfile.gettempdir()) / "tsunagari-bench"


@dataclass
class Row:
    """One measured (or skipped) stage."""

    stage: str
    seconds: float | None = None
    peak_mb: float | None = None  # process high-water mark after the stage
    status: str = "ok"  # ok | not available | skipped | timeout | error
    note: str = ""


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


def _lookup(module: str, name: str) -> Callable[..., Any] | None:
    """``module.name`` if both exist, else None (the stage is not written yet)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    func = getattr(mod, name, None)
    return func if callable(func) else None


# ---------------------------------------------------------------------------- the worker


class _Worker:
    """Runs the stages of one size in this process, in order, keeping their results."""

    def __init__(
        self, path: Path, timeout: float, baseline_timeout: float, baseline: bool = True
    ) -> None:
        self.path = path
        self.baseline = baseline
        self.timeout = timeout
        self.baseline_timeout = baseline_timeout
        self.rows: list[Row] = []
        self.ctx: dict[str, Any] = {}
        self.seconds: dict[str, float] = {}

    def stage(
        self,
        name: str,
        func: Callable[..., Any] | None,
        *args: Any,
        needs: tuple[str, ...] = (),
        keep: str | None = None,
        where: str = "",
        timeout: float | None = None,
        note: Callable[[Any], str] | None = None,
    ) -> Any:
        """Time ``func(*args)``; store the result under ``keep``; record a row either way."""
        missing = [n for n in needs if n not in self.ctx]
        if func is None:
            self.rows.append(Row(name, status="not available", note=f"no {where}"))
            return None
        if missing:
            self.rows.append(Row(name, status="skipped", note=f"needs {', '.join(missing)}"))
            return None
        print(f"  {name} …", file=sys.stderr, flush=True)  # shows which stage is slow
        start = time.perf_counter()
        try:
            with _limit(timeout or self.timeout):
                result = func(*args)
        except _TimeoutError:
            limit = timeout or self.timeout
            self.rows.append(Row(name, status="timeout", note=f"stopped after {limit:.0f} s"))
            return None
        except Exception as exc:  # a stage under construction may fail; the run goes on
            self.rows.append(Row(name, status="error", note=f"{type(exc).__name__}: {exc}"[:200]))
            return None
        elapsed = time.perf_counter() - start
        self.seconds[name] = elapsed
        self.rows.append(
            Row(name, round(elapsed, 4), _peak_mb(), note=note(result) if note else "")
        )
        if keep:
            self.ctx[keep] = result
        return result

    def run(self) -> list[Row]:
        read_casebooks = _lookup("graph.reader.casebook", "read_casebooks")
        read = self.stage(
            "read", read_casebooks, [self.path], keep="read", where="graph.reader.casebook",
            note=lambda r: f"{len(r.records)} records, {len(r.warnings)} warnings",
        )  # fmt: skip
        records = read.records if read else []
        self.stage(
            "partners", _lookup("graph.partners.extract", "resolve_partners"), records,
            needs=("read",), keep="partners", where="graph.partners.resolve_partners",
            note=lambda _: f"{sum(len(r.get('partners') or ()) for r in records)} partners",
        )  # fmt: skip
        # resolve_partners returns None; mark it done so later stages see it.
        if "partners" not in self.ctx and any(r.stage == "partners" and r.status == "ok"
                                              for r in self.rows):  # fmt: skip
            self.ctx["partners"] = True
        kg = self.stage(
            "graph build", _lookup("graph.rdf.build", "build_graph"), records,
            needs=("read",), keep="kg", where="graph.rdf.build_graph",
            note=lambda g: f"{len(g.quads)} quads",
        )  # fmt: skip
        self.stage("turtle (oxigraph)", _lookup("graph.rdf.build", "export_turtle"), kg,
                   needs=("kg",), keep="ttl", where="graph.rdf.export_turtle",
                   note=lambda b: f"{len(b) / 1e6:.1f} MB")  # fmt: skip
        self.stage("trig (oxigraph)", _lookup("graph.rdf.build", "export_trig"), kg,
                   needs=("kg",), where="graph.rdf.export_trig",
                   note=lambda b: f"{len(b) / 1e6:.1f} MB")  # fmt: skip
        self.stage("validate", _lookup("graph.validate.shacl", "validate_graph"), kg,
                   needs=("kg",), where="graph.validate.validate_graph",
                   note=lambda r: f"conforms={r.conforms}, {len(r.violations)} violations"
                   if hasattr(r, "violations") else "")  # fmt: skip
        store = self.stage(
            "store load (oxigraph)",
            getattr(kg, "to_store", None),
            needs=("kg",),
            keep="store",
            where="KnowledgeGraph.to_store",
        )
        queries = self._queries()
        run_query = _lookup("graph.sparql.query", "run_query")
        for qname, query in queries.items():
            self.stage(f"query {qname}", run_query, query, store, needs=("store",),
                       where="graph.query.run_query",
                       note=lambda r: f"{len(r.rows)} rows")  # fmt: skip
        net = self.stage("network build", _lookup("graph.network.analysis", "build_network"), kg,
                         needs=("kg",), keep="net", where="graph.network.build_network",
                         note=lambda n: f"{n.number_of_nodes()} nodes, "
                         f"{n.number_of_edges()} edges")  # fmt: skip
        self.stage(
            "network analyse",
            _lookup("graph.network.analysis", "analyse_network"),
            net,
            needs=("net",),
            keep="analysed",
            where="graph.network.analyse_network",
        )
        self.stage("html render", _lookup("graph.view.render", "render_html"), net,
                   needs=("analysed",), where="graph.view.render_html",
                   note=lambda h: f"{len(h) / 1e6:.1f} MB")  # fmt: skip
        self._incremental(parts=10)
        if self.baseline:
            self._baseline(kg, queries)
        else:
            self.rows.append(Row("baseline: rdflib", status="skipped", note="above --baseline-max"))
        return self.rows

    def _incremental(self, parts: int) -> None:
        """The corpus as ``parts`` files: read them all cold, change one, read again."""
        from graph.reader.cache import ReadCache
        from graph.reader.casebook import read_casebooks

        text = self.path.read_text(encoding="utf-8")
        header = re.compile(r"^団[ \t\u3000]*体[ \t\u3000]*名[ \t\u3000]*[:：]", re.M)
        starts = [m.start() for m in header.finditer(text)]
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
                       lambda: read_casebooks(files, cache=ReadCache(cache_dir)),
                       note=lambda r: f"{len(r.records)} records")  # fmt: skip
            changed = files[len(files) // 2]
            changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            cache = ReadCache(cache_dir)
            self.stage(
                "incremental: read after 1 file changed",
                lambda: read_casebooks(files, cache=cache),
                note=lambda r: f"{cache.hits} files from cache, {cache.misses} read",
            )

    def _queries(self) -> dict[str, Any]:
        bundled = _lookup("graph.sparql.query", "bundled_queries")
        try:
            return bundled() if bundled else {}
        except Exception as exc:
            self.rows.append(Row("queries", status="error", note=str(exc)[:200]))
            return {}

    def _baseline(self, kg: Any, queries: dict[str, Any]) -> None:
        """The plain way: rdflib's default store, serialisers and SPARQL engine."""
        t = self.baseline_timeout
        graph = self.stage("baseline: rdflib load", getattr(kg, "to_rdflib_graph", None),
                           needs=("kg",), keep="rdflib", where="KnowledgeGraph.to_rdflib_graph",
                           timeout=t, note=lambda g: f"{len(g)} triples")  # fmt: skip
        self.stage(
            "baseline: turtle (rdflib)",
            getattr(graph, "serialize", None),
            needs=("rdflib",),
            where="rdflib graph",
            timeout=t,
        )
        dataset = self.stage("baseline: rdflib dataset load", getattr(kg, "to_rdflib", None),
                             needs=("kg",), keep="dataset", where="KnowledgeGraph.to_rdflib",
                             timeout=t)  # fmt: skip
        serialize = getattr(dataset, "serialize", None)
        self.stage(
            "baseline: trig (rdflib)",
            (lambda: serialize(format="trig")) if serialize else None,
            needs=("dataset",),
            where="rdflib dataset",
            timeout=t,
        )
        for qname, query in queries.items():
            self.stage(f"baseline: query {qname} (rdflib)",
                       (lambda q=query: list(graph.query(q.text))) if graph is not None
                       else None, needs=("rdflib",), where="rdflib graph", timeout=t,
                       note=lambda rows: f"{len(rows)} rows")  # fmt: skip


def _ratios(rows: list[Row]) -> None:
    """Fill 'Nx' notes of the baseline rows from the measured times."""
    seconds = {r.stage: r.seconds for r in rows if r.seconds is not None}
    for row in rows:
        if not row.stage.startswith("baseline: "):
            continue
        fast = row.stage.removeprefix("baseline: ").replace(" (rdflib)", "")
        fast = {"turtle": "turtle (oxigraph)", "trig": "trig (oxigraph)"}.get(fast, fast)
        if seconds.get(fast) and row.seconds is not None:
            ratio = f"{row.seconds / seconds[fast]:.1f}x the time of {fast}"
            row.note = f"{ratio}; {row.note}" if row.note else ratio
        elif seconds.get(fast) and row.status == "timeout":
            limit = float(row.note.split()[2])  # "stopped after N s"
            row.note += f" (> {limit / seconds[fast]:.0f}x the time of {fast})"


def worker_main(
    path: Path, out: Path, timeout: float, baseline_timeout: float, baseline: bool
) -> None:
    """Entry point of the per-size worker process."""
    worker = _Worker(path, timeout, baseline_timeout, baseline)
    rows = worker.run()
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


def run_stages(path: Path, timeout: float, baseline_timeout: float, baseline: bool) -> list[Row]:
    """Every stage of one input, in a fresh process (so peak memory is this size's own)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        cmd = [sys.executable, "-m", "benchmarks.run", "--worker", str(path),
               "--worker-out", str(out), "--timeout", str(timeout),
               "--baseline-timeout", str(baseline_timeout)]  # fmt: skip
        if not baseline:
            cmd.append("--no-baseline")
        proc = subprocess.run(cmd, cwd=ROOT, env=_child_env(), stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0 or not out.exists():
            return [Row("worker", status="error", note=f"worker exit {proc.returncode}")]
        return [Row(**r) for r in json.loads(out.read_text(encoding="utf-8"))]


def run_whole_build(path: Path, timeout: float) -> Row:
    """``python -m graph build INPUT --out TMP`` in its own process: wall time and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        # A wrapper process measures only its single child's peak (RUSAGE_CHILDREN).
        code = (
            "import resource, subprocess, sys, time, json\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "dt = time.perf_counter() - t\n"
            "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
            "print(json.dumps({'rc': p.returncode, 's': dt, 'mb': rss, 'err': p.stderr[-300:]}))\n"
        )
        # --no-cache: a warm read cache from an earlier run would hide the read stage.
        cmd = [sys.executable, "-c", code, sys.executable, "-m", "graph", "build", str(path),
               "--out", tmp, "--no-cache"]  # fmt: skip
        try:
            proc = subprocess.run(cmd, cwd=ROOT, env=_child_env(), capture_output=True,
                                  text=True, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired:
            return Row("whole build (tsunagari build)", status="timeout",
                       note=f"stopped after {timeout:.0f} s")  # fmt: skip
        try:
            res = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            return Row("whole build (tsunagari build)", status="error", note=proc.stderr[-300:])
        outputs = sorted(p.name for p in Path(tmp).iterdir() if not p.name.startswith("."))
        status = "ok" if res["rc"] == 0 else "error"
        note = f"exit {res['rc']}; wrote {', '.join(outputs)}"
        if res["rc"] != 0:
            note += f"; {res['err'].strip().splitlines()[-1] if res['err'].strip() else ''}"
        return Row("whole build (tsunagari build)", round(res["s"], 3), round(res["mb"], 1),
                   status, note)  # fmt: skip


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
    """The results as a fixed-width text table."""
    lines = [f"{'size':>6}  {'stage':<52} {'seconds':>9} {'peak MB':>8}  note"]
    for size, data in results["sizes"].items():
        for row in data["rows"]:
            secs = f"{row['seconds']:.3f}" if row["seconds"] is not None else row["status"]
            peak = f"{row['peak_mb']:.0f}" if row["peak_mb"] is not None else ""
            lines.append(f"{size:>6}  {row['stage']:<52} {secs:>9} {peak:>8}  {row['note']}")
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
    parser.add_argument("--no-baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(args.worker, args.worker_out, args.timeout, args.baseline_timeout,
                    not args.no_baseline)  # fmt: skip
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
        rows = [gen, *run_stages(path, args.timeout, args.baseline_timeout, baseline)]
        if not args.no_build:
            rows.append(run_whole_build(path, args.timeout))
        results["sizes"][str(size)] = {"input": str(path), "rows": [asdict(r) for r in rows]}
        print(format_table({"sizes": {str(size): results["sizes"][str(size)]}}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")  # fmt: skip
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
