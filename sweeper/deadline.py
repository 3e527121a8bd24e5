"""`--deadline`: when the whole run must be over, so the report goes out before the slot.

Given as a clock time ("09:25", today in the run's time zone) or a number of seconds ("600",
"600s"). The sweep stops a little before it (RESERVE), leaving time to keep evidence, write the
report and send it: the deadline is when the operator has the mail, not when browsing stops.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sweeper.errors import ConfigError

RESERVE_S = 15.0  # evidence, report and mail after the platforms are stopped
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_SECONDS = re.compile(r"^(\d+(?:\.\d+)?)\s*s?$")


def seconds_until(text: str, now: datetime) -> float:
    """Seconds from `now` (aware) to the deadline; a clear error for a malformed or past one."""
    value = text.strip()
    if match := _SECONDS.match(value):
        seconds = float(match.group(1))
    elif match := _CLOCK.match(value):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ConfigError(f"--deadline {text!r}: not a time of day")
        at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        seconds = (at - now).total_seconds()
        if seconds <= 0:
            raise ConfigError(f"--deadline {text}: that time has already passed ({now:%H:%M} now)")
    else:
        raise ConfigError(f"--deadline {text!r}: give a time (09:25) or seconds (600)")
    if seconds <= 0:
        raise ConfigError(f"--deadline {text!r}: must be in the future")
    return seconds


def sweep_budget(total_s: float) -> float:
    """How long the platforms may run within a deadline `total_s` away."""
    return max(total_s - min(RESERVE_S, total_s * 0.1), total_s * 0.5)


def describe(now: datetime, seconds: float) -> str:
    return (now + timedelta(seconds=seconds)).strftime("%H:%M:%S")
