"""History: new / still open (since when) / gone / not re-checked, stored in SQLite, and its commands."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sweeper.cli_more import register
from sweeper.history import History, UnknownRun, history_file
from sweeper.history_compare import OpenFinding, compare, rechecked_in
from sweeper.models import Category, CheckResult, CheckStatus, Finding, FlowResult, FlowStatus, RunResult
from sweeper.settings import Settings
from tests.helpers import FIXED_NOW

DAY1 = FIXED_NOW
DAY2 = FIXED_NOW + timedelta(days=1)
DAY3 = FIXED_NOW + timedelta(days=2)


def finding(platform: str, order: str, category: Category = Category.OVERDUE_SHIPMENT, **extra: object) -> Finding:
    return Finding(platform=platform, account="default", category=category, order_no=order, **extra)  # type: ignore[arg-type]


def flow(platform: str, status: FlowStatus, *findings: Finding, role: str = "marketplace") -> FlowResult:
    return FlowResult(platform=platform, account="default", label=platform.upper(), status=status,
                      started_at=FIXED_NOW, findings=list(findings), role=role)


def run(run_id: str, now: datetime, *platforms: FlowResult, checks: list[CheckResult] | None = None) -> RunResult:
    return RunResult(run_id=run_id, slot="0930", now=now, started_at=now, finished_at=now,
                     platforms=list(platforms), checks=checks or [])


def ids(findings: list[Finding]) -> set[str]:
    return {f.order_no for f in findings}


# -- the pure comparison -------------------------------------------------------------------------


def test_compare_marks_new_still_open_gone_and_not_rechecked() -> None:
    a, b, c = finding("pdd", "A"), finding("pdd", "B"), finding("suning", "C")
    previous = [OpenFinding(a, DAY1), OpenFinding(b, DAY1), OpenFinding(c, DAY1)]
    now = run("r2", DAY2, flow("pdd", FlowStatus.OK, a, finding("pdd", "D")), flow("suning", FlowStatus.FAILED))
    changes = compare(previous, now.findings, rechecked=rechecked_in(now), now=DAY2)
    assert changes.state == {a.identity: "still_open", finding("pdd", "D").identity: "new"}
    assert changes.since[a.identity] == DAY1 and changes.since[finding("pdd", "D").identity] == DAY2
    assert ids(changes.gone) == {"B"}  # pdd was read to the end and B was not there
    assert ids(changes.not_rechecked) == {"C"}  # suning failed: C is not resolved, only not looked at
    assert changes.since[c.identity] == DAY1
    assert (changes.new, changes.still_open) == (1, 1)


def test_a_partial_platform_does_not_resolve_what_it_did_not_see() -> None:
    b = finding("pdd", "B")
    now = run("r2", DAY2, flow("pdd", FlowStatus.PARTIAL))
    changes = compare([OpenFinding(b, DAY1)], [], rechecked=rechecked_in(now), now=DAY2)
    assert changes.gone == [] and ids(changes.not_rechecked) == {"B"}


def test_a_platform_missing_from_the_run_is_not_rechecked() -> None:
    changes = compare([OpenFinding(finding("xywy", "X"), DAY1)], [],
                      rechecked=rechecked_in(run("r2", DAY2, flow("pdd", FlowStatus.OK))), now=DAY2)
    assert ids(changes.not_rechecked) == {"X"} and changes.gone == []


def test_carried_findings_get_their_time_left_against_the_new_clock() -> None:
    due = finding("suning", "C", deadline_at=DAY1 + timedelta(hours=30), seconds_left=30 * 3600)
    changes = compare([OpenFinding(due, DAY1)], [], rechecked=lambda f: False, now=DAY2)
    assert changes.not_rechecked[0].seconds_left == 6 * 3600


def test_cross_check_findings_are_resolved_only_when_their_check_compared_again() -> None:
    mismatch = finding("pdd", "R1", Category.RETURN_WITHOUT_REMARK, check="return_remark")
    previous = [OpenFinding(mismatch, DAY1)]
    erp_down = run("r2", DAY2, flow("pdd", FlowStatus.OK), flow("hupun", FlowStatus.FAILED, role="erp"),
                   checks=[CheckResult(name="return_remark", status=CheckStatus.NOT_CHECKED)])
    carried = compare(previous, [], rechecked=rechecked_in(erp_down), now=DAY2)
    assert ids(carried.not_rechecked) == {"R1"} and carried.gone == []
    checked = run("r3", DAY3, flow("pdd", FlowStatus.OK), flow("hupun", FlowStatus.OK, role="erp"),
                  checks=[CheckResult(name="return_remark", status=CheckStatus.CHECKED, compared=["hupun", "pdd"])])
    resolved = compare(previous, [], rechecked=rechecked_in(checked), now=DAY3)
    assert ids(resolved.gone) == {"R1"}
    still = compare(previous, [mismatch], rechecked=rechecked_in(checked), now=DAY3)
    assert still.state == {mismatch.identity: "still_open"} and still.since[mismatch.identity] == DAY1


# -- the SQLite store ----------------------------------------------------------------------------


def three_runs() -> list[RunResult]:
    a, b, c, d = finding("pdd", "A"), finding("pdd", "B"), finding("suning", "C"), finding("pdd", "D")
    return [
        run("r1", DAY1, flow("pdd", FlowStatus.OK, a, b), flow("suning", FlowStatus.OK, c)),
        run("r2", DAY2, flow("pdd", FlowStatus.OK, a, d), flow("suning", FlowStatus.NEEDS_LOGIN)),
        run("r3", DAY3, flow("pdd", FlowStatus.OK, a), flow("suning", FlowStatus.FAILED)),
    ]


def test_history_over_three_runs(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    first, second, third = (history.record(r) for r in three_runs())
    a, c, d = finding("pdd", "A").identity, finding("suning", "C").identity, finding("pdd", "D").identity
    assert set(first.state.values()) == {"new"} and first.previous_run_id is None
    assert second.state == {a: "still_open", d: "new"} and second.since[a] == DAY1
    assert ids(second.gone) == {"B"} and ids(second.not_rechecked) == {"C"}
    # r3: D resolved (pdd ok); C still carried forward, still since day 1, never counted as resolved
    assert third.state == {a: "still_open"} and third.since[a] == DAY1
    assert ids(third.gone) == {"D"} and ids(third.not_rechecked) == {"C"} and third.since[c] == DAY1
    assert third.previous_run_id == "r2"
    # suning is back and C is gone for real: only now is it resolved
    fourth = history.record(run("r4", DAY3 + timedelta(days=1), flow("pdd", FlowStatus.OK, finding("pdd", "A")),
                                flow("suning", FlowStatus.OK)))
    assert ids(fourth.gone) == {"C"} and fourth.not_rechecked == []


def test_a_carried_finding_seen_again_is_still_open_since_its_first_day(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    for r in three_runs():
        history.record(r)
    back = history.record(run("r4", DAY3 + timedelta(days=1), flow("suning", FlowStatus.OK, finding("suning", "C")),
                              flow("pdd", FlowStatus.OK)))
    c = finding("suning", "C").identity
    assert back.state[c] == "still_open" and back.since[c] == DAY1


def test_runs_are_compared_with_the_previous_run_in_time_not_in_recording_order(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    r1, r2, r3 = three_runs()
    history.record(r3)
    history.record(r1)
    assert history.changes(r2).previous_run_id == "r1"
    assert history.changes(r3).previous_run_id == "r1"  # r2 is not stored yet
    history.record(r2)
    assert history.changes(r3).previous_run_id == "r2"
    assert history.record(r1).previous_run_id is None  # recording again replaces, never compares with itself


def test_load_returns_the_stored_run_and_runs_lists_newest_first(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    for r in three_runs():
        history.record(r)
    assert history.load("r2") == three_runs()[1]
    summaries = history.runs(limit=2)
    assert [s.run_id for s in summaries] == ["r3", "r2"]
    r3 = summaries[0]
    assert r3.statuses == (("pdd", FlowStatus.OK), ("suning", FlowStatus.FAILED))
    assert (r3.findings, r3.new, r3.gone, r3.not_rechecked, r3.all_ok) == (1, 0, 1, 1, False)
    assert r3.now == DAY3 and history.latest() == "r3"
    with pytest.raises(UnknownRun, match="nope"):
        history.load("nope")


def test_the_history_file_defaults_to_the_state_dir_and_is_private(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "state")
    assert history_file(settings) == tmp_path / "state" / "history.sqlite3"
    History(history_file(settings)).record(three_runs()[0])
    assert stat.S_IMODE(history_file(settings).stat().st_mode) == 0o600
    assert history_file(Settings(state_dir=tmp_path, history_path=tmp_path / "x.db")) == tmp_path / "x.db"


def test_ten_thousand_findings_are_recorded_and_compared(tmp_path: Path) -> None:
    many = [finding("pdd", f"O{i:05d}") for i in range(10_000)]
    history = History(tmp_path / "h.sqlite3")
    history.record(run("big1", DAY1, flow("pdd", FlowStatus.OK, *many)))
    changes = history.record(run("big2", DAY2, flow("pdd", FlowStatus.OK, *many[1:])))
    assert changes.still_open == 9_999 and ids(changes.gone) == {"O00000"}


# -- the commands --------------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, Path]:
    """An app with the history commands, and a settings file whose history holds three runs."""
    config = tmp_path / "sweeper.toml"
    config.write_text(f'report_dir = "{tmp_path / "reports"}"\nstate_dir = "{tmp_path / "state"}"\n',
                      encoding="utf-8")
    history = History(history_file(Settings(state_dir=tmp_path / "state")))
    for r in three_runs():
        history.record(r)
    app = typer.Typer()
    register(app)
    return app, config


def test_history_command_lists_runs_with_statuses_and_counts(cli: tuple[typer.Typer, Path]) -> None:
    app, config = cli
    result = CliRunner().invoke(app, ["history", "--config", str(config), "--limit", "2"],
                                env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "r3" in result.output and "r2" in result.output and "r1" not in result.output
    assert "suning failed" in result.output and "1 not re-checked" in result.output


def test_report_command_rerenders_the_latest_or_a_given_run(
    cli: tuple[typer.Typer, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, config = cli
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    latest = CliRunner().invoke(app, ["report", "--config", str(config)])
    assert latest.exit_code == 0, latest.output
    path = Path(latest.output.strip().splitlines()[-1])
    assert path == (tmp_path / "reports" / "r3" / "report.html").resolve() and path.is_file()
    assert (path.parent / "run.json").is_file() and opened == []
    given = CliRunner().invoke(app, ["report", "r1", "--open", "--config", str(config)])
    assert given.exit_code == 0 and opened == [(tmp_path / "reports" / "r1" / "report.html").resolve().as_uri()]
    assert "SUNING" in Path(given.output.strip().splitlines()[-1]).read_text(encoding="utf-8")


def test_report_command_with_an_unknown_run_is_a_usage_error(cli: tuple[typer.Typer, Path]) -> None:
    app, config = cli
    result = CliRunner().invoke(app, ["report", "20990101-000000-beef", "--config", str(config)])
    assert result.exit_code == 2 and "no run '20990101-000000-beef'" in result.output
