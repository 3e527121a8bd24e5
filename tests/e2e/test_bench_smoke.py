"""The benchmark runs end to end on two small replicas and prints its table and its last line."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^(?P<key>\w+)\s+(?P<status>\w+)\s+(?P<requests>\d+)\s+(?P<floor>\d+)\s+(?P<rows>\d+)\s+[\d.]+")


def _bench(*args: str, timeout_s: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "bench/sweep.py", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout_s, check=False,
    )


@pytest.mark.slow
def test_bench_prints_a_row_per_platform_and_the_ratio_last() -> None:
    done = _bench("--platforms", "pdd,suning", "--items", "60", "--latency-ms", "0")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(r"ratio_to_floor=\d+\.\d\d", lines[-1]), lines[-1]
    header = next(i for i, line in enumerate(lines) if line.startswith("platform"))
    assert lines[header].split()[:5] == ["platform", "status", "requests", "floor", "rows"]
    rows = {m["key"]: m for m in (ROW.match(line) for line in lines[header + 1:header + 3]) if m}
    assert set(rows) == {"pdd", "suning"}
    for row in rows.values():
        assert row["status"] == "ok"
        assert int(row["requests"]) >= int(row["floor"]) > 0  # the floor is a floor
        assert int(row["rows"]) > 0
    text = done.stdout
    assert "whole run wall:" in text and "floor:" in text
    assert re.search(r"peak memory: PSS \d+ MiB", text)
    assert "browser processes at once: 1" in text  # contexts, not browsers
    busy = re.search(r"^cores busy, % of all, sample by sample: ([\d ]+) \(ends at .*\); "
                     r"(\d+|—)%? until the first platform finished \([\d.]+ s\), (\d+|—)%? after$", text, re.M)
    assert busy is not None, text
    assert all(0 <= int(share) <= 100 for share in busy[1].split())


def test_bench_refuses_an_unknown_platform() -> None:
    done = _bench("--platforms", "nosuch", "--items", "1", timeout_s=120)
    assert done.returncode == 2 and "unknown platform" in done.stderr


def _admin_requests(*extra: str) -> int:
    done = _bench("--platforms", "admin", "--items", "20", "--latency-ms", "0", *extra)
    assert done.returncode == 0, done.stderr[-2000:]
    row = next(m for m in map(ROW.match, done.stdout.splitlines()) if m and m["key"] == "admin")
    assert row["status"] == "ok"
    return int(row["requests"])


@pytest.mark.slow
def test_saved_sessions_measure_only_the_sweep_that_reuses_them() -> None:
    cold = _admin_requests()
    warm = _admin_requests("--saved-sessions")
    # The warm-up sweep's requests are not counted, and the measured one skips the login pages.
    assert 0 < warm < cold, (warm, cold)


@pytest.mark.slow
def test_sequential_pairs_each_run_together_with_the_slowest_alone_next_to_it(tmp_path: Path) -> None:
    numbers = tmp_path / "bench.json"
    done = _bench("--platforms", "admin,xywy", "--items", "10", "--latency-ms", "0",
                  "--sequential", "--repeat", "2", "--json", str(numbers))
    assert done.returncode == 0, done.stderr[-2000:]
    text = done.stdout
    alone = dict(re.findall(r"^alone: (\w+)\s+wall\s+([\d.]+) s", text, re.MULTILINE))
    assert set(alone) == {"admin", "xywy"}
    slowest = max(alone, key=lambda k: float(alone[k]))
    next_to = re.findall(rf"^together run \d/2: wall [\d.]+ s; {slowest} alone next to it [\d.]+ s$",
                         text, re.MULTILINE)
    assert len(next_to) == 2, text
    paired = re.search(r"^overlap, paired: (\d+\.\d\d) \(median of .+: each run together", text, re.MULTILINE)
    assert paired is not None, text
    # The figure is the median of the pairs' own ratios, each run together against its neighbour.
    pairs = json.loads(numbers.read_text(encoding="utf-8"))["paired_s"]
    assert len(pairs) == 2 and all(t > 0 and a > 0 for t, a in pairs)
    assert float(paired[1]) == pytest.approx(statistics.median(t / a for t, a in pairs), abs=0.005)
