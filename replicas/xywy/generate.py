"""Seeded synthetic records of the 闻康商城 replica, and the scenario's own records merged in.

Times are relative to the replica clock's start, so overdue / due-soon / comfortable cases exist
whatever day the tests run. A scenario's `replace` / `add` records pass through unchanged, with
defaults for what they leave out (so a test can serve exactly the broken cell it needs).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from replicas.common.scenario import PlatformScenario
from replicas.xywy import vocab
from replicas.xywy.data import (
    DEFAULT_ITEMS,
    KEYS,
    ORDER_STATUS,
    PAY_TYPE,
    REFUND_STATUS,
    REFUND_TYPE,
    REPLY_STATUS,
    SHIP_WITHIN,
    Dataset,
    as_code,
    fmt,
    parse_time,
)


class _Maker:
    """Builds records with unique numbers from one seeded RNG."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start.replace(tzinfo=None)  # the pages print Beijing wall-clock time
        self.used: set[str] = set()

    def number(self, prefix: str, moment: datetime, digits: int = 4) -> str:
        while True:
            candidate = f"{prefix}{moment:%Y%m%d%H%M%S}{self.rng.randrange(10**digits):0{digits}d}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def nick(self) -> str:
        return self.rng.choice(vocab.NICK_PREFIX) + f"{self.rng.randrange(10**6):06d}"

    def order(self, status: int, created: datetime, *, cod: bool = False) -> dict[str, Any]:
        rng = self.rng
        created = created.replace(second=rng.randrange(60))
        picked = [(g, rng.choice((1, 1, 2, 3))) for g in rng.sample(vocab.GOODS, k=rng.choice((1, 1, 2)))]
        goods = [{"goodsName": name, "spec": spec, "num": num, "price": price} for (name, spec, price), num in picked]
        total = sum((Decimal(price) * num for (_, _, price), num in picked), Decimal(0))
        paid = status != 0 and not cod
        pay_time = created + timedelta(minutes=rng.randrange(1, 9)) if paid else None
        promise = (pay_time or created) + SHIP_WITHIN if status in (1, 2, 3) else None
        name = rng.choice(vocab.SURNAMES) + "".join(rng.choices(vocab.GIVEN, k=rng.choice((1, 2))))
        return {
            "orderSn": self.number("WK", created),
            "orderStatus": status, "orderStatusName": ORDER_STATUS[status],
            "payType": 2 if cod else 1, "payTypeName": PAY_TYPE[2 if cod else 1],
            "totalAmount": f"{total:.2f}", "freightAmount": "0.00",
            "createTime": fmt(created), "payTime": fmt(pay_time) if pay_time else "",
            "promiseShipTime": fmt(promise) if promise else "",
            "buyerNick": self.nick(), "receiverName": name,
            "receiverPhone": f"138****{rng.randrange(10000):04d}",
            "receiverAddress": f"{rng.choice(vocab.PROVINCES)}示例路{rng.randrange(1, 300)}号",
            "buyerRemark": rng.choice(vocab.BUYER_REMARKS), "sellerRemark": "", "goodsList": goods,
        }

    def to_ship(self, i: int) -> dict[str, Any]:
        """A 待发货 order whose promised ship time is overdue, due soon or comfortable (by i)."""
        minutes = (
            -self.rng.randrange(10, 30 * 60),  # overdue
            self.rng.randrange(10, 11 * 60),  # due within the default 12 h window
            self.rng.randrange(14 * 60, 47 * 60),  # comfortable
            self.rng.randrange(14 * 60, 47 * 60),
        )[i % 4]
        cod = i % 6 == 5
        # Paid a few minutes after ordering (COD: never paid online); the promise counts from payment.
        created = self.start + timedelta(minutes=minutes - (0 if cod else 4)) - SHIP_WITHIN
        return self.order(1, created, cod=cod)

    def refund(self, order: dict[str, Any], status: int) -> dict[str, Any]:
        rng = self.rng
        kind = 1 if status == 1 and rng.random() < 0.5 else 2
        # Applied at least 6 h after the order was placed, and at least 30 min ago.
        placed = parse_time(order["createTime"]) or self.start
        since = int((self.start - placed).total_seconds() // 60) - 6 * 60
        applied = self.start - timedelta(minutes=rng.randrange(30, max(31, since)))
        # [I] the shop has 48 h to answer an application and 7 days to confirm a returned parcel;
        # shifted so that some cases are inside the default 24 h window and some are not.
        left = timedelta(minutes=rng.choice((rng.randrange(20, 20 * 60), rng.randrange(26 * 60, 6 * 24 * 60))))
        open_case = status in (1, 2, 3)
        goods = order["goodsList"][0]
        return {
            "refundSn": self.number("TK", applied),
            "orderSn": order["orderSn"],
            "refundType": kind, "refundTypeName": REFUND_TYPE[kind],
            "refundStatus": status, "refundStatusName": f"{REFUND_TYPE[kind]}，{REFUND_STATUS[status]}",
            "refundAmount": order["totalAmount"], "reason": rng.choice(vocab.REFUND_REASONS),
            "applyTime": fmt(applied), "handleDeadline": fmt(self.start + left) if open_case else "",
            "goodsName": goods["goodsName"], "buyerNick": order["buyerNick"],
        }

    def consult(self, replied: bool, order: dict[str, Any] | None) -> dict[str, Any]:
        rng = self.rng
        asked = self.start - timedelta(minutes=rng.randrange(5, 3 * 24 * 60))
        goods = order["goodsList"][0]["goodsName"] if order else rng.choice(vocab.GOODS)[0]
        return {
            "consultSn": self.number("ZX", asked, 3),
            "orderSn": order["orderSn"] if order else "",
            "goodsName": goods, "buyerNick": order["buyerNick"] if order else self.nick(),
            "content": rng.choice(vocab.CONSULT_TEXTS), "createTime": fmt(asked),
            "replyStatus": int(replied), "replyStatusName": REPLY_STATUS[int(replied)],
            "replyContent": rng.choice(vocab.REPLIES) if replied else "",
            "replyTime": fmt(asked + timedelta(minutes=rng.randrange(3, 90))) if replied else "",
        }


def generate(rng: random.Random, start: datetime, n: int) -> Dataset:
    """About `n` 待发货 orders, n/2 open refund cases and n/2 unanswered questions, plus controls."""
    make = _Maker(rng, start)
    orders = [make.to_ship(i) for i in range(n)]
    for i in range(n // 2):  # orders no list of the sweep picks up
        status = (0, 2, 3, 4)[i % 4]
        orders.append(make.order(status, make.start - timedelta(minutes=rng.randrange(30, 7 * 24 * 60))))
    refunds = []
    for i in range(n // 2 + n // 4):
        status = (1, 3, 2, 1, 4, 5)[i % 6] if i < n // 2 else (4, 5, 6)[i % 3]
        placed = make.start - timedelta(days=rng.randrange(2, 9), minutes=rng.randrange(12 * 60))
        shipped = make.order(rng.choice((2, 3)), placed)
        orders.append(shipped)
        refunds.append(make.refund(shipped, status))
    consults = [
        make.consult(i >= n // 2, rng.choice(orders) if i % 3 == 0 else None) for i in range(n // 2 + n // 4)
    ]
    return Dataset(orders=orders, refunds=refunds, consults=consults)


def newest_first(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    column = "applyTime" if name == "refunds" else "createTime"
    return sorted(rows, key=lambda r: str(r.get(column, "")), reverse=True)


def build_dataset(rng: random.Random, start: datetime, scenario: PlatformScenario) -> Dataset:
    """Generated data, emptied by `empty_lists`, then the scenario's `replace` and `add` records."""
    data = generate(rng, start, DEFAULT_ITEMS if scenario.items is None else scenario.items)
    if scenario.has("empty_lists"):
        data = Dataset()
    defaults = _Defaults(start.replace(tzinfo=None))
    for name, records in scenario.replace.items():
        data.table(name)  # an unknown list name is an error in the scenario
        setattr(data, name, [defaults.complete(name, r) for r in records])
    for name, records in scenario.add.items():
        table, key = data.table(name), KEYS[name]
        index = {str(row.get(key)): row for row in table}
        for record in (defaults.complete(name, r) for r in records):
            if str(record.get(key)) in index:
                index[str(record.get(key))].update(record)
            else:
                table.append(record)
    for name in KEYS:
        setattr(data, name, newest_first(name, data.table(name)))
    return data


class _Defaults:
    """Fills what a scenario record leaves out, so a test states only what matters to it."""

    def __init__(self, start: datetime) -> None:
        self.start = start

    def complete(self, name: str, record: dict[str, Any]) -> dict[str, Any]:
        base = {"orders": self._order, "refunds": self._refund, "consults": self._consult}[name](record)
        return {**base, **record}

    def _order(self, record: dict[str, Any]) -> dict[str, Any]:
        status, pay = record.get("orderStatus", 1), record.get("payType", 1)
        return {
            "orderStatus": 1, "orderStatusName": ORDER_STATUS.get(as_code(status), str(status)), "payType": 1,
            "payTypeName": PAY_TYPE.get(as_code(pay), str(pay)), "totalAmount": "0.00", "freightAmount": "0.00",
            "createTime": fmt(self.start - timedelta(hours=1)), "payTime": "", "promiseShipTime": "",
            "buyerNick": "wk_000000", "receiverName": "测试用户", "receiverPhone": "138****0000",
            "receiverAddress": "北京市示例区示例路1号", "buyerRemark": "", "sellerRemark": "", "goodsList": [],
        }

    def _refund(self, record: dict[str, Any]) -> dict[str, Any]:
        kind, status = as_code(record.get("refundType", 1)), as_code(record.get("refundStatus", 1))
        return {
            "orderSn": "", "refundType": 1, "refundTypeName": REFUND_TYPE.get(kind, ""), "refundStatus": 1,
            "refundStatusName": f"{REFUND_TYPE.get(kind, '')}，{REFUND_STATUS.get(status, '')}",
            "refundAmount": "0.00", "reason": "", "applyTime": fmt(self.start - timedelta(hours=1)),
            "handleDeadline": "", "goodsName": "", "buyerNick": "wk_000000",
        }

    def _consult(self, record: dict[str, Any]) -> dict[str, Any]:
        replied = as_code(record.get("replyStatus", 0))
        return {
            "orderSn": "", "goodsName": "", "buyerNick": "wk_000000", "content": "",
            "createTime": fmt(self.start - timedelta(hours=1)), "replyStatus": 0,
            "replyStatusName": REPLY_STATUS.get(replied, ""), "replyContent": "", "replyTime": "",
        }


