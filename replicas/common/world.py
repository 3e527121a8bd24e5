"""What the marketplace replicas hold, as an ERP replica sees it.

The real ERP (万里牛) pulls every shop's orders from the marketplaces' open APIs; the replica
ERP does the same through this ledger, so the cross-checks (a return has an ERP remark, an order
awaiting shipment is allocated in the WMS) have real counterparts to compare in a demo.
Each marketplace replica publishes a function returning its current open orders and returns;
the ERP reads them when it first needs its data, after every replica was built. A server of
replicas calls `built()` once they all are, so that the ERP makes its data then, before the first
request, as a real back-end has its data before anyone asks (built on a request, it would hold
that request, and every other one to its process, for seconds at 2,000 items a list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class LedgerKind(StrEnum):
    AWAITING_SHIPMENT = "awaiting_shipment"  # paid, still to ship
    RETURN = "return"  # a refund / return / after-sales case waiting for the merchant


@dataclass(frozen=True)
class LedgerOrder:
    platform: str  # the replica key: pdd, pingan, ...
    order_no: str  # the marketplace's own order number, as its pages show it
    kind: LedgerKind
    created: datetime | None = None
    cod: bool = False  # cash on delivery (货到付款)
    items: tuple[str, ...] = ()


@dataclass
class World:
    """Shared by every replica served together; empty when a replica runs alone."""

    sources: dict[str, Callable[[], list[LedgerOrder]]] = field(default_factory=dict)
    _when_built: list[Callable[[], object]] = field(default_factory=list)

    def publish(self, key: str, source: Callable[[], list[LedgerOrder]]) -> None:
        self.sources[key] = source

    def when_built(self, prepare: Callable[[], object]) -> None:
        """Call `prepare` once every replica served together has been built (and published)."""
        self._when_built.append(prepare)

    def built(self) -> None:
        for prepare in self._when_built:
            prepare()

    def orders(self) -> list[LedgerOrder]:
        return [order for key in sorted(self.sources) for order in self.sources[key]()]
