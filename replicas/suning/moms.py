"""moms: the merchant back-end. Server-rendered `.action` pages behind a CAS-style ticket login.

A request without a valid `sopSecureToken` is redirected (302) to mpassport with `service=` set
to the page it asked for; a `ticket` parameter is exchanged once for a new session.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.suning import pages
from replicas.suning.control import control_routes, form_of
from replicas.suning.passport import login_url
from replicas.suning.render import DEFAULT_PAGE_SIZE, PAGE_SIZES, error_page
from replicas.suning.state import MOMS, Session, SuningState

Handler = Callable[[Request, Session, dict[str, str]], Awaitable[Response]]


async def params_of(request: Request) -> dict[str, str]:
    """Query parameters, overridden by a posted form (the paging form posts them all)."""
    merged = dict(request.query_params)
    if request.method == "POST":
        merged.update(await form_of(request))
    return merged


def page_args(params: dict[str, str]) -> tuple[int, int]:
    try:
        page = max(1, int(params.get("pageNo", "1")))
    except ValueError:
        page = 1
    try:
        size = int(params.get("pageSize", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    return page, size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


class Moms:
    def __init__(self, state: SuningState) -> None:
        self.state = state

    def _self_url(self, request: Request) -> str:
        query = [(k, v) for k, v in parse_qsl(request.url.query) if k != "ticket"]
        path = request.url.path + (f"?{urlencode(query)}" if query else "")
        return f"{self.state.env.hosts['moms']}{path}"

    def protected(self, handler: Handler, *, data_page: bool = True) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            slow = self.state.arg("slow", "ms", 2000) if self.state.fault("slow") else 0
            if slow:
                await asyncio.sleep(int(slow) / 1000)
            ticket = request.query_params.get("ticket")
            if ticket:
                return self._exchange(request, ticket)
            session = self.state.session(request.cookies.get(MOMS, ""), data_page=data_page)
            if session is None:
                return RedirectResponse(login_url(self.state, self._self_url(request)), 302)
            return await handler(request, session, await params_of(request))

        return endpoint

    def _exchange(self, request: Request, ticket: str) -> Response:
        username = self.state.passport.redeem(ticket)
        if username is None:
            return RedirectResponse(login_url(self.state, self._self_url(request)), 302)
        session = self.state.new_session(username)
        response = RedirectResponse(self._self_url(request), 302)
        response.set_cookie(MOMS, session.token, httponly=True, path="/")
        response.set_cookie("custno", f"70{zlib.crc32(username.encode()) % 10**8:08d}", path="/")
        response.set_cookie("sop_user_biz", "B2C", path="/")
        return response

    async def fault_response(self, request: Request, name: str, page: int) -> Response | None:
        """page_500 / busy_page / timeout_page for this page of this list, if switched on."""
        state = self.state
        if state.fault_page("page_500", name, page):
            return HTMLResponse(error_page("系统异常，请稍后再试。(500)"), 500)
        if state.fault_page("busy_page", name, page):
            return HTMLResponse(error_page("系统繁忙，请稍后再试！"), 200)
        if state.fault_page("timeout_page", name, page):
            hold = float(state.arg("timeout_page", "hold_s", 90))
            for _ in range(int(hold * 10)):
                if await request.is_disconnected():
                    break
                await asyncio.sleep(0.1)
            return HTMLResponse(error_page("网关超时"), 504)
        return None

    async def list_page(self, request: Request, name: str, params: dict[str, str],
                        render: Callable[[int, int], str]) -> Response:
        page, size = page_args(params)
        records = self.state.lists[name]
        pages_total = max(1, -(-len(records) // size))
        page = min(page, pages_total)
        failed = await self.fault_response(request, name, page)
        if failed is not None:
            return failed
        key = f"{name}:{page}"
        self.state.pages_served[key] = self.state.pages_served.get(key, 0) + 1
        return HTMLResponse(render(page, size))


def build_moms(state: SuningState) -> Starlette:
    moms = Moms(state)
    views = pages.Pages(state, moms)

    async def root(request: Request) -> Response:
        return RedirectResponse("/moms/index.action", 302)

    async def logout(request: Request) -> Response:
        state.sessions.pop(request.cookies.get(MOMS, ""), None)
        response = RedirectResponse(login_url(state, f"{state.env.hosts['moms']}/moms/index.action"), 302)
        response.delete_cookie(MOMS, path="/")
        return response

    def route(path: str, handler: Handler, *, data_page: bool = True, post: bool = False) -> Route:
        methods = ["GET", "POST"] if post else ["GET"]
        return Route(path, moms.protected(handler, data_page=data_page), methods=methods)

    routes: list[Any] = [
        Route("/", root),
        Route("/moms/logout.action", logout),
        route("/moms/index.action", views.home, data_page=False),
        route("/moms/notice/read.action", views.notice_read, data_page=False, post=True),
        route("/moms/delivery/toHaveSoldBabyMain.action", views.orders, post=True),
        route("/moms/delivery/toNoPayOrders.action", views.no_pay, post=True),
        route("/moms/delivery/toWaittodelivery.action", views.wait_delivery, post=True),
        route("/moms/delivery/toDeliveryGoods.action", views.ship),
        route("/moms/order/orderDetail.action", views.order_detail),
        route("/moms/aftersale/afterSaleList.action", views.aftersales, post=True),
        route("/moms/aftersale/afterSaleDetail.action", views.aftersale_detail),
        route("/moms/complaint/complaintList.action", views.complaints, post=True),
        route("/moms/complaint/complaintDetail.action", views.complaint_detail),
        route("/moms/prescription/list.action", views.prescriptions, post=True),
        route("/moms/prescription/detail.action", views.prescription_detail),
        *control_routes(state),
    ]
    return Starlette(routes=routes)
