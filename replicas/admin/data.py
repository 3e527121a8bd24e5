"""Seeded synthetic data of the admin replica: orders and stock, as the PHP back-end returns them.

Field names and shapes follow the 上元堂 API facts (docs/platforms.md §7): order numbers `GW` +
`yyMMddHHmmss` (+ sometimes two digits), `state` 0/10/20/30/40/50, money as yuan strings. Like a
PHP/MySQL back-end, numeric columns come back as strings ("20", "2", "1"). Times are relative to
the replica clock's start, so every case exists whatever day the tests run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from replicas.admin import vocab
from replicas.common.scenario import PlatformScenario

STATE_TEXT = {"0": "已取消", "10": "待付款", "20": "待发货", "30": "待收货", "40": "已收货", "50": "已评价"}
PAY_TEXT = {"1": "在线支付", "2": "平台收款", "3": "货到付款"}
DEFAULT_ITEMS = 40
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Products whose stock is kept low so that some orders ask for more than the warehouse holds.
LOW_STOCK = {"三七粉": 3, "阿托伐他汀钙片": 0, "云南白药气雾剂": 2}
_RX = [p for p in vocab.PRODUCTS if p[3]]
_PLAIN = [p for p in vocab.PRODUCTS if not p[3] and p[0] not in LOW_STOCK]
_LOW = [p for p in vocab.PRODUCTS if p[0] in LOW_STOCK]


def sku_of(name: str) -> str:
    index = next(i for i, p in enumerate(vocab.PRODUCTS) if p[0] == name)
    return f"SYT{100101 + index}"


@dataclass
class Dataset:
    """The replica's tables. `orders` is kept newest first, as the list endpoint returns it."""

    orders: list[dict[str, Any]] = field(default_factory=list)
    stock: list[dict[str, Any]] = field(default_factory=list)

    def table(self, name: str) -> list[dict[str, Any]]:
        if name not in ("orders", "stock"):
            raise KeyError(f"admin replica has no list {name!r} (orders, stock)")
        rows: list[dict[str, Any]] = getattr(self, name)
        return rows

    def order(self, order_no: str) -> dict[str, Any] | None:
        return next((o for o in self.orders if str(o.get("order_no")) == order_no), None)


class _Maker:
    """Builds orders with unique GW numbers from one seeded RNG."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start
        self.used: set[str] = set()

    def order_no(self, created: datetime) -> str:
        base = "GW" + created.strftime("%y%m%d%H%M%S")
        candidate = base if self.rng.random() < 0.5 else base + f"{self.rng.randrange(100):02d}"
        while candidate in self.used:
            candidate = base + f"{self.rng.randrange(100):02d}"
        self.used.add(candidate)
        return candidate

    def item(self, product: tuple[str, str, str, bool, bool], qty: int) -> dict[str, Any]:
        name, spec, price, is_rx, is_tcm = product
        return {
            "syt_sku": sku_of(name), "name": name, "spec": spec, "qty": str(qty), "price": price,
            "is_rx": "1" if is_rx else "0", "is_tcm": "1" if is_tcm else "0",
        }

    def person(self) -> dict[str, str]:
        rng = self.rng
        name = rng.choice(vocab.SURNAMES) + "".join(rng.choices(vocab.GIVEN, k=rng.choice((1, 2))))
        return {
            "consignee": name,
            "mobile": f"1380013{rng.randrange(10000):04d}",
            "address": f"江苏省{rng.choice(vocab.CITIES)}示例路{rng.randrange(1, 300)}号",
        }

    def order(
        self, *, state: str, pay_type: str, items: list[dict[str, Any]], max_age_h: float,
        carrier: str | None = None, reship_remark: str | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        created = self.start - timedelta(seconds=rng.randrange(120, int(max_age_h * 3600)))
        amount = sum((Decimal(i["price"]) * int(i["qty"]) for i in items), Decimal(0))
        paid = state not in ("0", "10") and pay_type != "3"
        return {
            "order_no": self.order_no(created),
            "state": state,
            "state_text": STATE_TEXT[state],
            "pay_type": pay_type,
            "pay_type_text": PAY_TEXT[pay_type],
            "carrier": carrier or rng.choice((vocab.CARRIERS_OK,) * 3 + vocab.CARRIERS_OTHER),
            "amount": "0.00" if reship_remark is not None else f"{amount:.2f}",
            "created_at": created.strftime(TIME_FORMAT),
            "pay_time": (created + timedelta(minutes=3)).strftime(TIME_FORMAT) if paid else "",
            **self.person(),
            "user_remark": "" if reship_remark is not None else rng.choice(vocab.USER_REMARKS),
            "admin_remark": reship_remark or "",
            "is_reship": "0" if reship_remark is None else "1",
            "items": items,
        }

    def items(self, pool: list[tuple[str, str, str, bool, bool]], extra: int = 0) -> list[dict[str, Any]]:
        chosen = self.rng.sample(pool, k=1 + extra)
        return [self.item(p, self.rng.choice((1, 1, 1, 2, 3))) for p in chosen]


def generate(rng: random.Random, start: datetime, n: int) -> Dataset:
    """About `n` records in each list the 10:00 slot reads, plus orders it must not pick up."""
    make = _Maker(rng, start)
    orders: list[dict[str, Any]] = []
    for i in range(n):  # 待发货 + 平台收款: the to-ship list; every tenth asks for a low-stock item
        items = make.items(_PLAIN, extra=rng.choice((0, 0, 1)))
        if i % 10 == 3:
            low = rng.choice(_LOW)
            items.append(make.item(low, LOW_STOCK[low[0]] + rng.randint(1, 3)))
        orders.append(make.order(state="20", pay_type="2", items=items, max_age_h=72))
    for i in range(n):  # 待付款: every third holds a prescription drug
        items = make.items(_PLAIN) + (make.items(_RX) if i % 3 == 0 else [])
        orders.append(make.order(state="10", pay_type=rng.choice("12"), items=items, max_age_h=24))
    cod_states = ("20", "20", "30", "40", "50", "0", "20", "30")
    for i in range(n):  # 货到付款: every seventh on a carrier other than ZTO
        carrier = rng.choice(vocab.CARRIERS_OTHER) if i % 7 == 2 else vocab.CARRIERS_OK
        state = cod_states[i % len(cod_states)]
        orders.append(make.order(state=state, pay_type="3", items=make.items(_PLAIN), max_age_h=96,
                                 carrier=carrier))
    for i in range(n):  # 补发: every fifth remark breaks the format
        product = rng.choice(_PLAIN + _RX)
        remark = reship_remark(rng, product[0], malformed=i % 5 == 4, variant=i // 5)
        orders.append(make.order(state=("20", "30", "40", "20")[i % 4], pay_type="2",
                                 items=[make.item(product, 1)], max_age_h=96, reship_remark=remark))
    for i in range(n // 2):  # orders no 10:00 list should pick up
        state = ("20", "30", "40", "50", "0")[i % 5]
        orders.append(make.order(state=state, pay_type="1", items=make.items(_PLAIN), max_age_h=120))
    return Dataset(orders=sort_orders(orders), stock=generate_stock(rng, start))


def generate_stock(rng: random.Random, start: datetime) -> list[dict[str, Any]]:
    rows = []
    for name, spec, _price, _rx, _tcm in vocab.PRODUCTS:
        stock = LOW_STOCK.get(name, rng.randrange(40, 600))
        rows.append({
            "syt_sku": sku_of(name), "name": name, "spec": spec, "stock": str(stock),
            "frozen": str(rng.randrange(0, 5)),
            "updated_at": (start - timedelta(hours=2)).strftime(TIME_FORMAT),
        })
    return rows


def reship_remark(rng: random.Random, product: str, *, malformed: bool, variant: int = 0) -> str:
    platform = rng.choice(vocab.RESHIP_PLATFORMS)
    original = _platform_order_no(rng, platform)
    if not malformed:
        return f"{platform} {original} 补发 {product}"
    shapes = (
        f"{platform} {original} {product}",  # no 补发
        f"{platform} 补发 {product}",  # no original order number
        f"{original} 补发 {product}",  # no platform
        f"{platform} {original} 补发",  # no product
        f"补发 {product} {platform} {original}",  # wrong order
        "",
    )
    return shapes[variant % len(shapes)]


def _platform_order_no(rng: random.Random, platform: str) -> str:
    digits = "".join(rng.choices("0123456789", k=18))
    if platform == "拼多多":
        return f"2611{rng.randrange(10, 26):02d}-{digits[:15]}"
    if platform == "苏宁易购":
        return digits[:11]
    return digits[:16]


def sort_orders(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(orders, key=lambda o: str(o.get("created_at", "")), reverse=True)


def build_dataset(rng: random.Random, start: datetime, scenario: PlatformScenario) -> Dataset:
    """Generated data, emptied by `empty_lists`, then the scenario's `replace` and `add` records."""
    data = generate(rng, start, DEFAULT_ITEMS if scenario.items is None else scenario.items)
    if scenario.has("empty_lists"):
        data.orders = []
    defaults = _Defaults(start)
    for name, records in scenario.replace.items():
        data.table(name)  # an unknown list name is an error in the scenario
        setattr(data, name, [defaults.complete(name, r) for r in records])
    for name, records in scenario.add.items():
        _merge(data.table(name), [defaults.complete(name, r) for r in records], name)
    data.orders = sort_orders(data.orders)
    return data


def _merge(table: list[dict[str, Any]], records: list[dict[str, Any]], name: str) -> None:
    key = "order_no" if name == "orders" else "syt_sku"
    index = {str(row.get(key)): row for row in table}
    for record in records:
        existing = index.get(str(record.get(key)))
        if existing is not None:
            existing.update(record)
        else:
            table.append(record)


class _Defaults:
    """Fills what a scenario record leaves out, so a test states only what matters to it."""

    def __init__(self, start: datetime) -> None:
        self.start = start

    def complete(self, name: str, record: dict[str, Any]) -> dict[str, Any]:
        return self._order(record) if name == "orders" else self._stock(record)

    def _order(self, record: dict[str, Any]) -> dict[str, Any]:
        state, pay = str(record.get("state", "20")), str(record.get("pay_type", "2"))
        base: dict[str, Any] = {
            "state": "20", "state_text": STATE_TEXT.get(state, state), "pay_type": "2",
            "pay_type_text": PAY_TEXT.get(pay, pay), "carrier": vocab.CARRIERS_OK, "amount": "0.00",
            "created_at": (self.start - timedelta(hours=1)).strftime(TIME_FORMAT), "pay_time": "",
            "consignee": "测试用户", "mobile": "13800130000", "address": "江苏省南京市示例区示例路1号",
            "user_remark": "", "admin_remark": "", "is_reship": "0", "items": [],
        }
        return {**base, **record}

    def _stock(self, record: dict[str, Any]) -> dict[str, Any]:
        base = {"name": "", "spec": "", "stock": "0", "frozen": "0",
                "updated_at": self.start.strftime(TIME_FORMAT)}
        return {**base, **record}
