"""Property tests: scraped values of any shape go through the parsers and FindingDraft without a
crash, and nothing read is lost (a value that does not parse is kept raw, with a problem line)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sweeper.models import Category, Finding
from sweeper.parsing import (
    FindingDraft,
    Parsed,
    clean_text,
    countdown,
    fen_to_yuan,
    integer,
    local_datetime,
    unix_millis,
    unix_seconds,
    yuan,
)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSERS = (yuan, fen_to_yuan, unix_seconds, unix_millis, local_datetime, countdown, integer)

# What a cell or a JSON field may hold: text of any script, markup, odd dates and amounts, numbers
# of every size and kind, nothing at all.
ODD_DATES = st.sampled_from([
    "2026-11-26 09:20:00", "2026/11/26 9:20", "26/11/2026 09:20", "11-26 09:20", "2026年11月26日 09:20",
    "2026-02-30 10:00:00", "0000-00-00 00:00:00", "昨天 09:20", "2026-11-26T09:20:00+08:00", "1795694800",
    "1795694800000", "-1", "NaN", "9" * 40, "", " ", "\u3000", "null",
])
ODD_AMOUNTS = st.sampled_from([
    "¥12.50", "￥0", "12.5元", "1,234.00", "-0.01", "1e309", "NaN", "Infinity", "¥", "12.5.5", "１２.５",
    "0x1F", "  7  ", "99999999999999999999999999999.99",
])
TEXT = st.text(max_size=300) | st.text(alphabet="<>&\"'/=abc 中文\n\t\x00\ufeff", max_size=80)
SCALARS = (
    TEXT | ODD_DATES | ODD_AMOUNTS | st.none() | st.booleans() | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True) | st.decimals(allow_nan=True, allow_infinity=True)
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=6)


@FUZZ
@given(VALUES)
def test_every_parser_returns_a_value_or_a_problem_with_the_raw_text(raw: Any) -> None:
    for parse in PARSERS:
        parsed = parse(raw)
        assert isinstance(parsed, Parsed)
        if parsed.ok:
            assert parsed.value is not None, (parse.__name__, raw)
        else:
            assert parsed.value is None and parsed.problem and isinstance(parsed.raw, str), (parse.__name__, raw)


@FUZZ
@given(VALUES)
@example("NaN")
@example("1E30")
@example(1e26)
@example(float("inf"))
@example(Decimal("sNaN"))
@example("6天23时59分59秒未处理")
def test_parsed_values_are_of_their_type_and_sane(raw: Any) -> None:
    for money in (yuan(raw), fen_to_yuan(raw)):
        if money.ok:
            assert isinstance(money.value, Decimal) and money.value.is_finite(), raw
    for when in (local_datetime(raw), unix_seconds(raw), unix_millis(raw)):
        if when.ok:
            assert isinstance(when.value, datetime) and when.value.tzinfo is not None
    left = countdown(raw)
    if left.ok:
        assert isinstance(left.value, timedelta) and left.value >= timedelta(0)


@FUZZ
@given(VALUES, st.integers(min_value=0, max_value=5000))
def test_clean_text_folds_whitespace_and_is_bounded(raw: Any, limit: int) -> None:
    text = clean_text(raw, limit)
    assert len(text) <= limit
    assert text == text.strip() and "\n" not in text and "  " not in text


@FUZZ
@given(order_no=TEXT, fields=st.dictionaries(st.sampled_from(["amount_yuan", "created_at", "deadline_at"]),
                                            VALUES, max_size=3))
def test_a_row_is_never_dropped_for_an_odd_cell_and_its_raw_text_is_kept(order_no: str, fields: dict[str, Any]) -> None:
    draft = FindingDraft("pdd", "default", Category.SHIPMENT_DUE_SOON, clean_text(order_no, 64))
    parsers = {"amount_yuan": yuan, "created_at": local_datetime, "deadline_at": local_datetime}
    for name, raw in fields.items():
        draft.take(name, parsers[name](raw))
    finding = draft.build()
    assert isinstance(finding, Finding) and finding.order_no
    for name, raw in fields.items():
        if getattr(finding, name) is None:
            assert name in finding.raw and any(p.startswith(f"{name}:") for p in finding.problems), (name, raw)
    if not clean_text(order_no, 64):
        assert finding.order_no == "(无单号)" and "order_no: missing" in finding.problems
    assert Finding.model_validate_json(finding.model_dump_json()) == finding  # survives run.json


# "YYYY-MM-DD HH:MM[:SS]" has a path of its own (no strptime); any text must read as strptime reads it.
DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=5)


@FUZZ
@given(year=DIGITS, month=DIGITS, day=DIGITS, hour=DIGITS, minute=DIGITS,
       second=st.none() | DIGITS, gap=st.sampled_from([" ", "  ", "\t", "T", "\u3000", ""]))
@example(year="2026", month="2", day="29", hour="9", minute="5", second=None, gap=" ")
@example(year="2026", month="11", day="26", hour="09", minute="20", second="60", gap=" ")
@example(year="2026", month="1", day="2", hour="3", minute="4", second="5", gap="T")
def test_the_common_date_shape_reads_as_strptime_reads_it(
    year: str, month: str, day: str, hour: str, minute: str, second: str | None, gap: str
) -> None:
    text = f"{year}-{month}-{day}{gap}{hour}:{minute}" + ("" if second is None else f":{second}")
    by_strptime: datetime | None = None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            by_strptime = datetime.strptime(" ".join(text.split()), fmt)
            break
        except ValueError:
            continue
    read = local_datetime(text).value
    assert (read.replace(tzinfo=None) if read else None) == by_strptime
