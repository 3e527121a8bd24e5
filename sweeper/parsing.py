"""Turning scraped values into typed ones without ever losing a row.

Every parser returns `Parsed[T]`: the value, or `None` with a problem sentence and the raw text.
`FindingDraft` gathers the problems of one row so the finding keeps its raw text and is flagged.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sweeper.models import Category, Finding

T = TypeVar("T")
SHANGHAI = ZoneInfo("Asia/Shanghai")

# The first four formats below as strptime reads them (1–2 digit fields but the year), e.g.
# `2026-11-26 09:20:00` and the `yyyy/M/d H:mm:ss` .NET prints under zh-CN (315): the same
# separator twice, seconds optional.
_COMMON_DATETIME = re.compile(
    r"(\d{4})([-/])(\d{1,2})\2(\d{1,2}) (\d{1,2}):(\d{1,2})(?::(\d{1,2}))?", re.ASCII
)
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
_COUNTDOWN = re.compile(r"(?:(\d+)\s*天)?\s*(?:(\d+)\s*(?:时|小时))?\s*(?:(\d+)\s*分)?\s*(?:(\d+)\s*秒)?")
# Plausible unix seconds: 2001-09-09 .. 2286-11-20. Anything else is a unit mistake.
_MIN_UNIX_S, _MAX_UNIX_S = 1_000_000_000, 9_999_999_999


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None
    problem: str = ""
    raw: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _bad(what: str, raw: Any) -> Parsed[Any]:
    text = "" if raw is None else str(raw)
    return Parsed(None, f"{what} unparseable: {text[:80]!r}", text)


def fen_to_yuan(raw: Any) -> Parsed[Decimal]:
    """Money the API gives in fen (integer cents) as yuan."""
    if isinstance(raw, bool) or raw is None or raw == "":
        return _bad("amount", raw)
    try:  # a number too big for 28 digits fails to quantize: unparseable, like any other oddity
        value = Decimal(str(raw))
        return Parsed(value.quantize(Decimal(1)) / 100) if value.is_finite() else _bad("amount", raw)
    except InvalidOperation:
        return _bad("amount", raw)


def yuan(raw: Any) -> Parsed[Decimal]:
    """Money shown as yuan text: '¥12.50', '12.5元', '1,234.00'."""
    text = str(raw or "").strip().replace(",", "").replace("，", "")
    text = text.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    try:  # a number too big for 28 digits fails to quantize: unparseable, like any other oddity
        value = Decimal(text)
        return Parsed(value.quantize(Decimal("0.01"))) if value.is_finite() else _bad("amount", raw)
    except InvalidOperation:
        return _bad("amount", raw)


def unix_seconds(raw: Any) -> Parsed[datetime]:
    """A unix timestamp in seconds (the unit most of these APIs use)."""
    return _unix(raw, 1)


def unix_millis(raw: Any) -> Parsed[datetime]:
    """A unix timestamp in milliseconds."""
    return _unix(raw, 1000)


def _unix(raw: Any, per_second: int) -> Parsed[datetime]:
    if isinstance(raw, bool):
        return _bad("time", raw)
    try:
        seconds = int(str(raw).strip()) / per_second
    except (TypeError, ValueError):
        return _bad("time", raw)
    if not _MIN_UNIX_S <= seconds <= _MAX_UNIX_S:
        return _bad("time", raw)
    return Parsed(datetime.fromtimestamp(seconds, SHANGHAI))


def local_datetime(raw: Any, tz: ZoneInfo = SHANGHAI) -> Parsed[datetime]:
    """A wall-clock time as the back-ends print it (Asia/Shanghai)."""
    text = " ".join(str(raw or "").split())
    # The common shape without strptime, which costs ~10 µs a try: seconds of Python over the
    # 70,000 rows of a 万里牛 sweep. Anything else (or out of range) takes the formats below.
    common = _COMMON_DATETIME.fullmatch(text)
    if common is not None:
        year, _, month, day, hour, minute, second = common.groups()
        with contextlib.suppress(ValueError):
            return Parsed(datetime(int(year), int(month), int(day), int(hour), int(minute),
                                   int(second or 0), tzinfo=tz))
    for fmt in _DATETIME_FORMATS:
        try:
            return Parsed(datetime.strptime(text, fmt).replace(tzinfo=tz))
        except ValueError:
            continue
    return _bad("time", raw)


def countdown(raw: Any) -> Parsed[timedelta]:
    """'6天23时59分59秒未处理…' or '12小时30分' as a duration."""
    text = str(raw or "")
    match = _COUNTDOWN.search(text)
    if match is None or not any(match.groups()):
        return _bad("countdown", raw)
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return Parsed(timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds))


def integer(raw: Any) -> Parsed[int]:
    try:
        return Parsed(int(str(raw).strip().replace(",", "")))
    except (TypeError, ValueError):
        return _bad("number", raw)


def clean_text(raw: Any, limit: int = 2000) -> str:
    """Scraped text, whitespace folded and bounded; escaping happens at render time."""
    if raw is None:
        return ""
    # str.split() splits where re's \s matches (Unicode whitespace), several times faster.
    return " ".join(str(raw).split())[:limit].rstrip()


@dataclass
class FindingDraft:
    """Builds one Finding, collecting parse problems instead of raising."""

    platform: str
    account: str
    category: Category
    order_no: str
    fields: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)

    def take(self, name: str, parsed: Parsed[Any]) -> Any:
        """Use a parsed value; a failure is recorded against `name` and the raw text kept."""
        if not parsed.ok:
            self.problems.append(f"{name}: {parsed.problem}")
            self.raw[name] = parsed.raw
        self.fields[name] = parsed.value
        return parsed.value

    def set(self, **values: Any) -> FindingDraft:
        self.fields.update(values)
        return self

    def build(self) -> Finding:
        order_no = self.order_no or "(无单号)"
        if not self.order_no:
            self.problems.append("order_no: missing")
        return Finding(
            platform=self.platform,
            account=self.account,
            category=self.category,
            order_no=order_no,
            problems=self.problems,
            raw=self.raw,
            **self.fields,
        )
