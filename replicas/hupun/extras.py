"""Record making, and the orders only the ERP has: 补发, 售后, TCM, buyer memos, an unknown shop.

These are the rows the 09:30 slot is about ("check remarks platform by platform", "mind the 规格
of 中药 items"): some re-shipments carry the remark format, some none; some buyer memos were
answered with a remark, some not; TCM orders are open (to check) or already shipped (controls).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from replicas.hupun import vocab
from replicas.hupun.ledger import OrderNumbers

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_BY_NAME = {p[0]: p for p in vocab.PRODUCTS}


class Maker:
    """Builds ERP records from one seeded RNG, relative to the replica clock's start."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start
        self.seq = 0
        self.waves = 0
        self.numbers = OrderNumbers(rng)

    def trade_no(self, created: datetime) -> str:
        self.seq += 1
        return f"XS{created:%y%m%d}{self.seq:06d}"

    def items(self, names: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
        rows = []
        for name in names or (self.rng.choice(vocab.PLAIN_PRODUCTS)[0],):
            _, spec, price, category = _BY_NAME.get(name, (name, "1盒", "19.90", "西药"))
            rows.append({"itemName": name, "skuName": spec, "size": str(self.rng.choice((1, 1, 2))),
                         "category": category, "price": price})
        return rows

    def order(self, platform_key: str, tid: str, created: datetime | None, names: tuple[str, ...] | list[str],
              *, carrier: str, cod: bool, status: str) -> dict[str, Any]:
        rng = self.rng
        created = created or self.start - timedelta(minutes=rng.randrange(30, 600))
        platform, shop = vocab.PLATFORMS.get(platform_key, (platform_key, platform_key))
        items = self.items(names)
        name = rng.choice(vocab.SURNAMES) + "".join(rng.choices(vocab.GIVEN, k=rng.choice((1, 2))))
        return {
            "uid": str(rng.randrange(10**17, 10**18)), "tradeNo": self.trade_no(created), "tid": tid,
            "shopNick": shop, "platform": platform, "buyerMessage": "", "sellerMemo": "",
            "tradeType": vocab.TYPE_NORMAL, "payType": vocab.PAY_COD if cod else vocab.PAY_ONLINE,
            "express": carrier, "status": status, "created": created.strftime(TIME_FORMAT),
            "payTime": "" if cod else (created + timedelta(minutes=2)).strftime(TIME_FORMAT),
            "payment": payment(items), "receiverName": name,
            "receiverMobile": f"1{rng.choice('3589')}{rng.randrange(10)}****{rng.randrange(10000):04d}",
            "receiverAddress": f"{rng.choice(vocab.CITIES)}示例路{rng.randrange(1, 300)}号",
            "items": items, "wms": None,
        }

    def wms(self, state: str, reason: str, *, job: bool = False, wave: bool = False) -> dict[str, Any]:
        wave_no = ""
        if wave:
            self.waves += 1
            wave_no = f"BC{self.start:%y%m%d}{self.waves:04d}"
        pushed = self.start - timedelta(minutes=self.rng.randrange(5, 300))
        return {"state": state, "reason": reason, "waveNo": wave_no, "job": job,
                "pushTime": pushed.strftime(TIME_FORMAT)}

    def tid(self, platform_key: str, created: datetime) -> str:
        return self.numbers.number(platform_key, created)


def payment(items: list[dict[str, Any]]) -> str:
    total = sum((Decimal(str(i.get("price", "0"))) * int(i.get("size", 1)) for i in items), Decimal(0))
    return f"{total:.2f}"


def erp_only_orders(make: Maker, count: int) -> list[dict[str, Any]]:
    """`count` of each ERP-only kind, plus one order of a shop sweeper has no key for."""
    rng = make.rng
    keys = [k for k in vocab.PLATFORMS if k not in ("xywy", "jiage315")]
    orders: list[dict[str, Any]] = []
    for i in range(count):
        orders.append(_reship(make, rng.choice(keys), i))
        orders.append(_tcm(make, rng.choice(keys), shipped=i % 4 == 3))
        orders.append(_memo(make, rng.choice(keys), with_remark=i % 2 == 0))
        if i % 2 == 0:
            orders.append(_exchange(make, rng.choice(keys)))
    unknown = _memo(make, "", with_remark=False)
    unknown["platform"], unknown["shopNick"] = vocab.UNKNOWN_SHOP
    unknown["tid"] = "69" + "".join(rng.choices("0123456789", k=17))  # 抖音 order numbers: 19 digits
    orders.append(unknown)
    return orders


def _open(make: Maker, key: str, names: list[str], *, status: str = vocab.ERP_IN_WMS) -> dict[str, Any]:
    created = make.start - timedelta(minutes=make.rng.randrange(30, 1200))
    record = make.order(key or "pdd", make.tid(key or "pdd", created), created, names,
                        carrier=make.rng.choice(vocab.CARRIERS), cod=False, status=status)
    if status == vocab.ERP_IN_WMS:
        record["wms"] = make.wms(vocab.WMS_ALLOCATED, "")
    return record


def _reship(make: Maker, key: str, i: int) -> dict[str, Any]:
    product = make.rng.choice(vocab.PLAIN_PRODUCTS)[0]
    record = _open(make, key, [product], status=vocab.ERP_AUDIT if i % 2 else vocab.ERP_IN_WMS)
    original = record["tid"]
    record.update(tid=f"{original}-1", tradeType=vocab.TYPE_RESHIP, payment="0.00")
    if i % 3 != 2:
        record["sellerMemo"] = vocab.RESHIP_REMARK.format(platform=record["platform"], original=original,
                                                          product=product)
    if i % 5 == 4:  # an old re-shipment, already gone: no finding even without a remark
        record.update(status=vocab.ERP_SHIPPED, sellerMemo="", wms=make.wms(vocab.WMS_SHIPPED, "", wave=True))
    return record


def _tcm(make: Maker, key: str, *, shipped: bool) -> dict[str, Any]:
    names = [p[0] for p in make.rng.sample(vocab.TCM_PRODUCTS, k=make.rng.choice((1, 2)))]
    record = _open(make, key, [*names, make.rng.choice(vocab.PLAIN_PRODUCTS)[0]])
    if shipped:
        record.update(status=vocab.ERP_SHIPPED, wms=make.wms(vocab.WMS_SHIPPED, "", wave=True))
    return record


def _memo(make: Maker, key: str, *, with_remark: bool) -> dict[str, Any]:
    record = _open(make, key, [make.rng.choice(vocab.PLAIN_PRODUCTS)[0]])
    record["buyerMessage"] = make.rng.choice(vocab.BUYER_MESSAGES)
    record["sellerMemo"] = make.rng.choice(vocab.MEMO_REMARKS) if with_remark else ""
    return record


def _exchange(make: Maker, key: str) -> dict[str, Any]:
    product = make.rng.choice(vocab.PLAIN_PRODUCTS)[0]
    record = _open(make, key, [product])
    record.update(tradeType=vocab.TYPE_AFTERSALE, sellerMemo=f"换货：{product} 换新，原件已退回", payment="0.00")
    return record
