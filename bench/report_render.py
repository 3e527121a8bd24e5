"""How long a report of N findings takes to render, and the peak memory Python allocates meanwhile.

    python bench/report_render.py --findings 100000

The run is synthetic (tests/unit/test_report_scale.py builds it): four platforms, findings spread
over six categories and deadlines from 1,000 minutes overdue to 4,000 minutes ahead.
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path
from time import monotonic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sweeper.report.render import render_report
from tests.unit.test_report_scale import huge_run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--findings", type=int, default=100_000)
    args = parser.parse_args(argv)
    run = huge_run(args.findings)
    started = monotonic()
    html = render_report(run, limit=None)
    plain_s = monotonic() - started
    tracemalloc.start()
    render_report(run, limit=None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"findings: {args.findings}; report: {len(html.encode()) / 1e6:.1f} MB, "
          f"{html.count('<tr class=')} rows shown")
    print(f"render: {plain_s:.2f} s; peak Python allocation while rendering: {peak / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
