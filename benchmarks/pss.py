"""Peak memory of a command and all its descendants, as PSS (proportional set size).

    python -m benchmarks.pss -- python -m graph build INPUT --out DIR --no-cache

RSS counts a page shared by a forked worker and its parent twice; PSS splits it between them,
so the sum over the process tree is what the machine actually gives the build. The tree is
sampled from ``/proc/<pid>/smaps_rollup`` every ``interval`` seconds (0.5 s by default: each
read walks the page tables, which for a 10 GB process costs real CPU); the peak is the
largest sum seen (a spike shorter than the interval can be missed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Measured:
    """What one command cost."""

    returncode: int
    seconds: float
    peak_pss_mb: float  # largest sum of PSS over the process tree
    peak_rss_main_mb: float  # the command's own RSS high-water mark
    processes: int  # most processes seen at once
    cpu_seconds: float = 0.0  # user + system time of the command and its waited-for children
    stderr_tail: str = ""


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        found += [int(c) for c in text.split()]
    return found


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += _children(pid)
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(cmd: list[str], interval: float = 0.5, timeout: float | None = None,
            **popen: object) -> Measured:
    """Run ``cmd`` to the end, sampling the PSS of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            **popen)  # type: ignore[call-overload]
    peak = {"pss": 0, "hwm": 0, "n": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(proc.pid)
            peak["pss"] = max(peak["pss"], sum(_pss_kb(p) for p in pids))
            peak["hwm"] = max(peak["hwm"], _hwm_kb(proc.pid))
            peak["n"] = max(peak["n"], len(pids))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err or "")
    return Measured(proc.returncode, round(seconds, 3), round(peak["pss"] / 1024, 1),
                    round(peak["hwm"] / 1024, 1), peak["n"], round(cpu, 2), text[-400:])


def main(argv: list[str] | None = None) -> None:
    """Command line: measure the command after ``--`` and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no command given")
    print(json.dumps(asdict(measure(cmd, args.interval)), ensure_ascii=False))
    sys.exit(0)


if __name__ == "__main__":
    main()
