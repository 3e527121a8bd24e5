"""The marketplace orders the ERP pulls: the shared ledger, or a synthetic one when served alone.

The real 万里牛 pulls every shop's orders from the marketplaces' open APIs. Served together with
marketplace replicas, this replica reads their published open orders and returns
(`replicas.common.world`); served alone, it makes up the same kind of ledger here, with order
numbers shaped like each marketplace's own.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from replicas.common.world import LedgerKind, LedgerOrder, World
from replicas.hupun import vocab

DEFAULT_PER_PLATFORM = 30
_SYNTHETIC_PLATFORMS = ("admin", "pdd", "pingan", "suning", "yaofangwang")


def ledger(world: World, rng: random.Random, start: datetime, per_platform: int | None) -> list[LedgerOrder]:
    """What the marketplaces say is open right now (synthetic when no marketplace published)."""
    published = world.orders()
    if published or world.sources:
        return published
    return synthetic_ledger(rng, start, DEFAULT_PER_PLATFORM if per_platform is None else per_platform)


def synthetic_ledger(rng: random.Random, start: datetime, per_platform: int) -> list[LedgerOrder]:
    """`per_platform` orders awaiting shipment per marketplace, plus a return for every fifth."""
    made = OrderNumbers(rng)
    orders: list[LedgerOrder] = []
    for platform in _SYNTHETIC_PLATFORMS:
        for i in range(per_platform):
            created = start - timedelta(minutes=rng.randrange(20, 60 * 60))
            cod = platform == "admin" and i % 4 == 1  # only the own shop offers cash on delivery
            items = tuple(p[0] for p in rng.sample(vocab.PLAIN_PRODUCTS, k=rng.choice((1, 1, 2))))
            orders.append(LedgerOrder(platform, made.number(platform, created), LedgerKind.AWAITING_SHIPMENT,
                                      created, cod, items))
        for _ in range(max(1, per_platform // 5)):
            created = start - timedelta(days=rng.randrange(3, 20), minutes=rng.randrange(0, 600))
            items = (rng.choice(vocab.PLAIN_PRODUCTS)[0],)
            orders.append(LedgerOrder(platform, made.number(platform, created), LedgerKind.RETURN,
                                      created, False, items))
    return orders


class OrderNumbers:
    """Order numbers in each marketplace's own shape, unique within the ledger."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq = 0

    def number(self, platform: str, at: datetime) -> str:
        self.seq += 1
        digits = "".join(self.rng.choices("0123456789", k=15))
        if platform == "pdd":  # YYMMDD-15 digits
            return f"{at:%y%m%d}-{digits}"
        if platform == "pingan":
            return f"8{at:%y%m%d}{self.seq:07d}{digits[:3]}"
        if platform == "suning":
            return f"3{self.seq:010d}"
        if platform == "yaofangwang":
            return f"{at:%y%m%d}{self.seq:05d}{digits[:5]}"
        return f"GW{at:%y%m%d%H%M%S}{self.seq % 100:02d}"  # the own shop (admin)
