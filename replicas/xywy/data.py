"""The tables of the 闻康商城 replica (orders, refund cases, buyer consultations) and their codes.

Every shape here is invented [I] in the style of a Spring Boot admin: camelCase fields, integer
status codes next to their Chinese names, money as yuan strings (BigDecimal written as a string so
JavaScript keeps the cents), times as "yyyy-MM-dd HH:mm:ss" in Beijing time. Records are made by
replicas/xywy/generate.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from replicas.common.world import LedgerKind, LedgerOrder

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DEFAULT_ITEMS = 30
SHIP_WITHIN = timedelta(hours=48)  # [I] the promised ship time: 48 h after payment
ORDER_STATUS = {0: "待付款", 1: "待发货", 2: "已发货", 3: "已完成", 4: "已关闭"}
PAY_TYPE = {1: "在线支付", 2: "货到付款"}
REFUND_TYPE = {1: "仅退款", 2: "退货退款"}
REFUND_STATUS = {1: "待商家处理", 2: "待买家退货", 3: "待商家收货", 4: "退款成功", 5: "商家已拒绝", 6: "买家已撤销"}
REFUND_TABS = {"": (1, 2, 3, 4, 5, 6), "processing": (1, 2, 3), "success": (4,), "closed": (5, 6)}
MERCHANT_TURN = (1, 3)  # refund states where the shop must act (the ledger's returns)
REPLY_STATUS = {0: "未回复", 1: "已回复"}
KEYS = {"orders": "orderSn", "refunds": "refundSn", "consults": "consultSn"}


def refund_in_tab(refund: dict[str, Any], tab: str) -> bool:
    return str(refund.get("refundStatus")) in {str(s) for s in REFUND_TABS.get(tab, ())}


def fmt(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def parse_time(raw: Any) -> datetime | None:
    try:
        return datetime.strptime(str(raw), TIME_FORMAT)
    except ValueError:
        return None


@dataclass
class Dataset:
    """The replica's three tables, each kept newest first as its list endpoint returns it."""

    orders: list[dict[str, Any]] = field(default_factory=list)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    consults: list[dict[str, Any]] = field(default_factory=list)

    def table(self, name: str) -> list[dict[str, Any]]:
        if name not in KEYS:
            raise KeyError(f"xywy replica has no list {name!r} ({', '.join(KEYS)})")
        rows: list[dict[str, Any]] = getattr(self, name)
        return rows

    def find(self, name: str, key: str) -> dict[str, Any] | None:
        return next((r for r in self.table(name) if str(r.get(KEYS[name])) == key), None)

    def ledger(self, platform: str) -> list[LedgerOrder]:
        """Open work as the marketplace's order API would hand it to an ERP."""
        waiting = [
            LedgerOrder(platform, str(o["orderSn"]), LedgerKind.AWAITING_SHIPMENT,
                        created=parse_time(o.get("createTime")), cod=str(o.get("payType")) == "2",
                        items=_goods_names(o))
            for o in self.orders if str(o.get("orderStatus")) == "1"
        ]
        returns = [
            LedgerOrder(platform, str(r["orderSn"]), LedgerKind.RETURN, created=parse_time(r.get("applyTime")),
                        items=(str(r.get("goodsName", "")),))
            for r in self.refunds if as_code(r.get("refundStatus")) in MERCHANT_TURN
        ]
        return waiting + returns


def _goods_names(order: dict[str, Any]) -> tuple[str, ...]:
    goods = order.get("goodsList")
    return tuple(str(g.get("goodsName", "")) for g in goods if isinstance(g, dict)) if isinstance(goods, list) else ()


def as_code(raw: Any) -> int:
    """A status code as an int; -1 when a scenario record holds something else."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1
