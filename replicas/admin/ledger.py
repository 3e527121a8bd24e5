"""What the own-admin replica tells the ERP replica: its orders waiting to ship (state 20)."""

from __future__ import annotations

from replicas.admin.data import Dataset
from replicas.common.world import LedgerKind, LedgerOrder

TO_SHIP, COD = "20", "3"


def ledger(data: Dataset) -> list[LedgerOrder]:
    return [
        LedgerOrder("admin", str(o["order_no"]), LedgerKind.AWAITING_SHIPMENT, cod=str(o.get("pay_type")) == COD,
                    items=tuple(str(i.get("name", "")) for i in o.get("items", []) if isinstance(i, dict)))
        for o in data.orders if str(o.get("state")) == TO_SHIP
    ]
