"""The sweep's GC policy: young collections go on, full ones wait, the thresholds come back."""

from __future__ import annotations

import gc

import pytest

from sweeper.gc_policy import HELD_OFF, full_collections_held


def _keep_growing(kept: list[object], count: int) -> tuple[int, int]:
    """Allocate `count` small containers that stay alive (as a sweep's rows and findings do);
    return how many middle- and oldest-generation collections ran meanwhile."""
    before = gc.get_stats()
    for number in range(count):
        kept.append({"row": [number]})
    after = gc.get_stats()
    return (after[1]["collections"] - before[1]["collections"],
            after[2]["collections"] - before[2]["collections"])


def test_a_growing_heap_gets_no_full_collection_while_held_but_young_ones_go_on() -> None:
    assert gc.isenabled()
    kept: list[object] = []
    middle, full = _keep_growing(kept, 400_000)
    assert full > 0, "without the hold the same growth triggers full collections (the cost held off)"
    kept.clear()
    with full_collections_held():
        middle, full = _keep_growing(kept, 400_000)
    assert full == 0
    assert middle > 0  # the young collections still run: short-lived cycles are still found


def test_the_thresholds_come_back_after_the_last_holder_even_on_an_error() -> None:
    saved = gc.get_threshold()
    with pytest.raises(RuntimeError), full_collections_held():
        assert gc.get_threshold() == (saved[0], saved[1], HELD_OFF)
        with full_collections_held():
            pass
        assert gc.get_threshold()[2] == HELD_OFF  # the outer holder still holds
        raise RuntimeError("a sweep that failed")
    assert gc.get_threshold() == saved
