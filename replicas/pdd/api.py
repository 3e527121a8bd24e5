"""The logged-in JSON APIs behind the home counters and the four lists."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from replicas.common.faults import restyle_fields
from replicas.pdd.data import DAY, Record
from replicas.pdd.envelope import NOT_FOUND, Body, fail, int_field, ok, private_api
from replicas.pdd.state import PddState, Session
from replicas.pdd.vocab import PRESCRIPTION_STATUS

ERROR_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{code}</title></head>
<body><h1>{code} {title}</h1><p>系统繁忙，请稍后重试</p><hr><center>nginx</center></body></html>"""


@dataclass(frozen=True)
class ListApi:
    name: str
    path: str
    max_size: int
    total_key: str = "total"
    items_key: str = "list"
    default_size: int = 20


LISTS = (
    ListApi("orders", "/mangkhut/mms/recentOrderList", 50, "totalItemNum", "pageItems"),
    ListApi("aftersales", "/mercury/mms/afterSales/queryList", 100),
    ListApi("work_orders", "/strickland/sop/mms/todoList", 50),
    ListApi("prescriptions", "/mangkhut/mms/prescription/list", 50),
)


def _num(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _in_range(value: Any, start: int, end: int) -> bool:
    if not _num(value):
        return True  # odd values are never filtered away
    return (not start or value >= start) and (not end or value <= end)


def filter_records(state: PddState, name: str, body: Body) -> list[Record]:
    """The request's filters, as far as the replica models them."""
    items = state.lists[name]
    if name == "orders":
        kind, after = int_field(body, "orderType", 0), int_field(body, "afterSaleType", 0)
        start, end = int_field(body, "groupStartTime", 0), int_field(body, "groupEndTime", 0)
        return [
            o for o in items
            if (kind <= 0 or o.get("order_status") == kind)
            and (after not in (1, 2) or (o.get("after_sales_status") == 0) == (after == 1))
            and _in_range(o.get("confirm_time"), start, end)
        ]
    if name == "aftersales":
        text = str(body.get("searchText") or "").strip()
        start, end = int_field(body, "startCreatedTime", 0), int_field(body, "endCreatedTime", 0)
        operate, quick = int_field(body, "operateType", 0), str(body.get("quickFilter") or "")
        picked = [
            c for c in items
            if (not text or text in str(c.get("orderSn", "")))
            and _in_range(c.get("createdAt"), start, end)
            and operate <= 0  # no case in the replica was decided by the platform
            and quick_match(state, quick, c)
        ]
        return picked if body.get("orderByCreatedAtDesc", True) is not False else picked[::-1]
    status = int_field(body, "status", -1 if name == "prescriptions" else 0)
    if name == "work_orders" and status <= 0:
        return list(items)
    if name == "prescriptions" and status < 0:
        return list(items)
    return [r for r in items if r.get("status") == status]


QUICK_FILTERS: dict[str, tuple[str, Callable[[PddState, Record], bool]]] = {
    "complaintWarning": ("投诉预警", lambda s, c: False),
    "waitHandleExpireSoon": ("待处理即将逾期", lambda s, c: s.waiting(c) and _soon(s.remain(c))),
    "waitMerchantHandle": ("待商家处理", lambda s, c: s.waiting(c)),
    "waitProofExpireSoon": ("待举证即将逾期", lambda s, c: False),
    "waitMerchantProof": ("待商家举证", lambda s, c: False),
    "buyerUrge": ("买家催处理", lambda s, c: False),
    "waitBuyerHandle": ("待买家处理", lambda s, c: "待用户" in str(c.get("afterSalesTitle"))),
    "returnWaitHandle": ("退货待处理", lambda s, c: s.waiting(c) and str(c.get("afterSalesTitle")).startswith("退货")),
}


def _soon(remain: Any) -> bool:
    return _num(remain) and remain <= DAY


def quick_match(state: PddState, quick: str, case: Record) -> bool:
    rule = QUICK_FILTERS.get(quick)
    return rule is None or rule[1](state, case)


# Unix-second times of the list APIs (`date_format` prints them as text in a new format).
TIME_FIELDS = ("closeTime", "confirm_time", "createdAt", "created_at", "expireTime", "order_time",
               "payment_start_time", "promise_shipping_time", "shipping_time", "urge_shipping_time")


async def hold(request: Request, seconds: float) -> None:
    """Keep a request open (timeout_page) until `seconds` pass or the client goes away."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while (left := end - loop.time()) > 0:
        if await request.is_disconnected():
            return
        await asyncio.sleep(min(0.25, left))


def list_endpoint(state: PddState, spec: ListApi) -> Callable[[Request, Body, Session], Any]:
    async def handler(request: Request, body: Body, session: Session) -> Response:
        page = max(1, int_field(body, "pageNumber", 1))
        size = int_field(body, "pageSize", spec.default_size)
        size = spec.default_size if size <= 0 else min(size, spec.max_size)
        if state.fault("slow"):
            await asyncio.sleep(int(state.arg("slow", "ms", 2000)) / 1000)
        state.shift(spec.name, page)
        if state.fault_page("page_500", spec.name, page):
            return HTMLResponse(ERROR_PAGE.format(code=500, title="Internal Server Error"), status_code=500)
        if state.fault_page("timeout_page", spec.name, page):
            await hold(request, float(state.arg("timeout_page", "hold_s", 75)))
            return HTMLResponse(ERROR_PAGE.format(code=504, title="Gateway Time-out"), status_code=504)
        records = filter_records(state, spec.name, body)
        chunk = [state.public(spec.name, r) for r in records[(page - 1) * size: page * size]]
        if state.fault("date_format"):
            chunk = [restyle_fields(r, TIME_FIELDS) for r in chunk]
        return ok({spec.total_key: len(records), spec.items_key: chunk})

    return handler


def routes(state: PddState) -> list[Route]:
    async def todo_count(request: Request, body: Body, session: Session) -> Response:
        return ok(state.counters())

    async def aftersale_count(request: Request, body: Body, session: Session) -> Response:
        cases = state.lists["aftersales"]
        cards = [
            {"type": key, "name": label, "count": sum(1 for c in cases if rule(state, c))}
            for key, (label, rule) in QUICK_FILTERS.items()
        ]
        now = state.now()
        work_soon = sum(
            1 for w in state.lists["work_orders"]
            if w.get("status") in (1, 2) and _num(t := w.get("expireTime")) and t - now <= DAY
        )
        return ok({
            "total": len(cases),
            "expireIn24HCount": cards[1]["count"],
            "waitMerchantProofIn24HCount": 0,
            "platformAgreeRefundIn24HCount": 0,
            "workOrderExpireIn24HCount": work_soon,
            "cards": cards,
        })

    async def work_status_count(request: Request, body: Body, session: Session) -> Response:
        work = state.lists["work_orders"]
        return ok({
            "total": len(work),
            "waitHandleCount": sum(1 for w in work if w.get("status") == 1),
            "handlingCount": sum(1 for w in work if w.get("status") == 2),
            "finishedCount": sum(1 for w in work if w.get("status") == 3),
        })

    async def rx_audit(request: Request, body: Body, session: Session) -> Response:
        sn = str(body.get("orderSn") or "")
        verdict = int_field(body, "auditResult", 1)
        for rx in state.lists["prescriptions"]:
            if rx.get("orderSn") == sn and verdict in (1, 2):
                rx.update(status=verdict, statusStr=PRESCRIPTION_STATUS[verdict])
                return ok({"orderSn": sn, "status": verdict})
        return fail(NOT_FOUND)

    post = ["POST"]
    found = [Route(s.path, private_api(state, list_endpoint(state, s)), methods=post) for s in LISTS]
    return [
        *found,
        Route("/janus/api/home/todoCount", private_api(state, todo_count), methods=post),
        Route("/mercury/mms/afterSales/queryCount", private_api(state, aftersale_count), methods=post),
        Route("/strickland/sop/mms/statusCount", private_api(state, work_status_count), methods=post),
        Route("/mangkhut/mms/prescription/audit", private_api(state, rx_audit), methods=post),
    ]
