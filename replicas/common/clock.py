"""The replicas' notion of "now": the wall clock, or a fixed instant from the scenario."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class ReplicaClock:
    """Deadlines in synthetic data are relative to this clock, so every case type always exists."""

    def __init__(self, fixed: datetime | None = None) -> None:
        if fixed is not None and fixed.tzinfo is None:
            fixed = fixed.replace(tzinfo=SHANGHAI)
        self._fixed = fixed
        self._started = datetime.now(SHANGHAI)

    def now(self) -> datetime:
        if self._fixed is None:
            return datetime.now(SHANGHAI)
        # A fixed clock still moves with real time, so expiry and countdowns behave,
        # but data generated at start-up stays relative to the fixed instant.
        return self._fixed + (datetime.now(SHANGHAI) - self._started)

    @property
    def start(self) -> datetime:
        return self._fixed if self._fixed is not None else self._started

    def timestamp(self) -> int:
        return int(self.now().timestamp())
