"""Seeded synthetic data of the 315价格网 replica: orders, refunds and buyer messages.

Records are plain dicts with the replica's own field names, which scenario files use in
`add.<list>` / `replace.<list>`:

    orders    order_no created_at paid_at goods amount consignee phone pay_type memo status
    refunds   refund_no order_no goods amount kind reason applied_at status
    messages  msg_no member goods content sent_at status order_no

Times are datetimes (or, from a scenario, any text: kept as given so a flow can be seen to flag
it); they are relative to the replica clock's start so that overdue, due-soon and comfortable
cases always exist. How the site prints them lives in `markup.py`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from replicas.common.clock import SHANGHAI
from replicas.common.scenario import PlatformScenario
from replicas.common.world import LedgerKind, LedgerOrder
from replicas.jiage315 import vocab

LISTS = ("orders", "refunds", "messages")
KEYS = {"orders": "order_no", "refunds": "refund_no", "messages": "msg_no"}
TIME_FIELDS = {"orders": "created_at", "refunds": "applied_at", "messages": "sent_at"}
DEFAULT_OPEN = 30  # open records per list unless the scenario says `items`
COD = "货到付款"
SHIP_WAITING = "待发货"
# Refund states that wait for the merchant (the 待处理 filter, and what the ERP sees as returns).
REFUND_WAITING = ("待商家处理", "买家已退货，待商家收货")
MESSAGE_WAITING = "未回复"
_OTHER_ORDER_STATES = ("待付款", "已发货", "已完成", "已取消")
_OTHER_REFUND_STATES = ("待买家退货", "退款成功", "已拒绝", "买家已撤销")
_INPUT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S")


def as_time(raw: Any) -> datetime | None:
    """A record's time as a datetime in Asia/Shanghai; None when it is not one (shown as given)."""
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=SHANGHAI)
    text = str(raw or "").strip()
    try:
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
    except ValueError:
        pass
    for fmt in _INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    return None


@dataclass
class Dataset:
    """The replica's tables, each kept newest first as the list pages show them."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {n: [] for n in LISTS})

    def table(self, name: str) -> list[dict[str, Any]]:
        if name not in self.records:
            raise KeyError(f"jiage315 replica has no list {name!r} ({', '.join(LISTS)})")
        return self.records[name]

    def find(self, name: str, key: str) -> dict[str, Any] | None:
        return next((r for r in self.table(name) if str(r.get(KEYS[name])) == key), None)

    def ledger(self) -> list[LedgerOrder]:
        """Open orders and returns as the ERP would pull them, read from the live tables."""
        found = [
            LedgerOrder("jiage315", str(o["order_no"]), LedgerKind.AWAITING_SHIPMENT,
                        as_time(o.get("created_at")), cod=o.get("pay_type") == COD, items=(str(o.get("goods")),))
            for o in self.records["orders"] if o.get("status") == SHIP_WAITING
        ]
        found += [
            LedgerOrder("jiage315", str(r["order_no"]), LedgerKind.RETURN, as_time(r.get("applied_at")),
                        items=(str(r.get("goods")),))
            for r in self.records["refunds"] if r.get("status") in REFUND_WAITING
        ]
        return found


class _Maker:
    """Builds records with unique numbers; every random draw goes through the seeded RNG."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start
        self.used: set[str] = set()

    def _unique(self, make: Any) -> str:
        number = str(make())
        while number in self.used:
            number = str(make())
        self.used.add(number)
        return number

    def ago(self, low_h: float, high_h: float) -> datetime:
        return self.start - timedelta(seconds=int(self.rng.uniform(low_h, high_h) * 3600))

    def goods(self) -> tuple[str, Decimal]:
        name, spec, price = self.rng.choice(vocab.PRODUCTS)
        qty = self.rng.choice((1, 1, 1, 2, 3))
        return f"{name} {spec} ×{qty}", Decimal(price) * qty

    def order_no(self, created: datetime) -> str:
        return self._unique(lambda: f"{created:%Y%m%d%H%M%S}{self.rng.randrange(10_000):04d}")

    def order(self, status: str) -> dict[str, Any]:
        rng = self.rng
        # Paid 0..70 h ago against a 48 h ship promise: overdue, due soon and comfortable all occur.
        paid = self.ago(0.1, 70) if status == SHIP_WAITING else self.ago(1, 150)
        created = paid - timedelta(minutes=rng.randrange(1, 30))
        cod = rng.random() < 0.15
        goods, amount = self.goods()
        return {
            "order_no": self.order_no(created), "created_at": created,
            "paid_at": None if cod or status in ("待付款", "已取消") else paid,
            "goods": goods, "amount": amount,
            "consignee": rng.choice(vocab.SURNAMES) + "".join(rng.choices(vocab.GIVEN, k=rng.choice((1, 2)))),
            "phone": f"1700000{rng.randrange(10_000):04d}", "pay_type": COD if cod else "在线支付",
            "memo": rng.choice(vocab.MEMOS), "status": status,
        }

    def refund(self, status: str) -> dict[str, Any]:
        applied = self.ago(0.1, 60) if status in REFUND_WAITING else self.ago(1, 200)
        goods, amount = self.goods()
        return {
            "refund_no": self._unique(lambda: f"TK{applied:%y%m%d}{self.rng.randrange(10**6):06d}"),
            "order_no": self.order_no(applied - timedelta(days=self.rng.randint(2, 9))),
            "goods": goods, "amount": amount,
            "kind": self.rng.choice(("仅退款", "退货退款")), "reason": self.rng.choice(vocab.REFUND_REASONS),
            "applied_at": applied, "status": status,
        }

    def message(self, status: str) -> dict[str, Any]:
        sent = self.ago(0.1, 48) if status == MESSAGE_WAITING else self.ago(1, 200)
        name, spec, _ = self.rng.choice(vocab.PRODUCTS)
        return {
            "msg_no": self._unique(lambda: f"LY{sent:%y%m%d}{self.rng.randrange(10**5):05d}"),
            "member": f"会员{self.rng.randrange(10**7):07d}", "goods": f"{name} {spec}",
            "content": self.rng.choice(vocab.QUESTIONS), "sent_at": sent, "status": status,
            "order_no": "",
        }


def generate(rng: random.Random, start: datetime, n: int) -> Dataset:
    """`n` open records per list, plus a third as many the open filters must leave out."""
    make = _Maker(rng, start)
    closed = max(3, n // 3)
    data = Dataset()
    data.records["orders"] = [make.order(SHIP_WAITING) for _ in range(n)] + [
        make.order(_OTHER_ORDER_STATES[i % 4]) for i in range(closed)
    ]
    data.records["refunds"] = [make.refund(REFUND_WAITING[i % 3 // 2]) for i in range(n)] + [
        make.refund(_OTHER_REFUND_STATES[i % 4]) for i in range(closed)
    ]
    data.records["messages"] = [make.message(MESSAGE_WAITING) for _ in range(n)] + [
        make.message("已回复") for _ in range(closed)
    ]
    return data


def build_dataset(rng: random.Random, start: datetime, scenario: PlatformScenario) -> Dataset:
    """Generated data, emptied by `empty_lists`, then the scenario's `replace` and `add` records."""
    data = generate(rng, start, DEFAULT_OPEN if scenario.items is None else scenario.items)
    if scenario.has("empty_lists"):
        data = Dataset()
    for name, records in scenario.replace.items():
        data.table(name)[:] = [complete(name, r, start) for r in records]
    for name, records in scenario.add.items():
        table, key = data.table(name), KEYS[name]
        index = {str(row.get(key)): row for row in table}
        for record in records:
            existing = index.get(str(record.get(key)))
            if existing is not None:
                existing.update(record)
            else:
                table.append(complete(name, record, start))
    for name in LISTS:
        data.records[name].sort(key=lambda r, n=name: _sort_key(r.get(TIME_FIELDS[n])), reverse=True)
    return data


def _sort_key(raw: Any) -> float:
    moment = as_time(raw)
    return moment.timestamp() if moment is not None else 0.0


def complete(name: str, record: dict[str, Any], start: datetime) -> dict[str, Any]:
    """Fill what a scenario record leaves out, so a test states only what matters to it."""
    hour_ago = start - timedelta(hours=1)
    defaults: dict[str, dict[str, Any]] = {
        "orders": {"created_at": hour_ago, "paid_at": hour_ago, "goods": "维生素C片 0.1g*100片 ×1",
                   "amount": Decimal("5.50"), "consignee": "测试用户", "phone": "17000000000",
                   "pay_type": "在线支付", "memo": "", "status": SHIP_WAITING},
        "refunds": {"order_no": "", "goods": "维生素C片 0.1g*100片 ×1", "amount": Decimal("5.50"),
                    "kind": "仅退款", "reason": "拍错/多拍/不想要", "applied_at": hour_ago,
                    "status": REFUND_WAITING[0]},
        "messages": {"member": "会员0000000", "goods": "维生素C片 0.1g*100片", "content": "什么时候发货？",
                     "sent_at": hour_ago, "status": MESSAGE_WAITING, "order_no": ""},
    }
    return {**defaults[name], **record}
