"""The ERP's orders, built from the marketplace ledger the first time they are needed.

One internal record per ERP order (the scenario's `add.orders` / `replace.orders` use these names):

    uid          the row id the grid shows as `rowid` (a long number, like the real one)
    tradeNo      系统单号 (万里牛单号)          tid        线上单号 (the marketplace's; "A,B" when merged)
    shopNick     店铺                         platform   平台 as the ERP shows it (拼多多, 官网, ...)
    buyerMessage 买家留言                      sellerMemo 卖家备注 (the remark the team writes)
    tradeType    普通 / 补发 / 售后             payType    在线支付 / 货到付款
    express      快递公司                      status     ERP status (订单审核, 打单配货, ..., 已发货)
    created, payTime ("%Y-%m-%d %H:%M:%S"), payment (yuan string), receiverName, receiverMobile,
    receiverAddress, items [{itemName, skuName (规格), size, category}], and
    wms          None (not pushed to the WMS) or {state, reason, waveNo, job (in the running wave job),
                 pushTime}

Shares are deterministic by position, so every WMS state exists as soon as there are ~20 orders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from replicas.common.world import LedgerKind, LedgerOrder
from replicas.hupun import vocab
from replicas.hupun.extras import Maker, erp_only_orders

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_POOL_SLOTS, _JOB_SLOTS, _AUDIT_SLOTS, _MISSING_SLOT = (11,), (1, 15), (7, 17), 3
_STATE_SLOTS = {5: vocab.WMS_LOCK_FAILED, 9: vocab.WMS_HELD, 13: vocab.WMS_SHORT}


@dataclass
class Dataset:
    orders: list[dict[str, Any]] = field(default_factory=list)

    def table(self, name: str) -> list[dict[str, Any]]:
        if name != "orders":
            raise KeyError(f"hupun replica has no list {name!r} (orders)")
        return self.orders

    def in_wms(self) -> list[dict[str, Any]]:
        return [o for o in self.orders if isinstance(o.get("wms"), dict)]

    def by_trade_no(self, trade_no: str) -> dict[str, Any] | None:
        return next((o for o in self.orders if o.get("tradeNo") == trade_no), None)


def build_dataset(ledger: list[LedgerOrder], rng: random.Random, start: datetime, *,
                  empty: bool, replace: list[dict[str, Any]] | None,
                  add: list[dict[str, Any]]) -> Dataset:
    """Ledger-driven orders plus ERP-only ones; `empty_lists` and the scenario's records on top."""
    make = Maker(rng, start)
    orders: list[dict[str, Any]] = [] if empty else from_ledger(ledger, make)
    if not empty:
        orders += erp_only_orders(make, max(3, len(orders) // 15))
    defaults = Defaults(make)
    if replace is not None:
        orders = [defaults.complete(r) for r in replace]
    index = {str(o.get("tradeNo")): o for o in orders}
    for record in add:
        existing = index.get(str(record.get("tradeNo")))
        if existing is not None:
            existing.update(record)
        else:
            orders.append(defaults.complete(record))
    return Dataset(sorted(orders, key=lambda o: str(o.get("created", "")), reverse=True))


def from_ledger(ledger: list[LedgerOrder], make: Maker) -> list[dict[str, Any]]:
    awaiting = sorted((o for o in ledger if o.kind is LedgerKind.AWAITING_SHIPMENT),
                      key=lambda o: (o.platform, o.order_no))
    orders: dict[tuple[str, str], dict[str, Any]] = {}
    cod_seen = 0
    for i, placed in enumerate(awaiting):
        slot = i % 20
        if slot == _MISSING_SLOT:
            continue  # the ERP never pulled it: the cross-check should notice
        carrier = make.rng.choice(vocab.CARRIERS)
        if placed.cod:
            carrier = vocab.STO if cod_seen % 5 == 2 else vocab.ZTO
            cod_seen += 1
        record = make.order(placed.platform, placed.order_no, placed.created, placed.items, carrier=carrier,
                            cod=placed.cod, status=vocab.ERP_AUDIT if slot in _AUDIT_SLOTS else vocab.ERP_IN_WMS)
        if i % 6 == 0:
            record["buyerMessage"] = make.rng.choice(vocab.BUYER_MESSAGES)
            record["sellerMemo"] = "" if (i // 6) % 3 == 2 else make.rng.choice(vocab.MEMO_REMARKS)
        if record["status"] == vocab.ERP_IN_WMS:
            record["wms"] = _wms_for_slot(make, slot, i, record)
        orders[(placed.platform, placed.order_no)] = record
    returns = [o for o in ledger if o.kind is LedgerKind.RETURN]
    for j, returned in enumerate(sorted(returns, key=lambda o: (o.platform, o.order_no))):
        _add_return(make, orders, returned, with_remark=j % 4 != 3)
    return list(orders.values())


def _wms_for_slot(make: Maker, slot: int, i: int, record: dict[str, Any]) -> dict[str, Any]:
    item = record["items"][0]
    if slot in _POOL_SLOTS or slot in _JOB_SLOTS:
        return make.wms(vocab.WMS_POOL, vocab.POOL_REASON, job=slot in _JOB_SLOTS)
    state = _STATE_SLOTS.get(slot)
    if state == vocab.WMS_LOCK_FAILED:
        return make.wms(state, vocab.LOCK_REASON.format(item=item["itemName"], qty=int(item["size"]) + 1))
    if state == vocab.WMS_HELD:
        return make.wms(state, vocab.HELD_REASONS[1])
    if state == vocab.WMS_SHORT:
        return make.wms(state, vocab.SHORT_REASON.format(item=item["itemName"], row=i % 30 + 1, col=i % 7 + 1))
    allocated = vocab.WMS_ALLOCATED_STATES[i % len(vocab.WMS_ALLOCATED_STATES)]
    return make.wms(allocated, "", wave=allocated not in (vocab.WMS_ALLOCATED, vocab.WMS_SINGLE))


def _add_return(make: Maker, orders: dict[tuple[str, str], dict[str, Any]], returned: LedgerOrder,
                *, with_remark: bool) -> None:
    existing = orders.get((returned.platform, returned.order_no))
    if existing is not None:  # a refund before shipping: the WMS holds the order
        existing["sellerMemo"] = vocab.REFUND_REMARK if with_remark else ""
        if isinstance(existing.get("wms"), dict):
            existing["wms"] = make.wms(vocab.WMS_HELD, vocab.HELD_REASONS[0])
        return
    carrier = make.rng.choice((vocab.STO, vocab.ZTO))
    record = make.order(returned.platform, returned.order_no, returned.created, returned.items,
                        carrier=carrier, cod=returned.cod, status=vocab.ERP_SHIPPED)
    waybill = f"77{make.rng.randrange(10**11, 10**12)}" if carrier == vocab.STO else f"7{make.rng.randrange(10**13, 10**14)}"
    record["sellerMemo"] = vocab.RETURN_REMARK.format(carrier=carrier[:2], waybill=waybill) if with_remark else ""
    record["wms"] = make.wms(vocab.WMS_SHIPPED, "", wave=True)
    orders[(returned.platform, returned.order_no)] = record


class Defaults:
    """Fills what a scenario record leaves out, so a test states only what matters to it."""

    def __init__(self, make: Maker) -> None:
        self.make = make

    def complete(self, record: dict[str, Any]) -> dict[str, Any]:
        created = self.make.start - timedelta(hours=1)
        base: dict[str, Any] = {
            "uid": str(self.make.rng.randrange(10**17, 10**18)), "tradeNo": self.make.trade_no(created),
            "tid": "", "shopNick": vocab.PLATFORMS["pdd"][1], "platform": vocab.PLATFORMS["pdd"][0],
            "buyerMessage": "", "sellerMemo": "", "tradeType": vocab.TYPE_NORMAL, "payType": vocab.PAY_ONLINE,
            "express": vocab.ZTO, "status": vocab.ERP_IN_WMS, "created": created.strftime(TIME_FORMAT),
            "payTime": (created + timedelta(minutes=2)).strftime(TIME_FORMAT), "payment": "17.50",
            "receiverName": "测试用户", "receiverMobile": "138****0000", "receiverAddress": "江苏省南京市示例路1号",
            "items": [{"itemName": "蒙脱石散", "skuName": "3g*10袋", "size": "1", "category": "西药"}],
            "wms": None,
        }
        merged = {**base, **record}
        wms = merged.get("wms")
        if isinstance(wms, dict):
            merged["wms"] = {"state": vocab.WMS_ALLOCATED, "reason": "", "waveNo": "", "job": False,
                             "pushTime": merged["payTime"] or merged["created"], **wms}
        return merged
