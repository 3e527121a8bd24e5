"""Peak memory and CPU time of a process tree (this process, the Playwright driver, the browser).

Sampled from /proc by a child process: PSS from `smaps_rollup` (shared pages split between the
processes sharing them, so a tree's PSS adds up honestly), RSS as a fallback; CPU seconds per
kind of process (the last value seen of each, so a process that ends between two samples loses at
most one interval); and how busy the machine's cores were between two samples (`/proc/stat`), which
shows whether a run was bound by the cores or by the network, and when. Processes marked `apart`
(the replicas' server processes: the "network") are kept out of the memory figures and their CPU
is reported as "replicas". Linux only; elsewhere the sampler reports nothing.

Reading `smaps_rollup` is not free: the kernel walks each process's page tables, about 50 ms of
CPU for a whole sweep's tree. At four samples a second from a thread of the benchmarked process
that was about half of "python" CPU and held the GIL against the sweep's own event loop; once a
second from that thread it was still 2-3 CPU-seconds taken from the two cores the sweep runs on.
So the sampler is a process of its own at the lowest priority (nice 19): it looks once a second
with what the sweep leaves idle, later when the cores are busy, and its own CPU is reported apart
("sampler"), never as the sweep's.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

PROC = Path("/proc")
BROWSER_NAMES = ("chrome", "chromium", "headless_shell", "msedge")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
APART = "replicas"


@dataclass
class Peak:
    pss_bytes: int = 0
    rss_bytes: int = 0
    processes: int = 0
    browsers: int = 0  # browser main processes (not renderers/GPU/utility children)
    samples: int = 0
    cpu_s: dict[str, float] = field(default_factory=dict)  # by kind: python, driver, browser, renderer, …
    # (seconds since the sampler started, share of all cores busy since the sample before)
    busy: list[tuple[float, float]] = field(default_factory=list)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def process_tree(root: int, apart: Collection[int] = ()) -> list[tuple[int, bool]]:
    """Every process under `root` (itself included), each with whether it lies under `apart`."""
    tree, found, todo = _children(), [], [(root, root in apart)]
    while todo:
        pid, away = todo.pop()
        found.append((pid, away))
        todo.extend((child, away or child in apart) for child in tree.get(pid, []))
    return found


def _kib(path: Path, key: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def kind(pid: int) -> str:
    """python, driver, browser (a browser's main process), renderer, gpu-process, utility, … or other.

    Chromium rewrites its children's argv into one space-separated string, so both separators count.
    """
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return "other"
    argv = raw.replace(b"\0", b" ").decode(errors="replace").split()
    name = os.path.basename(argv[0]).lower() if argv else ""
    types = [a.split("=", 1)[1] for a in argv if a.startswith("--type=")]
    if types:  # a browser's child (its argv may still read /proc/self/exe just after the fork)
        return types[0]
    if "python" in name:
        return "python"
    if name == "node":
        return "driver"
    return "browser" if any(n in name for n in BROWSER_NAMES) else "other"


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of `pid` so far; None once it has ended and been reaped."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cores_ticks() -> tuple[int, int] | None:
    """Clock ticks since boot of all the machine's cores together: (busy, total); None without /proc.

    Busy is everything but idle and waiting for I/O, whoever ran: the replicas and anything else on
    the machine count too, as they take the same cores from the sweep."""
    try:
        ticks = [int(t) for t in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = sum(ticks[3:5])  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


def busy_share(before: tuple[int, int], now: tuple[int, int]) -> float:
    """The share of all cores busy between two `cores_ticks` readings (0 when no tick passed)."""
    total = now[1] - before[1]
    return (now[0] - before[0]) / total if total > 0 else 0.0


def note_cpu(cpu: dict[int, tuple[str, float]], pid: int, away: bool) -> tuple[str, bool] | None:
    """Record `pid`'s kind and CPU seconds so far in `cpu`: its kind and whether it was that kind
    at the last look too, or None when it has ended, in which case its last value seen stands.

    Gone between the tree walk and this read is what the Playwright driver and the renderers do as
    a sweep ends, just as the last sample looks; writing 0 for them there once erased the driver's
    whole CPU from a run's figures."""
    # Asked every time: a process just forked still shows its parent's argv.
    what = APART if away else kind(pid)
    before = cpu.get(pid, ("", 0.0))[0]
    if what == "other" and before:
        what = before  # an unreadable command line for a moment: it is still what it was
    seconds = cpu_seconds(pid)
    if seconds is None:
        return None
    cpu[pid] = (what, seconds)
    return what, before == what


def sample(
    root: int, cpu: dict[int, tuple[str, float]], apart: Collection[int] = (), skip: int | None = None
) -> Peak:
    """One look at the tree under `root` now; `cpu` collects each process's kind and CPU seconds.

    A forked Chromium child briefly reads like its parent (no `--type=`): a browser count of 2
    for one sample would be such a moment, so `browsers` counts only processes seen twice."""
    pss = rss = browsers = counted = 0
    for pid, away in process_tree(root, apart):
        if pid == skip:
            continue
        seen = note_cpu(cpu, pid, away)
        if seen is None or away:
            continue
        what, settled = seen
        rss_kib = _kib(PROC / str(pid) / "status", "VmRSS:") or 0
        pss_kib = _kib(PROC / str(pid) / "smaps_rollup", "Pss:")
        rss += rss_kib * 1024
        pss += (rss_kib if pss_kib is None else pss_kib) * 1024
        browsers += what == "browser" and settled
        counted += 1
    return Peak(pss, rss, counted, browsers, 1)


class _Sampler:
    """The sampling itself, in the sampler's own process: the tree under `root`, minus itself."""

    def __init__(self, root: int, apart: Collection[int]) -> None:
        self.root = root
        self.apart = frozenset(apart)
        self.own = os.getpid()
        self.peak = Peak()
        self._cpu: dict[int, tuple[str, float]] = {}
        self._base = {pid: cpu_seconds(pid) or 0.0 for pid, _ in process_tree(root) if pid != self.own}
        self._own_base = time.process_time()
        self._started = time.monotonic()
        self._ticks = cores_ticks()

    def take(self) -> None:
        now, peak = sample(self.root, self._cpu, self.apart, skip=self.own), self.peak
        ticks = cores_ticks()
        if ticks is not None and self._ticks is not None:
            since = round(time.monotonic() - self._started, 2)
            peak.busy.append((since, round(busy_share(self._ticks, ticks), 3)))
        self._ticks = ticks
        peak.pss_bytes = max(peak.pss_bytes, now.pss_bytes)
        peak.rss_bytes = max(peak.rss_bytes, now.rss_bytes)
        peak.processes = max(peak.processes, now.processes)
        peak.browsers = max(peak.browsers, now.browsers)
        peak.samples += 1
        peak.cpu_s = self.cpu_by_kind()

    def cpu_by_kind(self) -> dict[str, float]:
        """CPU seconds used since the sampler started, by kind of process."""
        total: dict[str, float] = {}
        for pid, (what, seconds) in self._cpu.items():
            total[what] = total.get(what, 0.0) + seconds - self._base.get(pid, 0.0)
        total["sampler"] = time.process_time() - self._own_base  # the measuring, not the measured
        return {k: round(v, 1) for k, v in sorted(total.items(), key=lambda kv: -kv[1])}


def _sample_until_told(conn: Connection, root: int, interval_s: float, apart: tuple[int, ...]) -> None:
    """The sampler process: a sample every `interval_s` until told to stop, then the last one."""
    os.nice(19)  # only what the sweep leaves idle: a late sample costs less than a slower sweep
    sampler = _Sampler(root, apart)
    conn.send("ready")  # the baseline is taken: what the tree used before this is not counted
    while not conn.poll(interval_s):
        sampler.take()
    conn.recv()
    sampler.take()  # the last word: CPU up to the end
    conn.send(sampler.peak)


class TreeSampler:
    """`with TreeSampler() as s: ...` then `s.peak`: the largest values seen while running."""

    def __init__(
        self, root: int | None = None, interval_s: float = 1.0, apart: Collection[int] = ()
    ) -> None:
        self.root = root or os.getpid()
        self.interval_s = interval_s
        self.apart = tuple(apart)
        self.peak = Peak()
        self.available = (PROC / str(self.root) / "stat").exists()
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None

    def __enter__(self) -> TreeSampler:
        if self.available:
            spawn = multiprocessing.get_context("spawn")  # this process has threads: no fork
            self._conn, theirs = spawn.Pipe()
            self._process = spawn.Process(
                target=_sample_until_told, args=(theirs, self.root, self.interval_s, self.apart),
                name="memory-sampler", daemon=True,
            )
            self._process.start()
            theirs.close()
            self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._conn is None or self._process is None:
            return
        self._conn.send("stop")
        self.peak = self._conn.recv()
        self._conn.close()
        self._process.join(timeout=5)
