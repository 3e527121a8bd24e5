"""Every fault of the matrix (tests/faults/matrix.py), swept against every replica at once.

One test per row: the row's platforms run concurrently in one browser, then each platform's
status, reason, fix, evidence, findings and list tallies are compared with its cell. Every
mismatch of a row is reported together, as a table line per platform. Rows marked `cli` go
through `sweeper run --all` so their exit code is checked too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from sweeper.models import FlowResult, FlowStatus
from tests.faults.matrix import PLATFORMS, ROWS, Expect, Row
from tests.faults.sweeping import STALE_SESSION, Swept, cli_row, sweep_row

pytestmark = pytest.mark.slow


def _cell(result: FlowResult, expect: Expect, swept: Swept, *, shifting: bool) -> list[str]:
    """How one platform's result differs from its cell (empty: it matches)."""
    problems: list[str] = []
    if result.status is not expect.status:
        problems.append(f"status {result.status.value}, expected {expect.status.value}")
    if expect.status is FlowStatus.OK and result.reason:
        problems.append(f"an ok platform with a reason: {result.reason!r}")
    if expect.reason not in result.reason:
        problems.append(f"reason {result.reason!r} lacks {expect.reason!r}")
    if expect.fix not in result.fix_command or bool(expect.fix) != bool(result.fix_command):
        problems.append(f"fix {result.fix_command!r}, expected {expect.fix!r}")
    if bool(result.findings) != expect.findings:
        problems.append(f"{len(result.findings)} findings kept, expected {'some' if expect.findings else 'none'}")
    problems += _evidence(result, expect, swept)
    problems += _tallies(result, shifting=shifting)
    return problems


def _evidence(result: FlowResult, expect: Expect, swept: Swept) -> list[str]:
    if not expect.evidence:
        return [f"evidence kept for an ok platform: {result.evidence}"] if result.evidence else []
    files = [swept.run_dir / e for e in result.evidence]
    kinds = sorted(f.suffix for f in files if f.is_file() and f.stat().st_size > 0)
    problems = [] if kinds == [".png", ".zip"] else [f"evidence {result.evidence}: want a screenshot and a trace"]
    html = swept.report.read_text(encoding="utf-8")
    problems += [f"report does not link {e}" for e in result.evidence if f'href="{e}"' not in html]
    return problems


def _tallies(result: FlowResult, *, shifting: bool) -> list[str]:
    """Rows are never dropped silently: kept <= read, and an ok platform read every list to its end
    and kept every row it read (only a list that shifts under the pager repeats rows)."""
    problems = [f"list {t.name}: kept {t.rows_kept} of {t.rows_read} rows read"
                for t in result.lists if t.rows_kept > t.rows_read]
    if result.status is FlowStatus.OK:
        problems += [f"list {t.name} incomplete or unreconciled: {t}" for t in result.lists
                     if not t.complete or (t.expected is not None and t.expected != t.rows_read)]
        problems += [f"list {t.name}: {t.rows_read - t.rows_kept} rows read but not kept" for t in result.lists
                     if t.rows_kept != t.rows_read and not shifting]
    return problems


# -- what some rows promise beyond their cells ---------------------------------------------------


def _empty(result: FlowResult, swept: Swept) -> list[str]:
    order_lists = [t for t in result.lists if t.name != "stock"]  # 官网后台's stock list is not emptied
    return [f"list {t.name} is not confirmed empty: {t}" for t in order_lists
            if not (t.complete and t.rows_read == 0 and t.expected in (0, None))]


def _flagged(result: FlowResult, swept: Swept) -> list[str]:
    """Dates in a new format: the rows are kept, each date flagged with its raw text and left empty
    (or worked out another way, which the finding then says)."""
    flagged = [f for f in result.findings if any("time unparseable" in p for p in f.problems)]
    if not flagged:
        return ["no finding flagged for its unreadable date"]
    problems = []
    for finding in flagged:
        for name in {p.split(":", 1)[0] for p in finding.problems if "time unparseable" in p}:
            explained = sum(1 for p in finding.problems if p.startswith(f"{name}:")) > 1
            if not finding.raw.get(name) or (getattr(finding, name, None) is not None and not explained):
                problems.append(f"{finding.order_no}: {name} not kept raw, or guessed without saying so")
    return problems[:5]


def _no_duplicates(result: FlowResult, swept: Swept) -> list[str]:
    twice = [key for key, n in Counter((f.category, f.order_no, f.detail) for f in result.findings).items() if n > 1]
    return [f"findings repeated: {twice[:3]}"] if twice else []


def _logged_in_again(result: FlowResult, swept: Swept) -> list[str]:
    saved = swept.state_dir / "sessions" / result.platform / f"{result.account}.json"
    fresh = saved.is_file() and saved.read_text(encoding="utf-8") != str(STALE_SESSION)
    return [] if fresh and '"cookies": []' not in saved.read_text(encoding="utf-8") else ["no new session saved"]


def _nothing(result: FlowResult, swept: Swept) -> list[str]:
    return []


EXTRA: dict[str, Callable[[FlowResult, Swept], list[str]]] = {
    "empty_lists": _empty,
    "date_format": _flagged,
    "list_shift": _no_duplicates,
    "session_expired": _logged_in_again,
}


def check_row(row: Row, swept: Swept) -> list[str]:
    """Every mismatch of the row, one line per platform."""
    by_key = {p.platform: p for p in swept.run.platforms}
    lines: list[str] = []
    if sorted(by_key) != sorted(row.platforms):
        lines.append(f"platforms swept {sorted(by_key)}, expected {sorted(row.platforms)}")
    for key in row.platforms:
        result = by_key.get(key)
        if result is None:
            continue
        problems = _cell(result, row.expect[key], swept, shifting=row.name == "list_shift")
        problems += EXTRA.get(row.name, _nothing)(result, swept)
        if problems:
            lines.append(f"{row.name} × {key}: {result.status.value} ({result.reason!r}): " + "; ".join(problems))
    return lines


def test_every_row_names_every_platform_once() -> None:
    for row in ROWS:
        assert set(row.expect) | set(row.not_applicable) == set(PLATFORMS), row.name
        assert not set(row.expect) & set(row.not_applicable), row.name
        assert all(reason for reason in row.not_applicable.values()), row.name


@pytest.mark.parametrize("row", [r for r in ROWS if not r.cli], ids=lambda r: r.name)
async def test_each_fault_gives_each_platform_its_expected_outcome(row: Row, tmp_path: Path) -> None:
    swept = await sweep_row(row, tmp_path)
    problems = check_row(row, swept)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("row", [r for r in ROWS if r.cli], ids=lambda r: r.name)
def test_through_the_cli_the_exit_code_says_whether_every_platform_is_ok(row: Row, tmp_path: Path) -> None:
    swept = cli_row(row, tmp_path)
    problems = check_row(row, swept)
    assert not problems, "\n".join(problems)
    all_ok = all(row.expect[p].status is FlowStatus.OK for p in row.platforms)
    assert swept.exit_code == (0 if all_ok else 1), swept.stderr[-2000:]
