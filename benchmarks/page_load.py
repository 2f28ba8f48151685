"""How long the network page takes to load in Debian Chromium, from file://.

    python -m benchmarks.page_load exports/network.html [more.html …] [--runs 3]

Prints, per file, its size and the median of ``--runs`` loads: until the page's script says
it is ready (``window.tsunagari.ready``, after vis-network's first drawing) and the page's own
``settleMs`` (script start → first drawing). Timing lives here, not in the tests (issue 12).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def measure(files: list[Path], runs: int) -> list[dict[str, float | str]]:
    """Median load and settle times (seconds) of each page."""
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, float | str]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in files:
            loads, settles = [], []
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                           else r.abort())
                start = time.perf_counter()
                page.goto(path.resolve().as_uri())
                page.wait_for_function("window.tsunagari && window.tsunagari.ready",
                                       timeout=600_000)
                loads.append(time.perf_counter() - start)
                settles.append(page.evaluate("tsunagari.settleMs") / 1000)
                page.close()
            rows.append({"file": str(path), "mb": path.stat().st_size / 1e6,
                         "load_s": statistics.median(loads),
                         "settle_s": statistics.median(settles)})
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'file':50} {'MB':>6} {'load s':>7} {'settle s':>8}")
    for row in measure(args.files, args.runs):
        print(f"{row['file']:50} {row['mb']:6.1f} {row['load_s']:7.2f} {row['settle_s']:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
