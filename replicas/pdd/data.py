"""Seeded synthetic records for the PDD replica, with the real APIs' field names and units.

Money is in fen (ints), order/after-sales/work-order times in unix seconds, `closeTime` in unix
milliseconds. Deadlines are relative to the clock's start so every case type exists: overdue,
due soon and comfortable orders; after-sales cases with <= 2 h, <= 24 h and days left.
Keys starting with "_" are internal (e.g. the after-sales deadline) and never serialised.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from replicas.common.clock import SHANGHAI
from replicas.pdd import vocab

Record = dict[str, Any]
LIST_NAMES = ("orders", "aftersales", "work_orders", "prescriptions")
DEFAULT_COUNTS = {"orders": 45, "aftersales": 40, "work_orders": 8, "prescriptions": 12}
HOUR = 3600
DAY = 86400


class Maker:
    """Builds one record at a time; ids and order numbers stay unique within a replica."""

    def __init__(self, rng: random.Random, now: int) -> None:
        self.rng = rng
        self.now = now
        self._next_id = 1_0000_0000 + rng.randrange(1_000_000)
        self._sns: set[str] = set()

    def next_id(self) -> int:
        self._next_id += self.rng.randrange(7, 977)
        return self._next_id

    def order_sn(self, at: int) -> str:
        day = datetime.fromtimestamp(at, SHANGHAI).strftime("%y%m%d")
        while True:
            sn = f"{day}-{self.rng.randrange(10**14, 10**15)}"
            if sn not in self._sns:
                self._sns.add(sn)
                return sn

    def person(self) -> str:
        given = "".join(self.rng.choice(vocab.GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(vocab.SURNAMES) + given

    def masked_mobile(self) -> str:
        return f"{self.rng.choice(vocab.MOBILE_PREFIXES)}****{self.rng.randrange(10000):04d}"

    def goods(self, rx: bool | None = None) -> tuple[str, str, int, bool]:
        pool = [g for g in vocab.GOODS if rx is None or g[3] == rx]
        return self.rng.choice(pool)

    def order(self, due: str = "comfortable", rx: bool | None = None) -> Record:
        """An order awaiting shipment; `due` is overdue, soon (< 12 h) or comfortable (12-48 h)."""
        rng = self.rng
        if due == "overdue":
            promise = self.now - rng.randrange(10 * 60, 20 * HOUR)
        elif due == "soon":
            promise = self.now + rng.randrange(20 * 60, 11 * HOUR + 30 * 60)
        else:
            promise = self.now + rng.randrange(12 * HOUR + 30 * 60, 47 * HOUR)
        order_time = promise - 48 * HOUR  # PDD's default: ship within 48 h of payment
        created = order_time - rng.randrange(5, 180)
        name, pack, price, _rx = self.goods(rx)
        number = rng.choice((1, 1, 1, 2, 3))
        goods_amount = price * number
        shipping = rng.choice((0, 0, 0, 600))
        discount = min(rng.choice((0, 0, 100, 200, 500)), goods_amount // 5)
        province, city, district = rng.choice(vocab.PLACES)
        return {
            "order_sn": self.order_sn(created),
            "order_status": 1,
            "order_status_str": "待发货",
            "pay_status": 2,
            "shipping_status": 0,
            "group_status": 1,
            "confirm_time": order_time,
            "order_time": order_time,
            "created_at": created,
            "payment_start_time": created,
            "promise_shipping_time": promise,
            "shipping_time": 0,
            "urge_shipping_time": promise - 6 * HOUR if due == "overdue" and rng.random() < 0.5 else 0,
            "goods_id": 300_000_000_000 + rng.randrange(10**9),
            "goods_name": f"{name} {pack}",
            "goods_number": number,
            "spec": rng.choice(vocab.PACKS),
            "sku_id": 1_000_000_000_000 + rng.randrange(10**10),
            "out_sku_sn": f"SKU{rng.randrange(10**6):06d}",
            "out_goods_sn": f"YP{rng.randrange(10**5):05d}",
            "thumb_url": "",
            "goods_amount": goods_amount,
            "order_amount": goods_amount + shipping - discount,
            "merchant_discount": discount,
            "platform_discount": 0,
            "shipping_amount": shipping,
            "tracking_number": "",
            "shipping_id": 0,
            "after_sales_id": 0,
            "after_sales_status": 0,
            "buyer_memo": rng.choice(vocab.BUYER_MEMOS),
            "mall_remark": rng.choice(vocab.MALL_REMARKS),
            "mall_remark_tag": 0,
            "remark_status": 0,
            "risk_status": 1 if rng.random() < 0.1 else 0,
            "receive_name": self.person(),
            "receive_mobile": self.masked_mobile(),
            "province_name": province,
            "city_name": city,
            "district_name": district,
            "nickname": f"{rng.choice(vocab.NICK_ADJ)}{rng.choice(vocab.NICK_NOUN)}{rng.randrange(100, 999)}",
            "trade_type": 0,
            "type": 0,
            "stockout_source_type": 0,
            "no_need_ship": False,
        }

    def aftersale(self, title: str | None = None, remain_s: int | None = None) -> Record:
        """An after-sales case; `remain_s` sets the deadline of a case waiting on the merchant."""
        rng = self.rng
        spec = next((t for t in vocab.AFTERSALE_TITLES if t[0] == title), None)
        if spec is None:
            spec = rng.choice(vocab.AFTERSALE_TITLES)
        title, kind, status, waiting = spec
        name, pack, price, _rx = self.goods()
        number = rng.choice((1, 1, 2))
        order_amount = price * number
        deadline: int | None = None
        close_ms = 0
        if waiting:
            remain = remain_s if remain_s is not None else rng.randrange(DAY + HOUR, 7 * DAY - HOUR)
            deadline = self.now + remain
            created = deadline - 7 * DAY + rng.randrange(0, 600)
        else:
            created = self.now - rng.randrange(2 * HOUR, 10 * DAY)
            if status in (10, 14):
                close_ms = min(created + rng.randrange(HOUR, 2 * DAY), self.now) * 1000 + rng.randrange(1000)
        reason_code, reason = rng.choice(vocab.AFTERSALE_REASONS)
        returned = title == "退货退款，待商家确认收货"
        return {
            "id": self.next_id(),
            "orderSn": self.order_sn(created - rng.randrange(DAY, 5 * DAY)),
            "afterSalesType": kind,
            "afterSalesTypeName": vocab.AFTERSALE_TYPE_NAMES[kind],
            "afterSalesStatus": status,
            "afterSalesTitle": title,
            "afterSalesReasonCode": reason_code,
            "afterSalesReasonDesc": reason,
            "refundAmount": order_amount if rng.random() < 0.8 else order_amount // 2,
            "orderAmount": order_amount,
            "receiveAmount": order_amount,
            "goodsName": name,
            "goodsSpec": pack,
            "goodsNumber": number,
            "thumbUrl": "",
            "createdAt": created,
            "closeTime": close_ms,
            "expireActionDesc": "系统将自动退款" if waiting else "",
            "actions": [1028] if status == 10 and rng.random() < 0.3 else [],
            "sellerAfterSalesShippingStatus": 1 if returned else 0,
            "sellerAfterSalesShippingStatusDesc": "买家已退货" if returned else "",
            "reverseTrackingNumber": f"SF{rng.randrange(10**12, 10**13)}" if returned else "",
            "reverseShippingId": 44 if returned else 0,
            "mallRemark": "",
            "remarkStatus": 0,
            "version": 1,
            "_deadline": deadline,
        }

    def work_order(self, status: int = 1, due_s: int | None = None) -> Record:
        rng = self.rng
        title, problem_type = rng.choice(vocab.WORK_ORDER_PROBLEMS)
        created = self.now - rng.randrange(2 * HOUR, 3 * DAY)
        if status == 3:
            expire = created + 3 * DAY if created + 3 * DAY < self.now else self.now - HOUR
        else:
            expire = self.now + (due_s if due_s is not None else rng.randrange(DAY + HOUR, 3 * DAY))
        instance = self.next_id()
        name, pack, _price, _rx = self.goods()
        return {
            "instanceId": instance,
            "todoId": instance,
            "workOrderSn": f"{rng.randrange(10**17, 10**18)}",
            "orderSn": self.order_sn(created - rng.randrange(DAY, 6 * DAY)),
            "problemTitle": title,
            "problemType": problem_type,
            "status": status,
            "statusStr": vocab.WORK_ORDER_STATUS.get(status, ""),
            "goodsName": f"{name} {pack}",
            "createdAt": created,
            "expireTime": expire,
        }

    def prescription(self, status: int = 0, order: Record | None = None) -> Record:
        rng = self.rng
        created = self.now - rng.randrange(10 * 60, 2 * DAY)
        if order and isinstance(order.get("created_at"), int):
            created = min(order["created_at"] + rng.randrange(60, 1800), self.now - 60)
        goods = order["goods_name"] if order else " ".join(self.goods(rx=True)[:2])
        return {
            "prescriptionId": f"RX{rng.randrange(10**15, 10**16)}",
            "orderSn": order["order_sn"] if order else self.order_sn(created),
            "goodsName": goods,
            "patientName": self.person(),
            "hospitalName": rng.choice(vocab.HOSPITALS),
            "createdAt": created,
            "status": status,
            "statusStr": vocab.PRESCRIPTION_STATUS.get(status, ""),
        }


def _mix(rng: random.Random, n: int, shares: Iterable[tuple[str, float]], rest: str) -> list[str]:
    kinds: list[str] = []
    for kind, share in shares:
        kinds += [kind] * round(n * share)
    kinds = kinds[:n] + [rest] * max(0, n - len(kinds))
    rng.shuffle(kinds)
    return kinds


def generate(maker: Maker, counts: dict[str, int]) -> dict[str, list[Record]]:
    """Every list, newest first."""
    rng = maker.rng
    orders = [maker.order(due) for due in _mix(rng, counts["orders"], [("overdue", 0.2), ("soon", 0.25)],
                                                 "comfortable")]
    orders.sort(key=lambda o: -o["created_at"])

    n_as = counts["aftersales"]
    waiting_n = round(n_as * 0.75)
    soon_n = round(waiting_n * 0.25)
    urgent_n = min(soon_n, max(1, round(waiting_n * 0.08)))
    waiting_titles = [t[0] for t in vocab.AFTERSALE_TITLES if t[3]]
    other_titles = [t[0] for t in vocab.AFTERSALE_TITLES if not t[3]]
    cases: list[Record] = []
    for i in range(waiting_n):
        if i < urgent_n:
            remain: int | None = rng.randrange(10 * 60, 2 * HOUR - 60)
        elif i < soon_n:
            remain = rng.randrange(2 * HOUR + 60, DAY - 60)
        else:
            remain = None
        cases.append(maker.aftersale(rng.choice(waiting_titles), remain))
    cases += [maker.aftersale(rng.choice(other_titles)) for _ in range(n_as - waiting_n)]
    cases.sort(key=lambda c: -c["createdAt"])

    work: list[Record] = []
    for i, kind in enumerate(_mix(rng, counts["work_orders"], [("1", 0.6), ("2", 0.25)], "3")):
        due = rng.randrange(HOUR, DAY - HOUR) if kind != "3" and (i % 5 in (0, 3)) else None
        work.append(maker.work_order(int(kind), due))
    if work and not any(w["status"] == 1 and w["expireTime"] - maker.now <= DAY for w in work):
        work[0] = maker.work_order(1, rng.randrange(HOUR, DAY - HOUR))
    work.sort(key=lambda w: -w["createdAt"])

    rx_orders = [o for o in orders if any(o["goods_name"].startswith(g[0]) and g[3] for g in vocab.GOODS)]
    statuses = _mix(rng, counts["prescriptions"], [("1", 0.2), ("2", 0.1)], "0")
    rx = [maker.prescription(int(s), rx_orders[i] if i < len(rx_orders) else None)
          for i, s in enumerate(statuses)]
    rx.sort(key=lambda p: -p["createdAt"])
    return {"orders": orders, "aftersales": cases, "work_orders": work, "prescriptions": rx}


def _known(labels: dict[int, str], value: Any) -> int | None:
    """`value` if it is one of the status codes in `labels` (bools and strings are not)."""
    if isinstance(value, int) and not isinstance(value, bool) and value in labels:
        return value
    return None


def complete(name: str, given: dict[str, Any], maker: Maker) -> Record:
    """A scenario record with the missing fields filled in; given values pass through unchanged."""
    if name == "orders":
        base = maker.order("comfortable")
    elif name == "aftersales":
        title = given.get("afterSalesTitle")
        waiting = not isinstance(title, str) or "待商家" in title
        base = maker.aftersale("仅退款，待商家处理", 3 * DAY)
        if isinstance(title, str):
            kind = 2 if "退货" in title else 1
            base.update(afterSalesType=kind, afterSalesTypeName=vocab.AFTERSALE_TYPE_NAMES[kind])
        if not waiting:
            base.update(_deadline=None, expireActionDesc="")
    elif name == "work_orders":
        status = _known(vocab.WORK_ORDER_STATUS, given.get("status", 1))
        base = maker.work_order(status or 1, 2 * DAY)
        base["statusStr"] = vocab.WORK_ORDER_STATUS.get(status or 0, "")
    elif name == "prescriptions":
        status = _known(vocab.PRESCRIPTION_STATUS, given.get("status", 0))
        base = maker.prescription(status or 0)
        base["statusStr"] = vocab.PRESCRIPTION_STATUS.get(status if status is not None else -1, "")
    else:
        raise KeyError(name)
    base.update(given)
    return base
