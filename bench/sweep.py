"""The sweep benchmark: replicas with N open items and L ms per response, swept by the real sweeper.

    python bench/sweep.py --platforms all --items 2000 --latency-ms 300          # the reference run
    python bench/sweep.py --platforms pdd,suning --items 500 --latency-ms 300 --sequential

Prints a table per platform (requests the replica served, the floor's requests, rows read, wall
time), the whole run's wall time, the floor (bench/floors.py: the slowest platform's fewest
requests × latency, plus the browser's measured start-up), peak memory (PSS) of the whole process
tree, and as the last line `ratio_to_floor=<x.xx>` (whole wall ÷ floor). `--sequential` first
sweeps each platform alone (its own browser) and prints how the run of all of them together
compares with the slowest one alone; it also sweeps that slowest platform alone again next to each
run together (just before it, then just after the next, in turn), because this kind of machine
drifts within minutes: `overlap, paired` is the median of those side-by-side ratios. `--repeat N`
sweeps them together N times and takes medians.
`--saved-sessions` measures a later slot of the day: each measured sweep reuses the sessions that an
unmeasured sweep just before it saved.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.floors import FLOORS, floor_requests
from bench.machine import describe_machine, measure_startup
from bench.memory import Peak, TreeSampler
from bench.replicas_proc import replicas_in_children
from replicas import available
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from sweeper.demo import sweep_replicas
from sweeper.gc_policy import full_collections_held
from sweeper.log_config import configure_logging
from sweeper.models import FlowResult, RunResult
from sweeper.output import write_run
from sweeper.settings import BrowserSettings, PlatformSettings, Settings

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
MIB = 1024 * 1024


@dataclass(frozen=True)
class Served:
    running: RunningReplicas
    counts: Callable[[], dict[str, int]]
    apart: tuple[int, ...]  # the replicas' own processes, kept out of the memory figures


@dataclass
class PlatformRun:
    key: str
    status: str
    reason: str
    requests: int  # what the replica served (every HTTP request but /__replica__/)
    floor_requests: int
    rows: int
    wall_s: float
    lists: dict[str, int] = field(default_factory=dict)


@dataclass
class SweepRun:
    keys: list[str]
    wall_s: float
    report_s: float
    report_bytes: int
    platforms: list[PlatformRun]
    peak: Peak

    def slowest(self) -> PlatformRun:
        return max(self.platforms, key=lambda p: p.wall_s)


def list_sizes(platform: FlowResult) -> dict[str, int]:
    """Each list of the floor table with the platform's own count (its total or home counter)."""
    tallies = {t.name: t for t in platform.lists}
    sizes: dict[str, int] = {}
    for name in FLOORS[platform.platform].lists:
        tally = tallies.get(name)
        if tally is not None:
            sizes[name] = tally.expected if tally.expected is not None else tally.rows_read
    return sizes


def platform_run(result: FlowResult, served: int) -> PlatformRun:
    sizes = list_sizes(result)
    rows = sum(t.rows_read for t in result.lists if t.name in FLOORS[result.platform].lists)
    return PlatformRun(result.platform, result.status.value, result.reason, served,
                       floor_requests(result.platform, sizes), rows, result.duration_s, sizes)


def settings_for(keys: list[str], state: Path, args: argparse.Namespace) -> Settings:
    what_if: dict[str, int] = {}
    if args.max_concurrent is not None:
        what_if["max_concurrent_requests"] = args.max_concurrent
    if args.min_interval_ms is not None:
        what_if["min_request_interval_ms"] = args.min_interval_ms
    if args.lists_in_parallel is not None:
        what_if["lists_in_parallel"] = args.lists_in_parallel
    lanes = _lanes(args.lanes)  # a platform named there gets its own tabs, after --lists-in-parallel
    platforms = {}
    for k in keys:
        own = {**what_if, "lists_in_parallel": lanes[k]} if k in lanes else what_if
        platforms[k] = PlatformSettings(
            timeout_s=args.timeout_s, lean_drawing=not args.draw_everything, **own
        )
    browser = BrowserSettings(extra_args=list(args.browser_arg))
    return Settings(
        state_dir=state, report_dir=state.parent / "reports", platforms=platforms, browser=browser
    )


def _lanes(spec: str) -> dict[str, int]:
    """`pdd=4,xywy=2` as tabs by platform (the what-if of `--lanes`)."""
    pairs = [part.split("=", 1) for part in spec.split(",") if part.strip()]
    return {key.strip(): int(number) for key, number in pairs}


@contextmanager
def replicas(
    scenario: Scenario, keys: list[str], world: list[str], args: argparse.Namespace
) -> Iterator[Served]:
    """The replicas of `keys`, a child process each (default) or all in this one
    (`--replicas-in-process`). All of `world` is built, so that a platform swept alone has the
    same data as with the others (the ERP's ledger is the marketplaces' orders)."""
    if args.replicas_in_process:
        with serve_replicas(scenario, world, serve=keys) as running:
            yield Served(running, lambda: dict(running.request_counts), ())
    else:
        with replicas_in_children(scenario, keys, world) as children:
            yield Served(children.running, children.request_counts, children.pids)


def sweep_once(keys: list[str], world: list[str], args: argparse.Namespace) -> SweepRun:
    """Start the replicas, sweep `keys` once with the production runner, write the run's report."""
    scenario = Scenario(
        clock=NOW, latency_ms=args.latency_ms,
        platforms={k: PlatformScenario(items=args.items) for k in world},
    )
    with tempfile.TemporaryDirectory(prefix="sweeper-bench-") as tmp, \
            replicas(scenario, keys, world, args) as served:
        state, run_dir = Path(tmp) / "state", Path(tmp) / "run"
        run_dir.mkdir()
        settings = settings_for(keys, state, args)
        if args.saved_sessions:  # the day's later slots: an unmeasured sweep logs in, saving sessions
            warm_dir = Path(tmp) / "warm-up"
            warm_dir.mkdir()
            asyncio.run(sweep_replicas(served.running, keys, run_dir=warm_dir, state_dir=state, now=NOW,
                                       settings=settings))
        before = served.counts()
        # `sweeper run` starts each sweep in a fresh process; here the sweeps before this one (alone
        # runs, repeats) left their findings behind, in cycles only a full collection frees, and
        # the held collections below would carry them into this run's peak memory.
        gc.collect()
        with full_collections_held():  # as `sweeper run` holds them, until the report is written
            with TreeSampler(apart=served.apart) as sampler:
                started = time.monotonic()
                run: RunResult = asyncio.run(
                    sweep_replicas(served.running, keys, run_dir=run_dir, state_dir=state, now=NOW,
                                   settings=settings)
                )
                wall = time.monotonic() - started
            started = time.monotonic()
            report = write_run(run_dir, run)
            report_s = time.monotonic() - started
        counts = {key: count - before.get(key, 0) for key, count in served.counts().items()}
        platforms = [platform_run(p, counts.get(p.platform, 0)) for p in run.platforms]
        return SweepRun(keys, wall, report_s, report.stat().st_size, platforms, sampler.peak)


def _ratio(wall: float, floor: float) -> str:
    return f"{wall / floor:.2f}" if floor > 0 else "—"


def print_table(run: SweepRun, latency_s: float) -> None:
    print(f"{'platform':<12} {'status':<8} {'requests':>8} {'floor':>6} {'rows':>7} {'wall s':>8} "
          f"{'floor s':>8} {'×floor':>7}")
    for p in sorted(run.platforms, key=lambda p: p.key):
        floor_s = p.floor_requests * latency_s
        print(f"{p.key:<12} {p.status:<8} {p.requests:>8} {p.floor_requests:>6} {p.rows:>7} "
              f"{p.wall_s:>8.1f} {floor_s:>8.1f} {_ratio(p.wall_s, floor_s):>7}")
    for p in run.platforms:
        if p.status != "ok":
            print(f"  {p.key}: {p.status}: {p.reason}")


Span = tuple[float, float, float]  # seconds covered, share of all cores busy, end (s since start)


def busy_spans(busy: list[tuple[float, float]]) -> list[Span]:
    """The sampler's (end, share) looks as the spans of time each one covers."""
    starts = [0.0, *(end for end, _ in busy[:-1])]
    return [(end - start, share, end) for start, (end, share) in zip(starts, busy, strict=True)]


def busy_mean(spans: list[Span]) -> str:
    """The cores' busy share over `spans`, each weighed by the time it covers."""
    seconds = sum(span for span, _, _ in spans)
    return f"{sum(span * share for span, share, _ in spans) / seconds * 100:.0f}%" if seconds else "—"


def busy_line(busy: list[tuple[float, float]], first_done_s: float) -> str:
    """The machine's cores busy during the median run, sample by sample, and on average before and
    after its first platform finished: bound by the cores (near 100%) while all of them run, by the
    network (cores left idle while responses are awaited) once only the longest lists are left.
    The sampler runs at nice 19, so under load its samples come later than once a second. The split
    is approximate: a platform's time counts from its own start, about the browser's start-up after
    the sampler's, and a sample spanning the first finish counts as after it."""
    spans = busy_spans(busy)
    shares = " ".join(f"{share * 100:.0f}" for _, share in busy)
    before = busy_mean([s for s in spans if s[2] <= first_done_s])
    after = busy_mean([s for s in spans if s[2] > first_done_s])
    return (f"cores busy, % of all, sample by sample: {shares} (ends at {busy[-1][0]:.1f} s); "
            f"{before} until the first platform finished ({first_done_s:.1f} s), {after} after")


def run_sequential(keys: list[str], args: argparse.Namespace) -> dict[str, float]:
    alone: dict[str, float] = {}
    for key in keys:
        run = sweep_once([key], keys, args)
        alone[key] = run.wall_s
        cpu = run.peak.cpu_s
        print(f"alone: {key:<12} wall {run.wall_s:6.1f} s  requests {run.platforms[0].requests:>5}  "
              f"status {run.platforms[0].status}  cpu {sum(cpu.values()):.0f} s ("
              + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items() if v >= 0.5) + ")"
              + (f"  cores busy {busy_mean(busy_spans(run.peak.busy))}" if run.peak.busy else ""), flush=True)
    return alone


def beside_alone(
    keys: list[str], slowest: str, args: argparse.Namespace, *, alone_first: bool
) -> tuple[SweepRun, float]:
    """One run of `keys` together and, right before or right after it, `slowest` swept alone: its
    wall. Callers alternate the order, as the first of two back-to-back runs tends to be faster."""
    by_itself = sweep_once([slowest], keys, args).wall_s if alone_first else None
    run = sweep_once(keys, keys, args)
    if by_itself is None:
        by_itself = sweep_once([slowest], keys, args).wall_s
    return run, by_itself


def override_tracing(mode: str) -> None:
    """What-if: the runner records a Playwright trace of every context (kept on failure only).

    `snapshots` adds DOM snapshots (browser.trace_snapshots = true), `actions` drops them, `off`
    records nothing; `runner` (the default) leaves the settings' choice. Only this benchmark process
    is affected.
    """
    if mode == "runner":
        return
    from playwright.async_api._generated import Tracing

    start, stop = Tracing.start, Tracing.stop

    async def start_what_if(self: Tracing, **kwargs: Any) -> None:
        if mode != "off":
            await start(self, **{**kwargs, "snapshots": mode == "snapshots"})

    async def stop_what_if(self: Tracing, **kwargs: Any) -> None:
        if mode != "off":
            await stop(self, **kwargs)
        elif kwargs.get("path"):
            zipfile.ZipFile(kwargs["path"], "w").close()  # evidence of a failure expects a file

    setattr(Tracing, "start", start_what_if)  # noqa: B010
    setattr(Tracing, "stop", stop_what_if)  # noqa: B010


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    override_tracing(args.tracing)
    keys = list(available()) if args.platforms == "all" else [k.strip() for k in args.platforms.split(",")]
    unknown = [k for k in keys if k not in available() or k not in FLOORS]
    if unknown:
        print(f"unknown platform(s): {', '.join(unknown)}; known: {', '.join(FLOORS)}", file=sys.stderr)
        return 2
    configure_logging("console" if args.verbose else "json", logging.INFO if args.verbose else logging.ERROR)
    latency_s = args.latency_ms / 1000
    machine = describe_machine()
    startup_s, browser_version = measure_startup()
    what_if = "" if args.tracing == "runner" else f"; what-if: tracing {args.tracing}"
    print(f"sweeper benchmark: {len(keys)} platform(s) × {args.items} items, "
          f"{args.latency_ms} ms per response{what_if}")
    print(f"machine: {machine.summary()}; browser {browser_version}")
    alone = run_sequential(keys, args) if args.sequential else {}
    slowest = max(alone, key=lambda k: alone[k]) if len(alone) > 1 else None
    runs: list[SweepRun] = []
    paired: list[tuple[float, float]] = []  # (together, slowest alone) swept next to each other
    for number in range(args.repeat):
        if slowest is None:
            runs.append(sweep_once(keys, keys, args))
        else:
            run, by_itself = beside_alone(keys, slowest, args, alone_first=number % 2 == 0)
            runs.append(run)
            paired.append((run.wall_s, by_itself))
        if args.repeat > 1 or slowest is not None:
            print(f"together run {number + 1}/{args.repeat}: wall {runs[-1].wall_s:.1f} s"
                  + (f"; {slowest} alone next to it {paired[-1][1]:.1f} s" if slowest else ""), flush=True)
    runs.sort(key=lambda r: r.wall_s)
    median = runs[len(runs) // 2]
    wall = statistics.median(r.wall_s for r in runs)
    slowest_floor = max(median.platforms, key=lambda p: p.floor_requests)
    floor_s = slowest_floor.floor_requests * latency_s + startup_s
    peak = max((r.peak for r in runs), key=lambda p: p.pss_bytes)
    print()
    print_table(median, latency_s)
    print()
    print(f"whole run wall: {wall:.1f} s" + (f" (median of {len(runs)}: "
          + ", ".join(f"{r.wall_s:.1f}" for r in runs) + ")" if len(runs) > 1 else ""))
    print(f"floor: {floor_s:.1f} s = {slowest_floor.key} {slowest_floor.floor_requests} requests × "
          f"{args.latency_ms} ms + browser start-up {startup_s:.2f} s")
    print(f"report: {median.report_bytes / MIB:.1f} MiB written in {median.report_s:.2f} s")
    print(f"peak memory: PSS {peak.pss_bytes / MIB:.0f} MiB, RSS {peak.rss_bytes / MIB:.0f} MiB over "
          f"{peak.processes} processes ({peak.samples} samples); browser processes at once: {peak.browsers}")
    cpu = median.peak.cpu_s
    print(f"cpu: {sum(cpu.values()):.0f} s in {median.wall_s:.0f} s of wall (" +
          ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()) + ")")
    if median.peak.busy:
        print(busy_line(median.peak.busy, min(p.wall_s for p in median.platforms)))
    if slowest is not None:
        print(f"overlap: together {wall:.1f} s ÷ slowest alone {alone[slowest]:.1f} s ({slowest}) = "
              f"{wall / alone[slowest]:.2f}")
        ratios = [together / by_itself for together, by_itself in paired]
        print(f"overlap, paired: {statistics.median(ratios):.2f} (median of "
              + ", ".join(f"{t:.1f} ÷ {a:.1f}" for t, a in paired)
              + f": each run together ÷ {slowest} alone swept just before or after it)")
    if args.json:
        dump = {"args": vars(args), "machine": asdict(machine), "browser": browser_version,
                "startup_s": startup_s, "alone_s": alone, "floor_s": floor_s, "paired_s": paired,
                "runs": [asdict(r) for r in runs]}
        Path(args.json).write_text(json.dumps(dump, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"ratio_to_floor={wall / floor_s:.2f}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--platforms", default="all", help="'all' or a comma-separated list of platform keys")
    parser.add_argument("--items", type=int, default=2000, help="open items per list of every replica")
    parser.add_argument("--latency-ms", type=int, default=300,
                        help="each response's time, every replica (its own work within it)")
    parser.add_argument("--sequential", action="store_true", help="also sweep each platform alone, first")
    parser.add_argument("--repeat", type=int, default=1, help="sweep them together N times; medians")
    parser.add_argument("--timeout-s", type=float, default=3600.0, help="each platform's sweep budget")
    parser.add_argument("--max-concurrent", type=int, default=None,
                        help="politeness override: requests in flight per platform (0: no cap)")
    parser.add_argument("--min-interval-ms", type=int, default=None,
                        help="politeness override: least time between request starts (0: none)")
    parser.add_argument("--lists-in-parallel", type=int, default=None,
                        help="what-if: tabs reading each platform's lists side by side (1: one at a time)")
    parser.add_argument("--lanes", default="",
                        help="what-if: tabs per platform, e.g. pdd=4,xywy=2 (after --lists-in-parallel)")
    parser.add_argument("--draw-everything", action="store_true",
                        help="what-if: lean_drawing off (list bodies, animations and the caret drawn)")
    parser.add_argument("--replicas-in-process", action="store_true",
                        help="serve the replicas from a thread of this process (as `sweeper demo` does)")
    parser.add_argument("--tracing", choices=("runner", "snapshots", "actions", "off"), default="runner",
                        help="what-if: the trace as settings make it, with or without DOM snapshots, or none")
    parser.add_argument("--browser-arg", action="append", default=[],
                        help="what-if: one more Chromium flag (repeatable), as browser.extra_args would add")
    parser.add_argument("--saved-sessions", action="store_true",
                        help="what-if: the day's later slots; each measured sweep reuses the sessions "
                             "an unmeasured sweep just before it saved (no logins)")
    parser.add_argument("--json", default="", help="also write every number to this JSON file")
    parser.add_argument("--verbose", action="store_true", help="the sweep's own log lines on stderr")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.items < 0 or args.latency_ms < 0:
        parser.error("--repeat must be ≥ 1, --items and --latency-ms ≥ 0")
    return args


if __name__ == "__main__":
    sys.exit(main())
