"""A run with 100,000 findings renders into a page a browser can still open, counts intact.

How long it takes and how much memory it needs is measured by bench/report_render.py, not here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sweeper.models import Category, Finding, FlowResult, FlowStatus, ListTally, RunResult
from sweeper.report.render import ROW_BUDGET, render_report

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
CATEGORIES = (Category.OVERDUE_SHIPMENT, Category.SHIPMENT_DUE_SOON, Category.REFUND_WAITING,
              Category.AFTERSALE_DUE_SOON, Category.PRESCRIPTION_REVIEW, Category.COMPLAINT)
PLATFORMS = ("pdd", "pingan", "suning", "yaofangwang")


def huge_run(count: int) -> RunResult:
    platforms = []
    per = count // len(PLATFORMS)
    for p, key in enumerate(PLATFORMS):
        findings = []
        for i in range(per):
            left = (i % 500 - 100) * 600
            findings.append(Finding.model_construct(
                platform=key, account="default", category=CATEGORIES[(i + p) % len(CATEGORIES)],
                order_no=f"{key}-{i:08d}", item="阿莫西林胶囊 0.25g*24粒×2", amount_yuan=Decimal("36.80"),
                created_at=None, deadline_at=NOW + timedelta(seconds=left), seconds_left=left,
                status_text="待发货", buyer_memo="请尽快发货 13812345678", customer="王小明 13812345678",
                detail="", link=f"https://example.com/o/{i}", problems=[], raw={}, check="",
            ))
        tally = ListTally(name="orders", pages=per // 100, rows_read=per, rows_kept=per, expected=per, complete=True)
        platforms.append(FlowResult(platform=key, account="default", label=key, status=FlowStatus.OK,
                                    started_at=NOW, findings=findings, lists=[tally]))
    return RunResult(run_id="20261126-092000-big0", slot="09:30", now=NOW, started_at=NOW, finished_at=NOW,
                     platforms=platforms)


def test_100k_findings_render_into_a_bounded_page() -> None:
    html = render_report(huge_run(100_000), limit=None)
    assert html.count("<tr class=") <= ROW_BUDGET + 100  # the checklist rows, plus the urgent block
    assert len(html.encode()) < 16 * 1024 * 1024, f"{len(html) / 1e6:.1f} MB"  # not the 25+ MB of all rows
    assert "待处理 100000 项" in html  # the counts stay whole
    assert "未在此列出" in html and "run.json" in html  # the rows not shown are counted, and where they are said


def test_a_line_lists_its_most_urgent_findings_and_counts_the_rest() -> None:
    html = render_report(huge_run(100_000), limit=None)
    assert "pdd-00000000" in html  # among the most overdue: shown
    assert "pdd-00000499" not in html  # among the least urgent: counted, not listed


def test_a_small_run_lists_everything() -> None:
    html = render_report(huge_run(4 * 20), limit=None)
    assert "未在此列出" not in html and all(f"{p}-00000019" in html for p in PLATFORMS)
