"""Map a function over many items in forked workers, for the stages that are per case.

Workers are forked so they inherit the function and its inputs without pickling them; only
the results travel back. Below ``min_items``, or where fork is unavailable, the map runs in
this process. Results keep the input order, so the output is the same either way.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 2_000  # below this, a fork costs more than it saves
_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def workers() -> int:
    """How many processes to use: the CPUs this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    func, items = _TASK
    return [func(item) for item in items[bounds[0] : bounds[1]]]


def fork_map(func: Callable[[T], R], items: Sequence[T], min_items: int | None = None) -> list[R]:
    """``[func(item) for item in items]``, split across forked workers when it pays."""
    global _TASK
    n = workers()
    threshold = MIN_ITEMS if min_items is None else min_items
    if len(items) < threshold or n < 2 or "fork" not in get_all_start_methods():
        return [func(item) for item in items]
    size = -(-len(items) // n)
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _TASK = (func, items)
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=get_context("fork")) as pool:
            chunks = list(pool.map(_run_chunk, bounds))
    finally:
        _TASK = None
    return [result for chunk in chunks for result in chunk]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector: the build allocates millions of tuples, dicts and quads
    that never form cycles, and the collector's repeated passes over them took a third of the
    network stages and of the graph build at 10,000 cases. It runs again when re-enabled."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
