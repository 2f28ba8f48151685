"""RSS after each stage of the lean build, in one process, to find what holds the memory.

    python -m benchmarks.stages INPUT [--out DIR]

Runs the stages of ``graph.pipeline`` in the lean build's order (read, partners, summary and
cases.json, graph build consuming the records, Turtle, validation, TriG, network, HTML,
GraphML, GEXF), each file written into a temporary spool as the build does, and prints after
each: seconds, the process's RSS now and its high-water mark (VmHWM) so far. A stage whose
high-water mark jumps above the RSS before and after it has a transient peak.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path


def _status() -> tuple[float, float]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def main(argv: list[str] | None = None) -> None:
    """Command line (see module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("--trim", action="store_true",
                        help="give freed heap memory back to the system after each stage "
                        "(glibc malloc_trim)")
    args = parser.parse_args(argv)

    from graph.network import build_network, export_gexf, export_graphml
    from graph.partners.extract import resolve_partners
    from graph.pipeline import cases_json, summarise
    from graph.rdf.build import build_graph, consumed, write_trig, write_turtle
    from graph.reader.casebook import read_casebooks
    from graph.validate.shacl import validate_graph
    from graph.view.render import render_html

    gc.disable()  # as run_build does
    clock = [time.perf_counter()]

    def mark(name: str) -> None:
        now = time.perf_counter()
        if args.trim:
            from graph.pipeline import release_memory

            release_memory()
        rss, hwm = _status()
        print(f"{name:<24} {now - clock[0]:7.1f} s  RSS {rss:7.0f} MB  HWM {hwm:7.0f} MB",
              flush=True)
        clock[0] = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="tsunagari-stages-") as tmp:
        spool = Path(tmp)
        mark("start")
        read = read_casebooks([args.input])
        mark("read")
        resolve_partners(read.records)
        mark("partners")
        summarise(read)
        (spool / "cases.json").write_bytes(cases_json(read))
        mark("summary + cases.json")
        records, read.records = read.records, []
        kg = build_graph(consumed(records))
        del records
        mark("graph (records consumed)")
        write_turtle(kg, spool / "all.ttl")
        mark("turtle")
        report = validate_graph(kg)
        assert report.conforms, "the synthetic graph breaks the shapes"
        del report
        mark("validate")
        write_trig(kg, spool / "all.trig")
        mark("trig")
        net = build_network(kg)
        mark("network")
        (spool / "network.html").write_bytes(render_html(net).encode("utf-8"))
        mark("html")
        (spool / "network.graphml").write_bytes(export_graphml(net))
        mark("graphml")
        (spool / "network.gexf").write_bytes(export_gexf(net))
        mark("gexf")
    sys.exit(0)


if __name__ == "__main__":
    main()
