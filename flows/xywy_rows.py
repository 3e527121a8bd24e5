"""寻医问药 store admin: one JSON record of a list → findings (and facts). Pure; no page access.

Field names are the replica's invented API [I] (see replicas/xywy/data.py); the state codes that
decide what needs a person come from the selectors file's [texts].
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sweeper.flow import FlowContext
from sweeper.models import Category, FactKind, Finding
from sweeper.parsing import FindingDraft, clean_text, integer, local_datetime, yuan


def _texts(ctx: FlowContext, name: str) -> list[str]:
    return ctx.locators.text(name)


def _draft(ctx: FlowContext, category: Category, order_no: Any) -> FindingDraft:
    return FindingDraft(ctx.platform, ctx.account, category, clean_text(order_no, 64))


def _when(draft: FindingDraft, name: str, raw: Any, ctx: FlowContext) -> datetime | None:
    value: datetime | None = draft.take(name, local_datetime(raw, ctx.tz))
    return value


def _goods(row: dict[str, Any], draft: FindingDraft) -> str:
    goods = row.get("goodsList")
    if not isinstance(goods, list):
        draft.problems.append(f"goodsList: not a list: {str(goods)[:60]!r}")
        draft.raw["goodsList"] = str(goods)
        return ""
    lines = [
        f"{clean_text(g.get('goodsName'))} {clean_text(g.get('spec'))} ×{clean_text(g.get('num'))}".strip()
        for g in goods if isinstance(g, dict)
    ]
    return "、".join(lines)


# -- orders awaiting shipment --------------------------------------------------------------------


def _ship_deadline(
    ctx: FlowContext, row: dict[str, Any], draft: FindingDraft, cod: bool | None
) -> datetime | None:
    """承诺发货时间; when it cannot be read, the site's promise rule applied to the payment (flagged)."""
    promised = _when(draft, "deadline_at", row.get("promiseShipTime"), ctx)
    if promised is not None:
        return promised
    base_field = "createTime" if cod else "payTime"
    base = local_datetime(row.get(base_field), ctx.tz).value
    if base is None:
        return None
    hours = integer(_texts(ctx, "ship_within_hours")[0]).value or 48
    deadline = base + timedelta(hours=hours)
    draft.problems.append(f"deadline_at: taken as {base_field} + {hours} h")
    draft.set(deadline_at=deadline)
    return deadline


def _ship_category(ctx: FlowContext, deadline: datetime | None) -> Category | None:
    if deadline is None:
        return Category.AWAITING_SHIPMENT  # no deadline at all: a person must look
    if deadline <= ctx.now:
        return Category.OVERDUE_SHIPMENT
    if deadline - ctx.now <= ctx.options.ship_due_soon:
        return Category.SHIPMENT_DUE_SOON
    return None


def to_ship_findings(ctx: FlowContext, row: dict[str, Any]) -> list[Finding]:
    """Every row is a fact for the WMS cross-check; overdue / due-soon / unreadable rows are findings."""
    draft = _draft(ctx, Category.AWAITING_SHIPMENT, row.get("orderSn"))
    pay_type = clean_text(row.get("payType"))
    cod = pay_type in _texts(ctx, "cod_pay_types") if pay_type in _texts(ctx, "known_pay_types") else None
    if cod is None:
        draft.problems.append(f"payType unrecognised: {pay_type[:20]!r}")
        draft.raw["payType"] = pay_type
    if draft.order_no:
        cod_field = {} if cod is None else {"cod": "true" if cod else "false"}
        ctx.sink.fact(FactKind.AWAITING_SHIPMENT, draft.order_no, **cod_field)
    draft.take("amount_yuan", yuan(row.get("totalAmount")))
    _when(draft, "created_at", row.get("createTime"), ctx)
    category = _ship_category(ctx, _ship_deadline(ctx, row, draft, cod))
    if category is None and not draft.problems:
        return []  # comfortable: counted, nothing to do yet
    draft.category = category or Category.AWAITING_SHIPMENT
    customer = " ".join(clean_text(row.get(k)) for k in ("receiverName", "receiverPhone", "receiverAddress"))
    draft.set(
        item=_goods(row, draft),
        status_text=clean_text(row.get("orderStatusName")),
        buyer_memo=clean_text(row.get("buyerRemark")),
        customer=clean_text(customer),
        detail=clean_text(row.get("payTypeName")),
        link=ctx.link("order_detail", order_no=draft.order_no) if draft.order_no else "",
    )
    return [draft.build()]


# -- refund cases ----------------------------------------------------------------------------------


def _refund_deadline(ctx: FlowContext, row: dict[str, Any], draft: FindingDraft) -> datetime | None:
    """处理截止时间; when it cannot be read, the 剩余处理时间 countdown from now (flagged)."""
    deadline = _when(draft, "deadline_at", row.get("handleDeadline"), ctx)
    if deadline is not None:
        return deadline
    left = integer(row.get("remainSeconds")).value
    if left is None:
        return None
    draft.problems.append("deadline_at: taken from remainSeconds")
    deadline = ctx.now + timedelta(seconds=left)
    draft.set(deadline_at=deadline)
    return deadline


def refund_findings(ctx: FlowContext, row: dict[str, Any]) -> list[Finding]:
    """A case waiting for the shop: REFUND_WAITING, AFTERSALE_DUE_SOON near its deadline."""
    status = clean_text(row.get("refundStatus"))
    if status in _texts(ctx, "refund_buyer_turn"):
        return []  # the buyer has to send the parcel back first
    refund_no = clean_text(row.get("refundSn"), 64)
    draft = _draft(ctx, Category.REFUND_WAITING, row.get("orderSn") or refund_no)
    if status not in _texts(ctx, "refund_merchant_turn"):
        draft.problems.append(f"refundStatus unrecognised: {status[:20]!r}")
        draft.raw["refundStatus"] = status
    draft.take("amount_yuan", yuan(row.get("refundAmount")))
    _when(draft, "created_at", row.get("applyTime"), ctx)
    deadline = _refund_deadline(ctx, row, draft)
    if deadline is not None and deadline - ctx.now <= ctx.options.aftersale_due_soon:
        draft.category = Category.AFTERSALE_DUE_SOON
    parts = (clean_text(row.get("refundTypeName")), clean_text(row.get("reason")),
             f"退款编号 {refund_no}" if refund_no else "")
    draft.set(
        item=clean_text(row.get("goodsName")),
        status_text=clean_text(row.get("refundStatusName")),
        customer=clean_text(row.get("buyerNick")),
        detail=" · ".join(p for p in parts if p),
        link=ctx.link("refund_detail", refund_no=refund_no) if refund_no else "",
    )
    return [draft.build()]


# -- buyer questions -------------------------------------------------------------------------------


def consult_findings(ctx: FlowContext, row: dict[str, Any]) -> list[Finding]:
    """A buyer question nobody has answered yet: BUYER_MESSAGE, keyed by the question's number."""
    status = clean_text(row.get("replyStatus"))
    if status in _texts(ctx, "consult_replied"):
        return []
    consult_no = clean_text(row.get("consultSn"), 64)
    draft = _draft(ctx, Category.BUYER_MESSAGE, consult_no)
    if status not in _texts(ctx, "consult_unreplied"):
        draft.problems.append(f"replyStatus unrecognised: {status[:20]!r}")
        draft.raw["replyStatus"] = status
    _when(draft, "created_at", row.get("createTime"), ctx)
    order_no = clean_text(row.get("orderSn"), 64)
    draft.set(
        item=clean_text(row.get("goodsName")),
        status_text=clean_text(row.get("replyStatusName")),
        buyer_memo=clean_text(row.get("content")),
        customer=clean_text(row.get("buyerNick")),
        detail=f"订单 {order_no}" if order_no else "",
        link=ctx.link("consult_detail", consult_no=consult_no) if consult_no else "",
    )
    return [draft.build()]
