from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sweeper.models import Category, Finding, ListTally
from sweeper.report.mask import mask_customer, mask_phones
from sweeper.rules import by_urgency, tally_problems, with_time_left

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))


def _finding(order: str, hours: float | None, category: Category = Category.SHIPMENT_DUE_SOON,
             problems: list[str] | None = None) -> Finding:
    deadline = NOW + timedelta(hours=hours) if hours is not None else None
    return with_time_left(
        Finding(platform="pdd", account="default", category=category, order_no=order,
                deadline_at=deadline, problems=problems or []),
        NOW,
    )


def test_most_overdue_first_then_flagged_then_by_deadline_then_undated() -> None:
    ordered = by_urgency([
        _finding("later", 20),
        _finding("undated", None, Category.PRESCRIPTION_REVIEW),
        _finding("late-1h", -1),
        _finding("flagged", None, problems=["deadline_at: unparseable"]),
        _finding("late-2d", -48),
        _finding("soon", 2),
    ])
    assert [f.order_no for f in ordered] == ["late-2d", "late-1h", "flagged", "soon", "later", "undated"]


def test_time_left_is_negative_when_overdue() -> None:
    assert _finding("x", -1.5).seconds_left == -5400


def test_tally_mismatch_and_unfinished_lists_are_problems() -> None:
    problems = tally_problems([
        ListTally(name="orders", rows_read=118, expected=120, complete=True, note="首页计数"),
        ListTally(name="refunds", rows_read=40, pages=2, complete=False),
        ListTally(name="fine", rows_read=3, expected=3, complete=True),
    ])
    assert problems == [
        "orders: read 118 rows, the platform says 120 (首页计数)",
        "refunds: stopped after 2 page(s), 40 rows",
    ]


def test_phones_names_and_addresses_are_masked() -> None:
    assert mask_phones("请打13812345678或025-84001234") == "请打138****5678或025-****1234"
    masked = mask_customer("王小明 13812345678 江苏省南京市江宁区某某路88号")
    assert "13812345678" not in masked and "王小明" not in masked and "某某路88号" not in masked
    assert masked.startswith("王** 138****5678 江苏省南京市")
