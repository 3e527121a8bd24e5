import contextlib
from datetime import datetime, timedelta
from decimal import Decimal

from sweeper.models import Category
from sweeper.parsing import (
    SHANGHAI,
    FindingDraft,
    countdown,
    fen_to_yuan,
    local_datetime,
    unix_millis,
    unix_seconds,
    yuan,
)


def test_fen_becomes_yuan_exactly() -> None:
    assert fen_to_yuan(1234).value == Decimal("12.34")
    assert fen_to_yuan("5").value == Decimal("0.05")


def test_money_text_in_yuan_with_symbols() -> None:
    assert yuan("¥1,234.5").value == Decimal("1234.50")
    assert yuan("12元").value == Decimal("12.00")
    assert not yuan("免费").ok


def test_seconds_and_millis_are_not_confused() -> None:
    assert unix_seconds(1764120000).value == unix_millis(1764120000000).value
    # A millisecond value read as seconds would land in the year 57,000: refused, not believed.
    assert not unix_seconds(1764120000000).ok


def test_local_time_formats_of_the_back_ends() -> None:
    for text in ("2026-11-26 09:20:00", "2026/11/26 09:20", "2026年11月26日 09:20"):
        parsed = local_datetime(text)
        assert parsed.value is not None and (parsed.value.hour, parsed.value.minute) == (9, 20)
        assert str(parsed.value.tzinfo) == "Asia/Shanghai"


def test_local_time_reads_what_strptime_reads_with_or_without_its_fast_path() -> None:
    """The regex fast path and the strptime formats agree, including 315's `yyyy/M/d H:mm:ss`."""
    formats = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
    for text in ("2026/11/26 9:20:00", "2026/1/2 0:05", "2026-1-2 03:04:05", "2026/11-26 9:20",
                 "2026-11/26 9:20", "2026/2/30 9:20:00", "2026/11/26 24:00:00", "2026/11/26 9:20:00:00"):
        expected = None
        for fmt in formats:
            with contextlib.suppress(ValueError):
                expected = datetime.strptime(text, fmt).replace(tzinfo=SHANGHAI)
                break
        assert local_datetime(text).value == expected, text
    assert local_datetime("2026/11/26 9:20:00").value == datetime(2026, 11, 26, 9, 20, tzinfo=SHANGHAI)


def test_countdown_text_of_pinduoduo() -> None:
    assert countdown("6天23时59分59秒未处理，系统将自动退款").value == timedelta(
        days=6, hours=23, minutes=59, seconds=59
    )
    assert countdown("1天3小时20分").value == timedelta(days=1, hours=3, minutes=20)
    assert not countdown("已超时").ok


def test_a_row_with_a_bad_deadline_is_kept_and_flagged() -> None:
    draft = FindingDraft("pdd", "default", Category.SHIPMENT_DUE_SOON, "261126-1")
    assert draft.take("deadline_at", unix_seconds("明天")) is None
    finding = draft.build()
    assert finding.deadline_at is None
    assert finding.raw == {"deadline_at": "明天"}
    assert finding.problems and "deadline_at" in finding.problems[0]


def test_a_row_without_order_number_is_flagged_not_dropped() -> None:
    finding = FindingDraft("pdd", "default", Category.COMPLAINT, "").build()
    assert finding.order_no == "(无单号)"
    assert "order_no: missing" in finding.problems
