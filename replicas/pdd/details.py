"""Detail pages (server-rendered, logged-in): order, after-sales case, work order, prescription."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from replicas.common.clock import SHANGHAI
from replicas.pdd.data import Record
from replicas.pdd.pages import login_redirect
from replicas.pdd.render import Renderer, esc
from replicas.pdd.state import PddState, Session

CLOCK_ICON = (
    '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="8" fill="#ff7a00"/>'
    '<path d="M9 4v5l3 2" stroke="#fff" stroke-width="1.6" fill="none"/></svg>'
)


def fmt_time(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def yuan(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"¥{value / 100:.2f}"
    return str(value)


def countdown(remain: Any, action: Any) -> str:
    if not isinstance(remain, int | float) or isinstance(remain, bool):
        return ""
    secs = max(0, int(remain))
    return (f"{secs // 86400}天{secs % 86400 // 3600}时{secs % 3600 // 60}分{secs % 60}秒未处理，"
            f"{action or '系统将自动退款'}")


def kv(rows: list[tuple[str, Any]]) -> str:
    return '<dl class="kv">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def find(records: list[Record], key: str, value: str | None) -> Record | None:
    if value is None:
        return None
    return next((r for r in records if str(r.get(key)) == value), None)


def routes(state: PddState, r: Renderer) -> list[Route]:
    def shell(request: Request, title: str, active: str, body: str | None, session: Session) -> Response:
        if body is None:
            body = '<div class="card"><p>记录不存在或无权查看</p></div>'
            return r.page(title, f'<div class="page-title">{esc(title)}</div>{body}', session=session,
                          active=active, status=404)
        return r.page(title, f'<div class="page-title">{esc(title)}</div><div class="card">{body}</div>',
                      session=session, active=active, scripts=["detail.js"])

    async def order(request: Request) -> Response:
        session = state.session_for(request, api=False)
        if session is None:
            return login_redirect(request)
        o = find(state.lists["orders"], "order_sn", request.query_params.get("sn"))
        body = None
        if o is not None:
            banner = ('<div class="risk-banner">此订单需要平台人工审核，请暂时不要发货</div>'
                      if o.get("risk_status") == 1 else "")
            body = banner + kv([
                ("订单编号", o.get("order_sn")), ("订单状态", o.get("order_status_str")),
                ("商品", o.get("goods_name")), ("规格", o.get("spec")), ("数量", o.get("goods_number")),
                ("实收金额", yuan(o.get("order_amount"))), ("成交时间", fmt_time(o.get("order_time"))),
                ("承诺发货时间", fmt_time(o.get("promise_shipping_time"))),
                ("收货人", o.get("receive_name")), ("手机号", o.get("receive_mobile")),
                ("收货地址", f"{o.get('province_name')} {o.get('city_name')} {o.get('district_name')}"),
                ("买家留言", o.get("buyer_memo") or "-"), ("商家备注", o.get("mall_remark") or "-"),
            ])
        return shell(request, "订单详情", "orders", body, session)

    async def aftersale(request: Request) -> Response:
        session = state.session_for(request, api=False)
        if session is None:
            return login_redirect(request)
        c = find(state.lists["aftersales"], "id", request.query_params.get("id"))
        body = None
        if c is not None:
            left = countdown(state.remain(c), c.get("expireActionDesc"))
            body = (f'<div class="card-title">{esc(c.get("afterSalesTitle"))}</div>'
                    f'<div class="countdown">{esc(left)}</div>' + kv([
                        ("售后编号", c.get("id")), ("订单编号", c.get("orderSn")),
                        ("售后类型", c.get("afterSalesTypeName")), ("退款金额", yuan(c.get("refundAmount"))),
                        ("订单金额", yuan(c.get("orderAmount"))), ("商品", c.get("goodsName")),
                        ("规格", c.get("goodsSpec")), ("申请原因", c.get("afterSalesReasonDesc")),
                        ("申请时间", fmt_time(c.get("createdAt"))),
                    ]))
        return shell(request, "售后详情", "aftersales", body, session)

    async def work_order(request: Request) -> Response:
        session = state.session_for(request, api=False)
        if session is None:
            return login_redirect(request)
        w = find(state.lists["work_orders"], "instanceId", request.query_params.get("id"))
        body = None
        if w is not None:
            body = kv([
                ("工单编号", w.get("workOrderSn")), ("订单编号", w.get("orderSn")),
                ("问题类型", w.get("problemTitle")), ("状态", w.get("statusStr")),
                ("商品", w.get("goodsName")), ("创建时间", fmt_time(w.get("createdAt"))),
                ("处理时限", fmt_time(w.get("expireTime"))),
            ])
        return shell(request, "工单详情", "work_orders", body, session)

    async def prescription(request: Request) -> Response:
        session = state.session_for(request, api=False)
        if session is None:
            return login_redirect(request)
        p = find(state.lists["prescriptions"], "orderSn", request.query_params.get("orderSn"))
        body = None
        if p is not None:
            pending = p.get("status") == 0
            buttons = (r.button("通过", primary=True, extra="rx-audit", attrs={"data-result": "1"})
                       + r.button("驳回", extra="rx-audit", attrs={"data-result": "2"})) if pending else ""
            icon = f'<span data-testid="{esc(r.tid("beast-core-icon-time-circle_filled"))}">{CLOCK_ICON}</span>'
            body = (f'<div id="mf-mms-orders-container" data-order-sn="{esc(p.get("orderSn"))}">'
                    f'<div class="rx-status">{icon}<span>{esc(p.get("statusStr"))}</span></div>' + kv([
                        ("订单编号", p.get("orderSn")), ("处方编号", p.get("prescriptionId")),
                        ("药品", p.get("goodsName")), ("患者", p.get("patientName")),
                        ("开方机构", p.get("hospitalName")), ("提交时间", fmt_time(p.get("createdAt"))),
                    ]) + f'<div class="actions">{buttons}</div></div>')
        return shell(request, "处方单详情", "medicine", body, session)

    return [
        Route("/orders/detail", order),
        Route("/aftersales-ssr/detail", aftersale),
        Route("/aftersales/work_order/detail", work_order),
        Route("/orders/medicine/detail", prescription),
    ]
