"""What the PDD replica tells the ERP replica: orders to ship and after-sales waiting (see common/world)."""

from __future__ import annotations

from datetime import datetime

from replicas.common.clock import SHANGHAI
from replicas.common.world import LedgerKind, LedgerOrder
from replicas.pdd.state import PddState

TO_SHIP = 1  # order_status 待发货


def ledger(state: PddState) -> list[LedgerOrder]:
    orders = [
        LedgerOrder(
            "pdd", str(o["order_sn"]), LedgerKind.AWAITING_SHIPMENT,
            created=_when(o.get("created_at")), items=(str(o.get("goods_name", "")),),
        )
        for o in state.lists["orders"] if o.get("order_status") == TO_SHIP
    ]
    returns = [
        LedgerOrder("pdd", str(c["orderSn"]), LedgerKind.RETURN, items=(str(c.get("goodsName", "")),))
        for c in state.lists["aftersales"] if state.waiting(c)
    ]
    return orders + returns


def _when(stamp: object) -> datetime | None:
    return datetime.fromtimestamp(stamp, SHANGHAI) if isinstance(stamp, int) else None
