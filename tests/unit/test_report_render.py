"""The report is a pure function of the run: pinned by a golden file, escaped, masked."""

import os
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sweeper.models import Category, Finding, FlowResult, FlowStatus, ListTally, RunResult
from sweeper.report.render import render_report
from sweeper.rules import with_time_left

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
GOLDEN = Path(__file__).parent.parent / "golden" / "report.html"


def sample_run() -> RunResult:
    def f(order: str, category: Category, hours: float | None, **extra: object) -> Finding:
        deadline = NOW + timedelta(hours=hours) if hours is not None else None
        return with_time_left(
            Finding(platform="pdd", account="default", category=category, order_no=order,
                    deadline_at=deadline, **extra),  # type: ignore[arg-type]
            NOW,
        )

    pdd = FlowResult(
        platform="pdd", account="default", label="拼多多", status=FlowStatus.OK, started_at=NOW,
        findings=[
            f("261124-000000000000001", Category.OVERDUE_SHIPMENT, -5, item="阿莫西林胶囊 0.25g*24粒×2",
              amount_yuan=Decimal("36.80"), buyer_memo="<script>alert('x')</script>请尽快发货 13812345678",
              customer="王小明 138****5678", status_text="待发货",
              link="https://mms.pinduoduo.com/orders/detail?sn=261124-000000000000001"),
            f("261125-000000000000002", Category.AFTERSALE_DUE_SOON, 3, status_text="仅退款，待商家处理",
              amount_yuan=Decimal("12.00")),
            f("261125-000000000000003", Category.SHIPMENT_DUE_SOON, None, problems=[
                "deadline_at: time unparseable: '明天'"], raw={"deadline_at": "明天"}),
            f("RX-1", Category.PRESCRIPTION_REVIEW, None, customer="李四"),
        ],
        lists=[ListTally(name="orders_to_ship", pages=1, rows_read=3, rows_kept=3, expected=3, complete=True)],
    )
    suning = FlowResult(platform="suning", account="default", label="苏宁", status=FlowStatus.NEEDS_LOGIN,
                        reason="the site asked to log in again", fix_command="sweeper login suning --account default",
                        started_at=NOW)
    empty = FlowResult(platform="admin", account="default", label="官网", status=FlowStatus.OK, started_at=NOW)
    failed = FlowResult(platform="yaofangwang", account="default", label="药房网", status=FlowStatus.FAILED,
                        reason="layout changed: list.body_rows", evidence=["evidence/yaofangwang-default.png"],
                        started_at=NOW)
    return RunResult(run_id="20261126-092000-abcd", slot="09:30", now=NOW, started_at=NOW,
                     finished_at=NOW, platforms=[pdd, suning, empty, failed])


def test_report_matches_the_golden_file() -> None:
    html = render_report(sample_run())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_scraped_markup_is_shown_as_text() -> None:
    html = render_report(sample_run())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_customers_are_masked_by_default_and_not_when_disabled() -> None:
    masked = render_report(sample_run())
    assert "13812345678" not in masked and "王小明" not in masked and "李四" not in masked
    plain = render_report(sample_run(), mask=False)
    assert "王小明" in plain


def test_nothing_found_and_could_not_check_read_differently() -> None:
    html = render_report(sample_run())
    assert "已全部检查：没有待处理事项" in html  # admin: ok and empty
    assert "未能检查：登录已失效" in html and "sweeper login suning --account default" in html
    assert "未能检查：layout changed: list.body_rows" in html
    assert 'href="evidence/yaofangwang-default.png"' in html


def test_most_urgent_first() -> None:
    html = render_report(sample_run())
    order = [html.index(o) for o in ("261124-000000000000001", "261125-000000000000003",
                                     "261125-000000000000002", "RX-1")]
    assert order == sorted(order)


def test_self_contained_no_external_requests_no_script() -> None:
    html = render_report(sample_run())
    assert "<script" not in html.lower()
    assert 'src="http' not in html and "<link" not in html and "@import" not in html


def test_a_first_sweep_has_no_change_marks_and_a_later_one_has_them() -> None:
    from sweeper.history_compare import OpenFinding, compare, rechecked_in

    run = sample_run()
    first = compare([], run.findings, rechecked=rechecked_in(run), now=NOW)
    assert "新增" not in render_report(run, changes=first)
    older = run.findings[0]
    resolved = older.model_copy(update={"order_no": "261120-000000000000099"})
    later = compare([OpenFinding(older, NOW - timedelta(days=2)), OpenFinding(resolved, NOW)], run.findings,
                    rechecked=rechecked_in(run), now=NOW, previous_run_id="20261125-092000-0001")
    html = render_report(run, changes=later)
    assert "自 11-24 09:20 起" in html and html.count(">新增<") == len(run.findings) - 1
    assert "上次巡检后已解决（1 项）" in html and "261120-000000000000099" in html


def test_a_session_likely_to_lapse_before_the_next_slot_is_warned_about() -> None:
    run = sample_run()
    soon, later = NOW + timedelta(minutes=5), NOW + timedelta(hours=3)  # the next slot is 09:30
    pdd = run.platforms[0].model_copy(update={"session_expiry": soon})
    admin = run.platforms[2].model_copy(update={"session_expiry": later})
    html = render_report(run.model_copy(update={"platforms": [pdd, run.platforms[1], admin, run.platforms[3]]}))
    assert "登录预计在 11-26 09:25 失效，早于下个班次（09:30）" in html
    assert "sweeper login pdd --account default" in html
    assert "sweeper login admin" not in html
