"""The store host (yaodian.yaofangwang.com): dashboard, list pages, detail pages.

Every page needs a live `ASP.NET_SessionId`; without one the browser is redirected (302) to the
login host's `/login.html?ReturnUrl=<this page>`. Lists page with `?page=N&pagesize=20|50|100`.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.common.faults import restyle_fields
from replicas.yaofangwang.data import open_statuses
from replicas.yaofangwang.layout import (
    PAGE_SIZE_JS,
    aspnet_error_page,
    chrome,
    e,
    iis_500_page,
    page_size_select,
    pager,
)
from replicas.yaofangwang.state import SESSION_COOKIE, Session, SiteState
from replicas.yaofangwang.tables import VIEWS, ListView, render_table

Page = Callable[[Request, Session], Awaitable[Response]]
PAGE_SIZES = (20, 50, 100)
CLOSED = {"orders": "已发货", "refunds": "退款成功", "prescriptions": "审核通过", "messages": "已回复"}
NOTICE_JS = """
function closeNotice(){document.getElementById('noticeModal').style.display='none';
document.getElementById('noticeBackdrop').style.display='none';
fetch('/home/closenotice/',{method:'POST',credentials:'same-origin'});}
"""


TIME_FIELDS = ("created_at", "ship_deadline", "applied_at", "deadline", "submitted_at", "sent_at")
# `list_modal`: a second announcement, over the list, until its 我知道了 is clicked.
LIST_NOTICE = (
    '<div class="modal-backdrop" id="listNoticeBackdrop"></div>'
    '<div class="modal" id="listNoticeModal" role="dialog" aria-modal="true" aria-labelledby="listNoticeTitle">'
    '<div class="modal-header" id="listNoticeTitle">系统公告</div><div class="modal-body">双十二活动期间，'
    "请在发货截止前完成发货，超时订单将影响店铺评分。</div><div class=\"modal-footer\">"
    '<button type="button" class="btn green" onclick="document.getElementById(\'listNoticeModal\').remove();'
    "document.getElementById('listNoticeBackdrop').remove();"
    "fetch('/home/closenotice/?kind=list',{method:'POST',credentials:'same-origin'});\">我知道了</button></div></div>"
)


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


class StorePages:
    """Request handlers of the store host, sharing the replica state."""

    def __init__(self, state: SiteState) -> None:
        self.state = state
        self.faults = state.faults

    def guarded(self, handler: Page) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if self.faults.on("slow"):
                await asyncio.sleep(int(self.faults.arg("slow", "ms", 1500)) / 1000)
            session = self.state.use_session(request.cookies.get(SESSION_COOKIE))
            if session is None:
                login = self.state.env.hosts["reg"] + "/login.html?ReturnUrl=" + quote(str(request.url), safe="")
                return RedirectResponse(login, status_code=302)
            return await handler(request, session)

        return endpoint

    def _render(self, session: Session, title: str, active: str, content: str, script: str = "") -> Response:
        logout = "注销" if self.faults.drift("home") else "退出"
        return HTMLResponse(chrome(title, active, session.username, content, logout=logout, script=script))

    def _open(self, kind: str, tab: str) -> list[dict[str, Any]]:
        statuses = open_statuses(kind, tab)
        rows = self.state.store.records[kind]
        return [r for r in rows if statuses is None or r.get("status") in statuses]

    async def home(self, request: Request, session: Session) -> Response:
        tiles = (
            ("待发货订单", len(self._open("orders", "1")), "/order/list/?status=1", "blue"),
            ("退款/退货待处理", len(self._open("refunds", "0")), "/refund/list/?status=0", "red"),
            ("处方待审核", len(self._open("prescriptions", "0")), "/prescription/list/?status=0", "purple"),
            ("未回复留言", len(self._open("messages", "0")), "/message/list/?status=0", "green-bg"),
        )
        stats = "".join(
            f'<a class="dashboard-stat {tone}" href="{href}"><div class="number">{n}</div>'
            f'<div class="desc">{e(label)}</div></a>'
            for label, n, href, tone in tiles
        )
        notice = ""
        if not session.notice_read and not self.faults.on("no_notice"):
            notice = (
                '<div class="modal-backdrop" id="noticeBackdrop"></div>'
                '<div class="modal" id="noticeModal" role="dialog" aria-modal="true" '
                'aria-labelledby="noticeTitle"><div class="modal-header" id="noticeTitle">系统公告</div>'
                '<div class="modal-body">关于规范处方药销售的通知：处方药须经药师审核处方后方可发货，'
                "请各药店及时处理待审核处方。</div>"
                '<div class="modal-footer"><button type="button" class="btn green" onclick="closeNotice()">'
                "我知道了</button></div></div>"
            )
        content = f'<div class="portlet"><div class="dashboard">{stats}</div></div>{notice}'
        return self._render(session, "首页", "home", content, NOTICE_JS)

    async def close_notice(self, request: Request, session: Session) -> Response:
        if request.query_params.get("kind") == "list":
            session.list_notice_read = True
        else:
            session.notice_read = True
        return JSONResponse({"result": True})

    async def _fault_page(self, request: Request, kind: str, page: int) -> Response | None:
        if self.faults.hits("timeout_page", kind, page):
            hold = float(self.faults.arg("timeout_page", "hold_s", 120))
            for _ in range(int(hold * 10)):
                if await request.is_disconnected():
                    break
                await asyncio.sleep(0.1)
            return iis_500_page_response(504)
        if self.faults.hits("page_500", kind, page):
            return iis_500_page_response(500)
        if self.faults.hits("aspnet_error", kind, page):
            return HTMLResponse(aspnet_error_page(), status_code=500)
        if self.faults.hits("aspnet_error_200", kind, page):
            return HTMLResponse(aspnet_error_page(), status_code=200)
        return None

    def list_page(self, view: ListView) -> Page:
        async def handler(request: Request, session: Session) -> Response:
            tab = request.query_params.get("status", view.tabs[0][0])
            page = max(1, _int(request.query_params.get("page"), 1))
            size = _int(request.query_params.get("pagesize"), PAGE_SIZES[0])
            size = size if size in PAGE_SIZES else PAGE_SIZES[0]
            failed = await self._fault_page(request, view.kind, page)
            if failed is not None:
                return failed
            rows = self._open(view.kind, tab)
            shown = len(rows)
            if self.faults.on("count_mismatch") and self.faults.arg("count_mismatch", "list") in (None, view.kind):
                shown += int(self.faults.arg("count_mismatch", "delta", 1))
            pages = math.ceil(shown / size)
            chunk = rows[(page - 1) * size: page * size]
            if self.faults.on("date_format"):
                chunk = [restyle_fields(r, TIME_FIELDS) for r in chunk]
            content = self._list_content(view, tab, chunk, shown, page, pages, size)
            if self.faults.on("list_modal") and not session.list_notice_read:
                content += LIST_NOTICE
            self._maybe_shift(view.kind, tab, page, rows)
            return self._render(session, view.title, _active(view, tab), content, PAGE_SIZE_JS)

        return handler

    def _list_content(self, view: ListView, tab: str, chunk: list[dict[str, Any]], total: int,
                      page: int, pages: int, size: int) -> str:
        tabs = "".join(
            f'<li class="{"active" if key == tab else ""}"><a href="{view.path}?status={key}">{e(label)}</a></li>'
            for key, label in view.tabs
        )
        table = render_table(view, tab, chunk, drift_rows=self.faults.drift("rows"),
                             drift_columns=self.faults.drift("columns"), moved=self.faults.on("column_moved"))
        link = f"{view.path}?status={tab}"
        return (
            f'<div class="portlet"><ul class="nav-tabs">{tabs}</ul>'
            f'{page_size_select(size, drift=self.faults.drift("page_size"))}{table}'
            f'{pager(total, page, pages, size, link, drift=self.faults.drift("pager"))}</div>'
        )

    def _maybe_shift(self, kind: str, tab: str, page: int, rows: list[dict[str, Any]]) -> None:
        """`list_shifts`: after a page is served, records from its top leave the list."""
        faults = self.faults
        if not faults.on("list_shifts") or kind in self.state.shifted:
            return
        if faults.arg("list_shifts", "list") not in (None, kind):
            return
        if page != int(faults.arg("list_shifts", "after_page", 1)) or open_statuses(kind, tab) is None:
            return
        self.state.shifted.add(kind)
        for record in rows[: int(faults.arg("list_shifts", "count", 1))]:
            record["status"] = CLOSED[kind]

    def detail_page(self, kind: str, key: str) -> Page:
        async def handler(request: Request, session: Session) -> Response:
            number = request.path_params["number"]
            record = self.state.store.find(kind, key, number)
            if record is None:
                return HTMLResponse(aspnet_error_page(), status_code=500)
            rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in record.items())
            content = f'<div class="portlet"><table class="table">{rows}</table></div>'
            return self._render(session, f"{VIEWS[kind].title} · {number}", kind, content)

        return handler

    async def products(self, request: Request, session: Session) -> Response:
        content = '<div class="portlet"><p class="empty">商品管理不在本演示范围内。</p></div>'
        return self._render(session, "商品管理", "products", content)

    async def logout(self, request: Request, session: Session) -> Response:
        self.state.sessions.pop(session.sid, None)
        response = RedirectResponse(self.state.env.hosts["reg"] + "/login.html", status_code=302)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


def iis_500_page_response(status: int) -> Response:
    return HTMLResponse(iis_500_page(), status_code=status)


def _active(view: ListView, tab: str) -> str:
    return f"orders{tab}" if view.kind == "orders" else view.kind


def build_yaodian(state: SiteState) -> Starlette:
    pages = StorePages(state)
    g = pages.guarded

    async def expire(request: Request) -> Response:
        return JSONResponse({"expired": state.expire_all()})

    async def snapshot(request: Request) -> Response:
        return JSONResponse(state.snapshot())

    routes = [
        Route("/", g(pages.home)),
        Route("/home/closenotice/", g(pages.close_notice), methods=["POST"]),
        Route("/logout/", g(pages.logout)),
        Route("/product/list/", g(pages.products)),
        Route("/__replica__/expire", expire, methods=["POST"]),
        Route("/__replica__/state", snapshot),
    ]
    for view in VIEWS.values():
        routes.append(Route(view.path, g(pages.list_page(view))))
    for kind, prefix, key in (
        ("orders", "/order/detail/", "order_no"), ("orders", "/order/send/", "order_no"),
        ("refunds", "/refund/detail/", "refund_no"), ("prescriptions", "/prescription/detail/", "rx_no"),
        ("messages", "/message/detail/", "msg_no"),
    ):
        routes.append(Route(prefix + "{number}", g(pages.detail_page(kind, key))))
    return Starlette(routes=routes)
