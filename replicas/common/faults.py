"""Fault helpers several replicas share.

`date_format`: a site prints its times in a format it never used before. Every replica that has the
fault prints them day first, `26/11/2026 09:20` (as some redesigns and foreign-built back-ends
do). Day-first dates must never be guessed at: 03/04 reads either way. So a flow keeps the row,
leaves the time empty and flags it with the raw text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_DATE_FORMAT = "%d/%m/%Y %H:%M"
_KNOWN_TEXT = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def new_date_style(value: Any) -> Any:
    """A time in the new format: from a datetime, unix seconds or milliseconds, or known text.

    Anything else (empty, None, free text) is returned as it is.
    """
    moment = _as_datetime(value)
    return value if moment is None else moment.astimezone(SHANGHAI).strftime(NEW_DATE_FORMAT)


def restyle_fields(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A copy of `record` whose named time fields are in the new format."""
    return {k: new_date_style(v) if k in fields else v for k, v in record.items()}


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, SHANGHAI)
    if isinstance(value, str):
        text = value.strip()
        for fmt in _KNOWN_TEXT:
            try:
                return datetime.strptime(text, fmt).replace(tzinfo=SHANGHAI)
            except ValueError:
                continue
        if text.isdigit():
            return _as_datetime(int(text))
    return None


Record = dict[str, Any]


class ListShift:
    """`list_shift`: a new record lands on top of a list between the flow's page 1 and page 2.

    Page 1 of the list arms it; the next later page first gets the new record (once per replica):
    every row moves down one place, so that page repeats the last row of page 1 and the new
    record is on no page the flow reads.
    """

    def __init__(self) -> None:
        self.armed = False
        self.done = False

    def before_page(self, page: int, rows: list[Record], table: list[Record], fresh: Callable[[Record], Record]) -> None:
        """Called with the (filtered) rows a page is about to be cut from, and the table they come from."""
        if page <= 1:
            self.armed = not self.done
        elif self.armed and rows:
            self.armed, self.done = False, True
            record = fresh(rows[0])
            table.insert(0, record)
            if rows is not table:
                rows.insert(0, record)
