"""The benchmark's CPU figures keep what a process used after it ends (bench/memory.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.memory import note_cpu, sample

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
