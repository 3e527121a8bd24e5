"""Results print as summaries: no scraped customer data in tracebacks, no seconds lost on a repr."""

from __future__ import annotations

from datetime import datetime

from sweeper.models import Category, Finding, FlowResult, FlowStatus, RunResult
from tests.helpers import FIXED_NOW


def _finding(number: int) -> Finding:
    return Finding(platform="pdd", account="default", category=Category.OVERDUE_SHIPMENT, order_no=f"N{number}",
                   status_text="待发货", customer="张三丰 13812345678")


def test_a_run_with_many_findings_reprs_as_a_short_summary_without_customer_data() -> None:
    flow = FlowResult(platform="pdd", account="default", status=FlowStatus.PARTIAL, started_at=FIXED_NOW,
                      findings=[_finding(n) for n in range(5000)])
    run = RunResult(run_id="20261126-092000-abcd", now=FIXED_NOW, started_at=FIXED_NOW,
                    finished_at=datetime.now(FIXED_NOW.tzinfo), platforms=[flow])
    text = repr(run)
    assert text == "RunResult(20261126-092000-abcd: FlowResult(pdd/default: partial, 5000 findings, 0 facts))"
    assert "13812345678" not in repr(flow) and "张三丰" not in text
