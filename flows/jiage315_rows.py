"""315价格网 grid rows → findings and facts. Pure functions of one row and the context.

Deadlines are the flow's own [I] (the site shows none): an order must ship within
`texts.ship_within_hours` of its payment (of the order itself for 货到付款, which has no payment
time), a refund must be answered within `texts.refund_within_hours` of its application.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.jiage315_grid import Row, text
from sweeper.flow import FlowContext
from sweeper.models import Category, FactKind, Finding
from sweeper.parsing import FindingDraft, local_datetime, yuan


def _draft(ctx: FlowContext, category: Category, order_no: str) -> FindingDraft:
    return FindingDraft(platform=ctx.platform, account=ctx.account, category=category, order_no=order_no)


def _hours(ctx: FlowContext, name: str) -> timedelta:
    return timedelta(hours=float(text(ctx, name)))


def ship_category(ctx: FlowContext, deadline: datetime | None) -> Category | None:
    """Overdue, due within `ship_due_soon`, or nothing to say yet (None)."""
    if deadline is None:
        return Category.AWAITING_SHIPMENT
    if deadline <= ctx.now:
        return Category.OVERDUE_SHIPMENT
    if deadline - ctx.now <= ctx.options.ship_due_soon:
        return Category.SHIPMENT_DUE_SOON
    return None


def _pay_basis(ctx: FlowContext, draft: FindingDraft, row: Row, created: datetime | None) -> datetime | None:
    """When the ship clock started: the payment, else (货到付款, or an unreadable time) the order."""
    paid_text = row.get("col_paid", "")
    if not paid_text:
        return created
    paid = local_datetime(paid_text, ctx.tz)
    if not paid.ok:
        draft.problems.append(f"paid_at: {paid.problem}; the deadline counts from 下单时间")
        draft.raw["paid_at"] = paid.raw
        return created
    return paid.value


def order_findings(ctx: FlowContext, row: Row) -> list[Finding]:
    """Every row of the 待发货 list is a fact for the cross-checks; late or nearly late ones are findings."""
    order_no = row.get("col_order_no", "")
    pay_type, status = row.get("col_pay_type", ""), row.get("col_order_status", "")
    cod = "true" if pay_type in ctx.locators.text("pay_cod") else (
        "false" if pay_type in ctx.locators.text("pay_online") else None)
    if order_no:
        ctx.sink.fact(FactKind.AWAITING_SHIPMENT, order_no, **({"cod": cod} if cod else {}))
    draft = _draft(ctx, Category.AWAITING_SHIPMENT, order_no)
    if status not in ctx.locators.text("ship_waiting"):
        draft.problems.append(f"status: {status[:20]!r} in the 待发货 list")
        draft.raw["status_text"] = status
    created: datetime | None = draft.take("created_at", local_datetime(row.get("col_created"), ctx.tz))
    basis = _pay_basis(ctx, draft, row, created)
    deadline = basis + _hours(ctx, "ship_within_hours") if basis is not None else None
    draft.take("amount_yuan", yuan(row.get("col_amount")))
    paid = row.get("col_paid", "")
    draft.set(
        deadline_at=deadline, item=row.get("col_goods", ""), customer=row.get("col_consignee", ""),
        status_text=status, buyer_memo=row.get("col_memo", ""),
        detail=" · ".join(p for p in (pay_type, f"付款 {paid}" if paid else "") if p),
        link=ctx.link("order_detail", order_no=order_no) if order_no else "",
    )
    category = ship_category(ctx, deadline)
    if category is None and not draft.problems:
        return []  # comfortable: counted in the tally and the facts, nothing to do yet
    draft.category = category or Category.AWAITING_SHIPMENT
    return [draft.build()]


def refund_findings(ctx: FlowContext, row: Row) -> list[Finding]:
    refund_no = row.get("col_refund_no", "")
    draft = _draft(ctx, Category.REFUND_WAITING, row.get("col_order_no", "") or refund_no)
    if not row.get("col_order_no"):
        draft.problems.append("order_no: missing; the refund number stands in")
    applied: datetime | None = draft.take("created_at", local_datetime(row.get("col_applied"), ctx.tz))
    deadline = applied + _hours(ctx, "refund_within_hours") if applied is not None else None
    if deadline is not None and deadline - ctx.now <= ctx.options.aftersale_due_soon:
        draft.category = Category.AFTERSALE_DUE_SOON
    draft.take("amount_yuan", yuan(row.get("col_refund_amount")))
    parts = (f"退款单号 {refund_no}" if refund_no else "", row.get("col_refund_kind", ""),
             row.get("col_refund_reason", ""))
    draft.set(
        deadline_at=deadline, item=row.get("col_goods", ""), status_text=row.get("col_refund_status", ""),
        detail=" · ".join(p for p in parts if p),
        link=ctx.link("refund_detail", refund_no=refund_no) if refund_no else "",
    )
    return [draft.build()]


def message_findings(ctx: FlowContext, row: Row) -> list[Finding]:
    msg_no = row.get("col_msg_no", "")
    draft = _draft(ctx, Category.BUYER_MESSAGE, msg_no)
    draft.take("created_at", local_datetime(row.get("col_sent"), ctx.tz))
    related = row.get("col_related_order", "")
    draft.set(
        item=row.get("col_msg_goods", ""), customer=row.get("col_member", ""),
        buyer_memo=row.get("col_message", ""), status_text=row.get("col_reply_status", ""),
        detail=f"关联订单 {related}" if related else "",
        link=ctx.link("message_detail", msg_no=msg_no) if msg_no else "",
    )
    return [draft.build()]
