"""JSON endpoints of the 闻康商城 replica, Spring Boot style: `{code, msg, data}` with code 200 = OK.

    GET /api/order/page     status (0..4, "" = all), pageNum, pageSize      -> IPage of orders
    GET /api/refund/page    status (processing | success | closed | "")     -> IPage of refund cases
    GET /api/consult/page   replyStatus (0 | 1 | "")                        -> IPage of questions

An IPage (MyBatis-Plus) is `{records, total, size, current, pages}`. Without a live session the
endpoints answer HTTP 200 with code 401; the page script then offers to log in again. A crash is
Spring Boot's JSON error body with HTTP 500; "系统繁忙" is HTTP 200 with code 500. [I] throughout.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from replicas.common.faults import ListShift, restyle_fields
from replicas.xywy.data import Dataset, parse_time, refund_in_tab
from replicas.xywy.state import SiteState

PAGE_SIZES = (10, 20, 50, 100)
OK, EXPIRED, BUSY = 200, 401, 500
EXPIRED_MSG = "登录状态已过期，请重新登录"
TIME_FIELDS = ("createTime", "payTime", "promiseShipTime", "applyTime", "handleDeadline", "replyTime")


def envelope(code: int, msg: str, data: Any = None) -> JSONResponse:
    return JSONResponse({"code": code, "msg": msg, "data": data})


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw or default)
    except ValueError:
        return default


def paging(request: Request) -> tuple[int, int]:
    page = max(1, _int(request.query_params.get("pageNum"), 1))
    size = min(max(1, _int(request.query_params.get("pageSize"), PAGE_SIZES[0])), PAGE_SIZES[-1])
    return page, size


def _nginx(status: int, title: str) -> HTMLResponse:
    body = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>" \
           "<hr><center>nginx</center></body></html>"
    return HTMLResponse(body, status_code=status)


class Api:
    def __init__(self, state: SiteState, data: Dataset) -> None:
        self.state = state
        self.data = data
        self.shift = ListShift()

    def _fresh(self, top: dict[str, Any]) -> dict[str, Any]:
        """A record just placed, in the same tab as the list's top row (`list_shift`)."""
        now = self.state.env.clock.now()
        key = next(k for k in ("refundSn", "consultSn", "orderSn") if k in top)
        return {**top, key: f"{top[key]}N", "createTime": now.strftime("%Y-%m-%d %H:%M:%S")}

    def routes(self) -> list[Route]:
        return [
            Route("/api/order/page", self.orders),
            Route("/api/refund/page", self.refunds),
            Route("/api/consult/page", self.consults),
        ]

    async def orders(self, request: Request) -> Response:
        status = request.query_params.get("status", "")
        rows = [o for o in self.data.orders if status == "" or str(o.get("orderStatus")) == status]
        return await self._page(request, "orders", rows)

    async def refunds(self, request: Request) -> Response:
        tab = request.query_params.get("status", "")
        rows = [self._with_time_left(r) for r in self.data.refunds if refund_in_tab(r, tab)]
        return await self._page(request, "refunds", rows)

    async def consults(self, request: Request) -> Response:
        replied = request.query_params.get("replyStatus", "")
        rows = [c for c in self.data.consults if replied == "" or str(c.get("replyStatus")) == replied]
        return await self._page(request, "consults", rows)

    def _with_time_left(self, refund: dict[str, Any]) -> dict[str, Any]:
        """The countdown the list shows as 剩余处理时间, in seconds at the time of the request."""
        if "remainSeconds" in refund:
            return refund
        deadline = parse_time(refund.get("handleDeadline"))
        now = self.state.env.clock.now().replace(tzinfo=None)
        left = max(0, int((deadline - now).total_seconds())) if deadline else None
        return {**refund, "remainSeconds": left}

    async def _page(self, request: Request, list_name: str, rows: list[dict[str, Any]]) -> Response:
        if self.state.user(request) is None:
            return envelope(EXPIRED, EXPIRED_MSG)
        page, size = paging(request)
        if self.state.hits("page_500", list_name, page):
            return JSONResponse({"timestamp": self.state.env.clock.now().isoformat(timespec="milliseconds"),
                                 "status": 500, "error": "Internal Server Error", "path": request.url.path},
                                status_code=500)
        if self.state.hits("timeout_page", list_name, page):
            await asyncio.sleep(int(self.state.arg("timeout_page", "ms", 90_000)) / 1000)
            return _nginx(504, "504 Gateway Time-out")
        if self.state.hits("system_busy", list_name, page):
            return envelope(BUSY, "系统繁忙，请稍后再试")
        if self.state.fault("list_shift") and self.state.arg("list_shift", "list", "orders") == list_name:
            self.shift.before_page(page, rows, self.data.table(list_name), self._fresh)
        total = len(rows) + self.state.miscount(list_name, "total")
        chunk = rows[(page - 1) * size : page * size]
        if self.state.fault("date_format"):
            chunk = [restyle_fields(r, TIME_FIELDS) for r in chunk]
        pages = math.ceil(total / size) if total else 0
        return envelope(OK, "操作成功", {"records": chunk, "total": total, "size": size, "current": page,
                                      "pages": pages})
