"""What the Yaofangwang replica tells the ERP replica: orders to ship and refunds waiting."""

from __future__ import annotations

from replicas.common.world import LedgerKind, LedgerOrder
from replicas.yaofangwang.data import open_statuses
from replicas.yaofangwang.state import SiteState


def ledger(state: SiteState) -> list[LedgerOrder]:
    to_ship = open_statuses("orders", "1") or ()
    waiting = open_statuses("refunds", "0") or ()
    records = state.store.records
    orders = [
        LedgerOrder("yaofangwang", str(o["order_no"]), LedgerKind.AWAITING_SHIPMENT,
                    items=(str(o.get("goods", "")),))
        for o in records.get("orders", []) if o.get("status") in to_ship
    ]
    returns = [
        LedgerOrder("yaofangwang", str(r.get("order_no") or r["refund_no"]), LedgerKind.RETURN,
                    items=(str(r.get("goods", "")),))
        for r in records.get("refunds", []) if r.get("status") in waiting
    ]
    return orders + returns
