"""What the Suning replica tells the ERP replica: orders to ship and after-sales cases open."""

from __future__ import annotations

from replicas.common.world import LedgerKind, LedgerOrder
from replicas.suning.state import SuningState

COD = "货到付款"


def ledger(state: SuningState) -> list[LedgerOrder]:
    orders = [
        LedgerOrder("suning", str(o["orderNo"]), LedgerKind.AWAITING_SHIPMENT,
                    cod=o.get("payType") == COD, items=(str(o.get("goodsName", "")),))
        for o in state.lists["to_ship"]
    ]
    returns = [
        LedgerOrder("suning", str(c["orderNo"]), LedgerKind.RETURN, items=(str(c.get("goodsName", "")),))
        for name in ("aftersale_review", "aftersale_receive") for c in state.lists[name]
    ]
    return orders + returns
