"""Seeded synthetic records for the Suning replica, one list per MOMS tab.

Times are aware datetimes (the pages print them as "YYYY-MM-DD HH:MM:SS"), money is Decimal yuan
(printed "¥12.50"). Deadlines are relative to the clock's start so overdue, due-soon and
comfortable cases always exist. Records a scenario adds keep their values as given, so a malformed
value reaches the page unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from replicas.suning import vocab

Record = dict[str, Any]
LIST_NAMES = (
    "to_ship", "unpaid", "aftersale_review", "aftersale_receive", "aftersale_done",
    "complaints", "prescriptions",
)
DEFAULT_COUNTS = {
    "to_ship": 45, "unpaid": 30, "aftersale_review": 32, "aftersale_receive": 30,
    "aftersale_done": 12, "complaints": 30, "prescriptions": 30,
}
LIST_ALIASES = {
    "orders": "to_ship", "wait_delivery": "to_ship", "no_pay": "unpaid", "aftersales": "aftersale_review",
    "refunds": "aftersale_review", "complaint": "complaints", "rx": "prescriptions",
}
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


class Maker:
    """Builds one record at a time; numbers stay unique within a replica."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start.replace(microsecond=0)
        self._serial = rng.randrange(10**6, 10**7)

    def serial(self) -> int:
        self._serial += self.rng.randrange(3, 97)
        return self._serial

    def ago(self, low: timedelta, high: timedelta) -> datetime:
        return self.start - self.span(low, high)

    def ahead(self, low: timedelta, high: timedelta) -> datetime:
        return self.start + self.span(low, high)

    def span(self, low: timedelta, high: timedelta) -> timedelta:
        return timedelta(seconds=self.rng.randrange(int(low.total_seconds()), int(high.total_seconds())))

    def buyer(self) -> str:
        return self.rng.choice(vocab.SURNAMES) + "**"

    def phone(self) -> str:
        return f"{self.rng.choice(vocab.MOBILE_PREFIXES)}****{self.rng.randrange(10000):04d}"

    def goods(self, rx: bool | None = None) -> tuple[str, Decimal, bool]:
        pool = [g for g in vocab.GOODS if rx is None or g[2] == rx]
        name, price, is_rx = self.rng.choice(pool)
        return name, Decimal(price), is_rx

    def order_no(self) -> str:
        return f"3{self.serial():010d}"

    # -- one record per list --------------------------------------------------------------
    def to_ship(self, i: int) -> Record:
        kind = i % 10
        if kind == 0:
            promise = self.ago(10 * MINUTE, 20 * HOUR)
        elif kind in (1, 2):
            promise = self.ahead(20 * MINUTE, 11 * HOUR)
        else:
            promise = self.ahead(14 * HOUR, 47 * HOUR)
        return {**self._order(promise - 48 * HOUR), "promiseTime": promise, "status": "待发货"}

    def unpaid(self, i: int) -> Record:
        created = self.ago(5 * MINUTE, 20 * HOUR)
        return {**self._order(created, rx=i % 4 == 0), "status": "等待买家付款"}

    def _order(self, created: datetime, rx: bool | None = None) -> Record:
        name, price, is_rx = self.goods(rx)
        qty = self.rng.choice((1, 1, 1, 2, 3))
        return {
            "orderNo": self.order_no(),
            "orderTime": created,
            "goodsName": name,
            "qty": qty,
            "amount": price * qty,
            "buyerName": self.buyer(),
            "buyerPhone": self.phone(),
            "buyerMemo": self.rng.choice(vocab.BUYER_MEMOS),
            "payType": self.rng.choice(vocab.PAY_TYPES),
            "rx": is_rx,
        }

    def aftersale(self, status: str, deadline: datetime | None) -> Record:
        name, price, _ = self.goods()
        return {
            "serviceNo": f"8{self.serial():011d}",
            "orderNo": self.order_no(),
            "applyTime": self.ago(HOUR, 60 * HOUR),
            "kind": self.rng.choice(vocab.AFTERSALE_KINDS),
            "goodsName": name,
            "refundAmount": price,
            "buyerName": self.buyer(),
            "reason": self.rng.choice(vocab.AFTERSALE_REASONS),
            "status": status,
            "deadline": deadline,
        }

    def aftersale_review(self, i: int) -> Record:
        low, high = ((2 * HOUR, 23 * HOUR) if i % 3 == 0 else (25 * HOUR, 72 * HOUR))
        return self.aftersale(vocab.STATUS_REVIEW, self.ahead(low, high))

    def aftersale_receive(self, i: int) -> Record:
        if i % 2:
            return self.aftersale(vocab.STATUS_BUYER_RETURNING, None)
        return self.aftersale(vocab.STATUS_MERCHANT_RECEIPT, self.ahead(3 * HOUR, 96 * HOUR))

    def aftersale_done(self, i: int) -> Record:
        return self.aftersale(vocab.STATUS_DONE[i % 2], None)

    def complaints(self, i: int) -> Record:
        created = self.ago(HOUR, 40 * HOUR)
        k = self.rng.randrange(len(vocab.COMPLAINT_KINDS))
        return {
            "complaintNo": f"TS{self.start:%y%m%d}{self.serial():07d}",
            "orderNo": self.order_no(),
            "kind": vocab.COMPLAINT_KINDS[k],
            "content": vocab.COMPLAINT_TEXTS[k],
            "buyerName": self.buyer(),
            "createTime": created,
            "deadline": created + 48 * HOUR,
            "status": "待处理",
        }

    def prescriptions(self, i: int) -> Record:
        name, _, _ = self.goods(rx=True)
        return {
            "rxNo": f"CF{self.start:%y%m%d}{self.serial():07d}",
            "orderNo": self.order_no(),
            "drugName": name,
            "patient": self.rng.choice(vocab.SURNAMES) + "*",
            "hospital": self.rng.choice(vocab.HOSPITALS),
            "doctor": self.rng.choice(vocab.DOCTORS) + "医生",
            "submitTime": self.ago(5 * MINUTE, 30 * HOUR),
            "status": "待审核",
        }

    def builder(self, name: str) -> Callable[[int], Record]:
        built: Callable[[int], Record] = getattr(self, name)
        return built


def list_name(name: str) -> str:
    key = LIST_ALIASES.get(name, name)
    if key not in LIST_NAMES:
        raise ValueError(f"suning replica has no list {name!r} (lists: {', '.join(LIST_NAMES)})")
    return key


def _newest_first(records: list[Record], field: str) -> list[Record]:
    return sorted(records, key=lambda r: r[field], reverse=True)


_SORT_FIELD = {
    "to_ship": "orderTime", "unpaid": "orderTime", "aftersale_review": "applyTime",
    "aftersale_receive": "applyTime", "aftersale_done": "applyTime", "complaints": "createTime",
    "prescriptions": "submitTime",
}


def generate(maker: Maker, sizes: dict[str, int]) -> dict[str, list[Record]]:
    """Every list, newest first, as the back-end sorts them."""
    return {
        name: _newest_first([maker.builder(name)(i) for i in range(sizes[name])], _SORT_FIELD[name])
        for name in LIST_NAMES
    }


def complete(name: str, given: Record, maker: Maker) -> Record:
    """A scenario record: generated defaults for the fields it leaves out, its own values as given."""
    return {**maker.builder(name)(0), **given}


def merge(current: list[Record], added: list[Record], key: str) -> list[Record]:
    """Added records go on top; one with the same number replaces the generated one."""
    numbers = {r.get(key) for r in added}
    return added + [r for r in current if r.get(key) not in numbers]


KEY_FIELD = {
    "to_ship": "orderNo", "unpaid": "orderNo", "aftersale_review": "serviceNo",
    "aftersale_receive": "serviceNo", "aftersale_done": "serviceNo", "complaints": "complaintNo",
    "prescriptions": "rxNo",
}
