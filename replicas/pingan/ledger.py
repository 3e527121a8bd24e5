"""What the Ping An replica tells the ERP replica: orders to accept/ship and refunds waiting."""

from __future__ import annotations

from replicas.common.world import LedgerKind, LedgerOrder
from replicas.pingan import vocab
from replicas.pingan.state import State

_TO_SHIP = {vocab.OPEN_STATUS["orders_accept"], vocab.OPEN_STATUS["orders_ship"]}


def ledger(state: State) -> list[LedgerOrder]:
    orders = [
        LedgerOrder("pingan", str(o["orderId"]), LedgerKind.AWAITING_SHIPMENT,
                    items=tuple(str(i.get("skuName", "")) for i in o.get("items", []) if isinstance(i, dict)))
        for o in state.data["orders"] if o.get("orderStatus") in _TO_SHIP
    ]
    returns = [
        LedgerOrder("pingan", str(r.get("orderId") or r["refundId"]), LedgerKind.RETURN,
                    items=(str(r.get("skuName", "")),))
        for r in state.data["refunds"] if r.get("refundStatus") == vocab.OPEN_STATUS["refunds"]
    ]
    return orders + returns
