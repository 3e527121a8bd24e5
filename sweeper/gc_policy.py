"""The sweep's garbage-collection policy: young collections as usual, full ones held off.

A sweep keeps what it reads until the report: rows become findings and facts, some 140,000 models
and their dicts at 2,000 items per list. CPython walks every tracked object in a full collection
and starts one each time the old generation has grown by a quarter, so a heap that only grows is
walked again and again: 11 full collections, 2.7 s of Python CPU in one reference run of
bench/sweep.py, each a pause of the event loop that every platform's next step waits behind.

What a sweep throws away (futures, callbacks, exceptions and their frames) dies young, and the
young collections, which still run, find its cycles. What lives long enough to reach the old
generation is, almost all of it, the result. So while a sweep runs, a full collection waits for
`HELD_OFF` collections of the middle generation instead of CPython's 10: at the reference run's
pace (about 6 a second) one every few minutes, a bound on what a long sweep can leave behind
rather than a pause every few seconds.

The hold ends with the sweep (`runner.run_sweep`), and the first full collection after it walks
everything the sweep kept: 0.7 s, measured, while the report is written. The `run` and `demo`
commands therefore hold on until the report is written and sent; the process ends soon after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

HELD_OFF = 1_000


class _Hold:
    """Who holds full collections off now, and the thresholds to give back after the last."""

    holders = 0
    saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def full_collections_held() -> Iterator[None]:
    """Within: a full collection only after `HELD_OFF` collections of the middle generation.

    Nested or overlapping holders (two sweeps in one process, as in the tests) share one hold; the
    thresholds come back when the last one leaves.
    """
    if _Hold.holders == 0:
        _Hold.saved = gc.get_threshold()
        young, middle, _ = _Hold.saved
        gc.set_threshold(young, middle, HELD_OFF)
    _Hold.holders += 1
    try:
        yield
    finally:
        _Hold.holders -= 1
        if _Hold.holders == 0:
            gc.set_threshold(*_Hold.saved)
