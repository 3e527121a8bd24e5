"""万里牛 rows to facts and findings: pure functions over one JSON row each (no page access).

Remark view (订单备注) -> an ERP_ORDER fact per online order number, REMARK_MISSING (补发 or a
buyer memo without 卖家备注), TCM_SPEC_CHECK (an open order with 中药 items).
WMS view (订单分配) -> an ERP_ORDER fact with the WMS state, UNALLOCATED for the states that lack
an allocation. Which texts mean what (platforms, statuses, categories) is data: selectors/hupun.toml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sweeper.flow import FlowContext
from sweeper.locators import Locators
from sweeper.models import Category
from sweeper.parsing import FindingDraft, clean_text, local_datetime, yuan

_TID_SPLIT = re.compile(r"[,，;；\s]+")


@dataclass(frozen=True)
class Vocab:
    """The [texts] of selectors/hupun.toml a row is judged with."""

    sources: Mapping[str, str]  # platform text as the ERP shows it -> sweeper's platform key
    open_statuses: Sequence[str]
    known_statuses: Sequence[str]
    reship_types: Sequence[str]
    cod_pay: Sequence[str]
    online_pay: Sequence[str]
    tcm_categories: Sequence[str]
    unallocated: Sequence[str]
    exceptions: Sequence[str]
    known_wms: Sequence[str]
    order_before: time
    ship_by: time

    @classmethod
    def of(cls, locators: Locators) -> Vocab:
        texts = locators.text
        sources = {
            name: key.removeprefix("source_")
            for key, names in locators.texts.items() if key.startswith("source_") for name in names
        }
        before, ship_by = (time.fromisoformat(t) for t in texts("ship_cutoff")[:2])
        return cls(
            sources=sources, open_statuses=texts("erp_open_statuses"),
            known_statuses=[*texts("erp_open_statuses"), *texts("erp_closed_statuses")],
            reship_types=texts("type_reship"), cod_pay=texts("pay_cod"), online_pay=texts("pay_online"),
            tcm_categories=texts("tcm_categories"), unallocated=texts("wms_unallocated"),
            exceptions=texts("wms_exceptions"), known_wms=texts("wms_known"), order_before=before,
            ship_by=ship_by,
        )

    def source(self, platform: str) -> str:
        return self.sources.get(platform, "")

    def cod(self, pay_type: str) -> str | None:
        if pay_type in self.cod_pay:
            return "true"
        return "false" if pay_type in self.online_pay else None


def tids(raw: Any) -> list[str]:
    """线上单号; a merged ERP order lists several, comma-separated."""
    return [t for t in _TID_SPLIT.split(clean_text(raw, 400)) if t]


def ship_deadline(created: datetime | None, vocab: Vocab) -> datetime | None:
    """The routine's rule: placed before 17:00 on day D -> leaves by 16:00 on D+1 (else D+2)."""
    if created is None:
        return None
    days = 1 if created.time() < vocab.order_before else 2
    return datetime.combine(created.date() + timedelta(days=days), vocab.ship_by, tzinfo=created.tzinfo)


def _draft(ctx: FlowContext, vocab: Vocab, category: Category, row: dict[str, Any]) -> FindingDraft:
    numbers = tids(row.get("tid"))
    draft = FindingDraft(ctx.platform, ctx.account, category, numbers[0] if numbers else "")
    created = draft.take("created_at", local_datetime(row.get("created"), ctx.tz))
    erp_no = clean_text(row.get("tradeNo"), 64)
    return draft.set(
        deadline_at=ship_deadline(created, vocab),
        link=ctx.link("order_detail", erp_no=erp_no) if erp_no else "",
    )


def _where(row: dict[str, Any], platform_key: str, shop_key: str) -> str:
    platform, shop = clean_text(row.get(platform_key)), clean_text(row.get(shop_key))
    return "·".join(p for p in (platform, shop) if p) or "未知店铺"


# -- the remark view ------------------------------------------------------------------------------


def remark_items(row: dict[str, Any], vocab: Vocab) -> tuple[list[str], list[str], str]:
    """(every item as text, the 中药 ones, a problem or "")."""
    items = row.get("items")
    if not isinstance(items, list):
        return [], [], f"items: not a list: {str(items)[:60]!r}"
    every, tcm = [], []
    for item in (i for i in items if isinstance(i, dict)):
        text = " ".join(p for p in (clean_text(item.get("itemName")), clean_text(item.get("skuName"))) if p)
        text += f" ×{clean_text(item.get('size'))}" if clean_text(item.get("size")) else ""
        every.append(text)
        category = clean_text(item.get("category"))
        if str(item.get("tcmFlag")) == "1" or category in vocab.tcm_categories:
            tcm.append(f"{text}（{category or '中药'}）")
    return every, tcm, ""


def remark_fact_fields(row: dict[str, Any], vocab: Vocab) -> dict[str, str]:
    platform = clean_text(row.get("platform"))
    fields = {
        "remark": clean_text(row.get("sellerMemo")), "buyer_memo": clean_text(row.get("buyerMessage")),
        "order_type": clean_text(row.get("tradeType")), "carrier": clean_text(row.get("express")),
        "shop": clean_text(row.get("shopNick")), "erp_no": clean_text(row.get("tradeNo"), 64),
        "erp_status": clean_text(row.get("status")), "platform": platform,
    }
    cod = vocab.cod(clean_text(row.get("payType")))
    if cod is not None:
        fields["cod"] = cod
    return fields


def remark_findings(ctx: FlowContext, vocab: Vocab, row: dict[str, Any]) -> list[FindingDraft]:
    """REMARK_MISSING and TCM_SPEC_CHECK for an order still to ship (an unknown status counts as one)."""
    status = clean_text(row.get("status"))
    unknown = status not in vocab.known_statuses
    if not unknown and status not in vocab.open_statuses:
        return []
    every, tcm, items_problem = remark_items(row, vocab)
    remark, memo = clean_text(row.get("sellerMemo")), clean_text(row.get("buyerMessage"))
    reship = clean_text(row.get("tradeType")) in vocab.reship_types
    reasons = (["补发订单未填写卖家备注"] if reship else []) + ([f"买家留言「{memo}」未备注"] if memo else [])
    drafts = []
    if not remark and reasons:
        drafts.append(_remark_draft(ctx, vocab, Category.REMARK_MISSING, row, every, "；".join(reasons)))
    if tcm or items_problem:  # unreadable items might hold 中药: a person must look
        what = f"中药规格待核对：{'、'.join(tcm)}" if tcm else "商品明细无法读取，无法判断是否含中药"
        drafts.append(_remark_draft(ctx, vocab, Category.TCM_SPEC_CHECK, row, tcm, what))
    for draft in drafts:
        if unknown:
            draft.problems.append(f"status unrecognised: {status[:20]!r}")
            draft.raw["status"] = status
        if items_problem:
            draft.problems.append(items_problem)
            draft.raw["items"] = str(row.get("items"))[:200]
    return drafts


def _remark_draft(ctx: FlowContext, vocab: Vocab, category: Category, row: dict[str, Any], items: list[str],
                  what: str) -> FindingDraft:
    draft = _draft(ctx, vocab, category, row)
    draft.take("amount_yuan", yuan(row.get("payment")))
    customer = " ".join(clean_text(row.get(k)) for k in ("receiverName", "receiverMobile", "receiverAddress"))
    return draft.set(
        item="、".join(items), status_text=clean_text(row.get("status")),
        buyer_memo=clean_text(row.get("buyerMessage")), customer=clean_text(customer),
        detail=f"{_where(row, 'platform', 'shopNick')} 系统单号 {clean_text(row.get('tradeNo'))}：{what}",
    )


# -- the WMS view ---------------------------------------------------------------------------------


def wms_fact_fields(row: dict[str, Any], wait_s: float) -> dict[str, str]:
    fields = {
        "wms_state": clean_text(row.get("status")), "wms_reason": clean_text(row.get("exceptionReason")),
        "erp_no": clean_text(row.get("tradeNo"), 64), "platform": clean_text(row.get("platformName")),
        "shop": clean_text(row.get("shopName")), "wave_no": clean_text(row.get("waveNo")),
    }
    task = clean_text(row.get("taskNo"))
    if task:  # a system task still works on this order: its state is not final
        fields["wms_task"] = f"{task} 处理中（等待 {wait_s:.0f} 秒未完成）"
    return fields


def wms_finding(ctx: FlowContext, vocab: Vocab, row: dict[str, Any], wait_s: float) -> FindingDraft | None:
    """UNALLOCATED for an order without allocation, or whose allocation a running task still decides."""
    state, reason, task = (clean_text(row.get(k)) for k in ("status", "exceptionReason", "taskNo"))
    unknown = state not in vocab.known_wms
    if not (state in vocab.unallocated or unknown or task):
        return None
    draft = _draft(ctx, vocab, Category.UNALLOCATED, row)
    goods = row.get("goods")
    items = [f"{clean_text(g.get('name'))} {clean_text(g.get('spec'))} ×{clean_text(g.get('qty'))}".strip()
             for g in goods if isinstance(g, dict)] if isinstance(goods, list) else []
    status = state
    if task:
        status = f"{state}（系统任务处理中）"
        draft.problems.append(f"wms_state: 系统任务 {task} 等待 {wait_s:.0f} 秒仍在处理中，分配结果未定")
    if unknown:
        draft.problems.append(f"wms_state unrecognised: {state[:20]!r}")
        draft.raw["wms_state"] = state
    what = f"{state}：{reason}" if reason else state
    return draft.set(
        item="、".join(items), status_text=status,
        detail=f"{_where(row, 'platformName', 'shopName')} 系统单号 {clean_text(row.get('tradeNo'))}：{what}",
    )
