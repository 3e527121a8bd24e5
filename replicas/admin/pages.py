"""Pages of the admin replica. A page GET without a live session is a 302 to `/login?ref=…`.

    /login  /captcha  /index  /order/index  /order/detail?order_no=  /stock/index  /logout
    /__replica__/state  /__replica__/expire (POST)  /__replica__/captcha (this browser's code)
"""

from __future__ import annotations

import math
from html import escape
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.admin import templates
from replicas.admin.api import session_cookie
from replicas.admin.data import PAY_TEXT, STATE_TEXT, Dataset
from replicas.admin.state import Session, SiteState

_STATE_OPTIONS = [("", "全部"), ("10", "待付款"), ("20", "待发货"), ("30", "待收货"), ("40", "已收货"),
                  ("50", "已评价"), ("0", "已取消")]
_PAY_OPTIONS = [("", "全部"), *PAY_TEXT.items()]
_TYPE_OPTIONS = [("", "全部"), ("0", "普通订单"), ("1", "补发")]
assert set(STATE_TEXT) == {v for v, _ in _STATE_OPTIONS if v}


def _to_login(request: Request) -> Response:
    ref = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?ref={quote(ref, safe='')}", status_code=302)


class Pages:
    def __init__(self, state: SiteState, data: Dataset) -> None:
        self.state = state
        self.data = data

    def routes(self) -> list[Route]:
        return [
            Route("/", lambda r: RedirectResponse("/index", status_code=302)),
            Route("/login", self.login),
            Route("/captcha", self.captcha),
            Route("/logout", self.logout),
            Route("/index", self.index),
            Route("/order/index", self.orders),
            Route("/order/detail", self.order_detail),
            Route("/stock/index", self.stock),
            Route("/__replica__/state", self.replica_state),
            Route("/__replica__/expire", self.replica_expire, methods=["POST"]),
            Route("/__replica__/captcha", self.replica_captcha),
        ]

    def _html(self, html: str) -> HTMLResponse:
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def login(self, request: Request) -> Response:
        ref = request.query_params.get("ref", "")
        if self.state.user(request) is not None:
            return RedirectResponse(ref if ref.startswith("/") else "/index", status_code=302)
        visitor, new = self.state.visitor(request)
        captcha = self.state.fault("challenge_on_login")
        if captcha:
            self.state.new_captcha(visitor)
        response = self._html(templates.login(self.state.hook, captcha=captcha, ref=ref))
        if new:
            session_cookie(response, visitor.sid)
        return response

    async def captcha(self, request: Request) -> Response:
        visitor, new = self.state.visitor(request)
        code = visitor.captcha or self.state.new_captcha(visitor)
        if request.query_params.get("t"):
            code = self.state.new_captcha(visitor)
        response = Response(_captcha_svg(code, self.state), media_type="image/svg+xml",
                            headers={"Cache-Control": "no-store"})
        if new:
            session_cookie(response, visitor.sid)
        return response

    async def logout(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is not None:
            self.state.sessions.pop(session.sid, None)
        return RedirectResponse("/login", status_code=302)

    async def index(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is None:
            return _to_login(request)
        counts = [
            (label, sum(1 for o in self.data.orders if str(o.get(column)) == value),
             f"/order/index?{column}={value}")
            for label, column, value in (("待发货", "state", "20"), ("待付款", "state", "10"),
                                         ("货到付款", "pay_type", "3"), ("补发订单", "is_reship", "1"))
        ]
        announce = not session.announced
        session.announced = True
        content = templates.dashboard(counts, self.state.hook, announce=announce)
        return self._shell(session, "首页", "/index", content)

    def _shell(self, session: Session, title: str, active: str, content: str, **kw: str) -> HTMLResponse:
        return self._html(templates.shell(title, active, content, self.state.hook, session.user or "", **kw))

    def _list_notice(self, session: Session) -> str:
        """`list_modal`: the announcement also covers the order list, the first time a session opens it."""
        if not self.state.fault("list_modal") or session.list_announced:
            return ""
        session.list_announced = True
        return templates.announcement(self.state.hook)

    async def orders(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is None:
            return _to_login(request)
        q = request.query_params
        filters = (
            templates.select("state", "订单状态", _STATE_OPTIONS, q.get("state", ""))
            + templates.select("pay_type", "收款方式", _PAY_OPTIONS, q.get("pay_type", ""))
            + templates.select("is_reship", "订单类型", _TYPE_OPTIONS, q.get("is_reship", ""))
        )
        content = templates.list_page("order", self.state.hook, filters) + self._list_notice(session)
        attrs = 'data-kind="order" data-api="/api/order/list"'
        return self._shell(session, "订单管理", "/order/index", content,
                           script=templates.LIST_JS, attrs=attrs)

    async def stock(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is None:
            return _to_login(request)
        keyword = '<label for="f-keyword">商品/SKU</label><input id="f-keyword" data-param="keyword">'
        content = templates.list_page("stock", self.state.hook, keyword)
        attrs = 'data-kind="stock" data-api="/api/stock/list"'
        return self._shell(session, "库存管理", "/stock/index", content,
                           script=templates.LIST_JS, attrs=attrs)

    async def order_detail(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is None:
            return _to_login(request)
        order = self.data.order(request.query_params.get("order_no", ""))
        if order is None:
            return self._shell(session, "订单详情", "/order/index", '<p class="err">订单不存在</p>')
        return self._shell(session, "订单详情", "/order/index", templates.detail(order))

    async def replica_state(self, request: Request) -> Response:
        return JSONResponse({**self.state.describe(), "orders": len(self.data.orders),
                             "stock": len(self.data.stock)})

    async def replica_expire(self, request: Request) -> Response:
        return JSONResponse({"expired": self.state.expire_all()})

    async def replica_captcha(self, request: Request) -> Response:
        visitor, _ = self.state.visitor(request)
        return JSONResponse({"captcha": visitor.captcha})


def _captcha_svg(code: str, state: SiteState) -> str:
    rng = state.env.rng
    glyphs = "".join(
        f'<text x="{10 + i * 22}" y="{24 + rng.randint(-3, 3)}" transform="rotate({rng.randint(-25, 25)} '
        f'{16 + i * 22} 18)" font-size="22" font-family="monospace" '
        f'fill="#{rng.randrange(0x333, 0x999):03x}">{escape(ch)}</text>'
        for i, ch in enumerate(code)
    )
    lines = "".join(
        f'<line x1="0" y1="{rng.randint(0, 34)}" x2="100" y2="{rng.randint(0, 34)}" stroke="#aaa"/>'
        for _ in range(4)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="34"><rect width="100" height="34" '
        f'fill="#eef"/>{lines}{glyphs}<circle cx="{math.floor(rng.random() * 100)}" cy="17" r="2"/></svg>'
    )
