"""The benchmark's CPU figures keep what a process used after it ends, and its samples say how busy
the cores were (bench/memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.memory import _Sampler, busy_share, cores_ticks, note_cpu, sample
from bench.sweep import busy_line

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

# Burns CPU until it has used 0.3 s of it, says so, then waits for its stdin to close.
BURN = (
    "import sys, time\n"
    "while time.process_time() < 0.3: pass\n"
    "print('burnt', flush=True)\n"
    "sys.stdin.read()\n"
)
BURNT_S = 0.25  # /proc counts in clock ticks (10 ms), and truncates


@contextmanager
def burnt_child() -> Iterator[subprocess.Popen[bytes]]:
    """A live child that has used its CPU; on leaving, it has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline() == b"burnt\n"
        yield child
    finally:
        child.stdin.close()
        child.wait()
        child.stdout.close()


def test_a_process_that_ends_between_walk_and_read_keeps_its_cpu() -> None:
    cpu: dict[int, tuple[str, float]] = {}
    with burnt_child() as child:
        assert note_cpu(cpu, child.pid, away=False) == ("python", False)
    # Ended and reaped: /proc no longer has it, as after the walk in a late sample.
    used = cpu[child.pid][1]
    assert used >= BURNT_S
    assert note_cpu(cpu, child.pid, away=False) is None
    assert cpu[child.pid] == ("python", used)


def test_a_sample_counts_a_live_child_and_its_kind() -> None:
    cpu: dict[int, tuple[str, float]] = {}
    with burnt_child() as child:
        peak = sample(child.pid, cpu)
    assert peak.processes == 1 and peak.pss_bytes > 0
    assert cpu[child.pid][0] == "python" and cpu[child.pid][1] >= BURNT_S


def test_a_sample_says_how_busy_the_cores_were_since_the_one_before() -> None:
    sampler = _Sampler(os.getpid(), ())
    started = time.process_time()
    while time.process_time() - started < 0.3:  # one core fully busy, whatever else the machine does
        pass
    sampler.take()
    ((since, share),) = sampler.peak.busy
    assert since >= 0.25
    cores = os.cpu_count() or 1
    assert 0.8 / cores <= share <= 1.0  # this process alone kept one core of `cores` busy


def test_busy_share_is_busy_ticks_over_all_ticks_and_zero_when_none_passed() -> None:
    assert busy_share((100, 400), (160, 500)) == 0.6
    assert busy_share((100, 400), (100, 400)) == 0.0
    ticks = cores_ticks()
    assert ticks is not None and 0 < ticks[0] <= ticks[1]


def test_the_busy_line_weighs_each_sample_by_the_time_it_covers() -> None:
    # 1 s at 80%, 1 s at 100% (the first platform done at 2 s), then 2 s at 50%: a late sample
    line = busy_line([(1.0, 0.8), (2.0, 1.0), (4.0, 0.5)], first_done_s=2.0)
    assert line == ("cores busy, % of all, sample by sample: 80 100 50 (ends at 4.0 s); "
                    "90% until the first platform finished (2.0 s), 50% after")
