"""The slot checklist: which slot a run belongs to, and what each paper line says in the report."""

from __future__ import annotations

from datetime import datetime

import pytest

from sweeper.checklist import SLOTS, get_slot, slot_for
from sweeper.crosscheck import with_cross_checks
from sweeper.errors import ConfigError
from sweeper.models import Category, Finding, FlowResult, FlowStatus, RunResult
from sweeper.report.checklist_view import checklist_groups
from sweeper.report.labels import LINE_DISABLED, LINE_MANUAL, LINE_NONE, LINE_NOT_CHECKED
from sweeper.report.render import render_report
from tests.helpers import FIXED_NOW, SHANGHAI


@pytest.mark.parametrize(("clock", "slot"), [
    ("06:00", "0930"), ("09:30", "0930"), ("09:31", "1000"), ("10:00", "1000"),
    ("12:00", "1700"), ("17:00", "1700"), ("22:00", "1700"),
])
def test_the_default_slot_is_the_next_one_by_the_clock(clock: str, slot: str) -> None:
    hour, minute = map(int, clock.split(":"))
    assert slot_for(datetime(2026, 11, 26, hour, minute, tzinfo=SHANGHAI)).key == slot


def test_a_slot_can_be_named_and_a_wrong_one_is_a_clear_error() -> None:
    assert get_slot("1000", FIXED_NOW).key == "1000"
    assert get_slot("17:00", FIXED_NOW).key == "1700"
    assert get_slot(None, FIXED_NOW).key == "0930"  # FIXED_NOW is 09:20
    with pytest.raises(ConfigError, match="0930, 1000, 1700"):
        get_slot("0800", FIXED_NOW)


def _platform(key: str, status: FlowStatus = FlowStatus.OK, *findings: Finding) -> FlowResult:
    return FlowResult(platform=key, account="default", label=key, status=status, findings=list(findings),
                      started_at=FIXED_NOW, role="erp" if key == "hupun" else "marketplace")


def _f(platform: str, category: Category, order_no: str) -> Finding:
    return Finding(platform=platform, account="default", category=category, order_no=order_no)


def _run(*platforms: FlowResult, slot: str = "0930") -> RunResult:
    run = RunResult(run_id="t", slot=slot, now=FIXED_NOW, started_at=FIXED_NOW, finished_at=FIXED_NOW,
                    platforms=list(platforms))
    return with_cross_checks(run)


def _lines(run: RunResult, slot: str) -> dict[str, tuple[str, list[str]]]:
    groups = checklist_groups(run, SLOTS[slot], run.findings)
    return {lv.line.key: (lv.state, [f.order_no for f in lv.findings]) for g in groups for lv in g.lines}


def test_every_finding_lands_under_exactly_one_line() -> None:
    findings = [_f("yaofangwang", Category.OVERDUE_SHIPMENT, "Y1"), _f("pdd", Category.OVERDUE_SHIPMENT, "P1"),
                _f("admin", Category.STOCK_SHORTAGE, "G1"), _f("pdd", Category.COMPLAINT, "P2")]
    run = _run(_platform("yaofangwang", FlowStatus.OK, findings[0]),
               _platform("pdd", FlowStatus.OK, findings[1], findings[3]),
               _platform("admin", FlowStatus.OK, findings[2]))
    lines = _lines(run, "0930")
    placed = [no for _, numbers in lines.values() for no in numbers]
    assert sorted(placed) == ["G1", "P1", "P2", "Y1"]
    assert lines["yfw_ship"][1] == ["Y1"] and lines["overdue"][1] == ["P1"]
    assert lines["admin_stock"][1] == ["G1"]  # another slot's line still gives it a home


def test_a_quiet_line_says_none_only_when_its_systems_were_read() -> None:
    run = _run(_platform("yaofangwang"), _platform("pdd", FlowStatus.FAILED), _platform("hupun"))
    lines = _lines(run, "0930")
    assert lines["yfw_rx"][0] == LINE_NONE
    assert lines["complaints"][0] == LINE_NOT_CHECKED  # pdd failed; pingan/suning not swept
    assert lines["hupun_remarks"][0] == LINE_NONE
    assert lines["intercept"][0] == LINE_MANUAL


def test_a_line_whose_systems_were_not_swept_says_so() -> None:
    lines = _lines(_run(_platform("pdd")), "1000")
    assert lines["admin_stock"][0] == LINE_DISABLED
    assert lines["admin_followup"][0] == LINE_MANUAL  # the pharmacist-WeChat to-do is always there
    assert lines["return_remark"][0] == LINE_NOT_CHECKED  # no ERP: "could not check", never "none"


def test_the_report_follows_the_slot_and_lists_the_manual_todo() -> None:
    run = _run(_platform("admin", FlowStatus.OK, _f("admin", Category.STOCK_SHORTAGE, "G1")), slot="1000")
    html = render_report(run)
    assert "10:00 班次检查清单" in html
    assert html.index("10:00 前 · 官网后台") < html.index("每次必查")
    assert "加药师微信" in html and "申通在钉钉群" in html
    assert "09:30 前 · 药房网" not in html  # other slots' lines only appear when they hold findings
    assert "未能核对" in html and "无法核对，不代表没有问题" in html
