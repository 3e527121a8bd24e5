"""JSON endpoints of the admin replica, all answering `{state, msg, data}` with state 10 = OK.

    POST /api/login           form: username, password[, captcha]  -> state 10 / 20 / 30 / 40
    GET  /api/order/list      state, pay_type, is_reship, page, size -> {list, total, page, size}
    GET  /api/stock/list      keyword, page, size                    -> {list, total, page, size}

Without a live session the list endpoints answer HTTP 200 with state 401 "登录超时" (the page's
JS then sends the browser to `/login?ref=…`).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from replicas.admin.data import TIME_FORMAT, Dataset
from replicas.admin.state import COOKIE, LOGIN_TIMEOUT, OK, SiteState
from replicas.common.faults import ListShift, restyle_fields
from replicas.common.query_memo import QueryMemo

PAGE_SIZES = (20, 50, 100, 200)
_FILTERS = ("state", "pay_type", "is_reship")


def envelope(state: int, msg: str, data: Any = None) -> JSONResponse:
    return JSONResponse({"state": state, "msg": msg, "data": data})


def session_cookie(response: Response, sid: str) -> None:
    response.set_cookie(COOKIE, sid, path="/", httponly=True, samesite="lax")


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw or default)
    except ValueError:
        return default


def paging(request: Request) -> tuple[int, int]:
    page = max(1, _int(request.query_params.get("page"), 1))
    size = min(max(1, _int(request.query_params.get("size"), PAGE_SIZES[0])), PAGE_SIZES[-1])
    return page, size


def _error_page(status: int, title: str) -> HTMLResponse:
    body = f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>" \
           "<hr><center>nginx</center></body></html>"
    return HTMLResponse(body, status_code=status)


class Api:
    def __init__(self, state: SiteState, data: Dataset) -> None:
        self.state = state
        self.data = data
        self.shift = ListShift()
        self.memo = QueryMemo()

    def routes(self) -> list[Route]:
        return [
            Route("/api/login", self.login, methods=["POST"]),
            Route("/api/order/list", self.orders),
            Route("/api/stock/list", self.stock),
        ]

    async def login(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        visitor, _ = self.state.visitor(request)
        code, msg, session = self.state.login(visitor, form)
        response = envelope(code, msg, {"url": "/index"} if session else None)
        session_cookie(response, (session or visitor).sid)
        return response

    async def orders(self, request: Request) -> Response:
        wanted = {k: request.query_params.get(k, "") for k in _FILTERS}
        table = self.data.orders
        rows = self.memo.rows("orders", (tuple(wanted.items()), id(table), len(table)), lambda: [
            o for o in table if all(v == "" or str(o.get(k)) == v for k, v in wanted.items())
        ])
        return await self._page(request, "orders", rows)

    async def stock(self, request: Request) -> Response:
        keyword = request.query_params.get("keyword", "").strip()
        rows = [r for r in self.data.stock if keyword in str(r.get("name")) + str(r.get("syt_sku"))]
        return await self._page(request, "stock", rows)

    async def _page(self, request: Request, list_name: str, rows: list[dict[str, Any]]) -> Response:
        if self.state.user(request) is None:
            return envelope(LOGIN_TIMEOUT, "登录超时，请重新登录")
        page, size = paging(request)
        if self.state.hits("page_500", list_name, page):
            return _error_page(500, "500 Internal Server Error")
        if self.state.hits("timeout_page", list_name, page):
            await asyncio.sleep(int(self.state.arg("timeout_page", "ms", 90_000)) / 1000)
            return _error_page(504, "504 Gateway Time-out")
        if not rows and self.state.fault("php_empty_data"):
            return envelope(OK, "ok", [])
        self._maybe_shift(list_name, page, rows)
        total = len(rows)
        mismatch = self.state.arg("count_mismatch", "list", "orders") == list_name
        if self.state.fault("count_mismatch") and mismatch:
            total += int(self.state.arg("count_mismatch", "delta", 1))
        chunk = rows[(page - 1) * size : page * size]
        if self.state.fault("date_format"):
            chunk = [restyle_fields(r, ("created_at", "pay_time", "updated_at")) for r in chunk]
        return envelope(OK, "ok", {"list": chunk, "total": str(total), "page": page, "size": size})

    def _maybe_shift(self, list_name: str, page: int, rows: list[dict[str, Any]]) -> None:
        if self.state.fault("list_shift") and self.state.arg("list_shift", "list", "orders") == list_name == "orders":
            self.shift.before_page(page, rows, self.data.orders, self._fresh_order)

    def _fresh_order(self, top: dict[str, Any]) -> dict[str, Any]:
        """An order placed just now, in the same view as the list's top row."""
        now = self.state.env.clock.now()
        return {**top, "order_no": "GW" + now.strftime("%y%m%d%H%M%S") + "99", "created_at": now.strftime(TIME_FORMAT)}
