"""Pages of the 闻康商城 replica. A page GET without a live session is a 302 to `/login?redirect=…`.

    /login (GET form, POST like Spring Security's formLogin)  /captcha.svg  /logout  /index
    /order/list?status=  /refund/list?status=  /consult/list?replyStatus=   (tabs; ?page=&size=)
    /order/detail?orderSn=  /refund/detail?refundSn=  /consult/detail?consultSn=
    /__replica__/state  /__replica__/expire (POST)  /__replica__/captcha (this browser's code)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.xywy import templates
from replicas.xywy.data import REFUND_TABS, Dataset, refund_in_tab
from replicas.xywy.scripts import LIST_JS
from replicas.xywy.state import COOKIE, DEVICE_COOKIE, Session, SiteState

Endpoint = Callable[[Request], Awaitable[Response]]
ORDER_TABS = (("", "全部"), ("0", "待付款"), ("1", "待发货"), ("2", "已发货"), ("3", "已完成"), ("4", "已关闭"))
REFUND_TAB_NAMES = (("", "全部"), ("processing", "退款中"), ("success", "退款成功"), ("closed", "退款关闭"))
CONSULT_TABS = (("", "全部"), ("0", "未回复"), ("1", "已回复"))
assert {v for v, _ in REFUND_TAB_NAMES} == set(REFUND_TABS)

# (page path, title, table hook, tab parameter, tabs, API) of the three lists
LISTS = {
    "order": ("/order/list", "订单管理", "order_table", "status", ORDER_TABS, "/api/order/page"),
    "refund": ("/refund/list", "退款/售后", "refund_table", "status", REFUND_TAB_NAMES, "/api/refund/page"),
    "consult": ("/consult/list", "咨询管理", "consult_table", "replyStatus", CONSULT_TABS, "/api/consult/page"),
}
DETAILS = {
    "/order/detail": ("orders", "orderSn", "订单详情", (
        ("订单编号", "orderSn"), ("订单状态", "orderStatusName"), ("支付方式", "payTypeName"),
        ("实付金额", "totalAmount"), ("下单时间", "createTime"), ("支付时间", "payTime"),
        ("承诺发货时间", "promiseShipTime"), ("收货人", "receiverName"), ("手机号", "receiverPhone"),
        ("收货地址", "receiverAddress"), ("买家留言", "buyerRemark"), ("商家备注", "sellerRemark"))),
    "/refund/detail": ("refunds", "refundSn", "退款详情", (
        ("退款编号", "refundSn"), ("订单编号", "orderSn"), ("退款类型", "refundTypeName"),
        ("状态", "refundStatusName"), ("退款金额", "refundAmount"), ("退款原因", "reason"),
        ("申请时间", "applyTime"), ("处理截止时间", "handleDeadline"))),
    "/consult/detail": ("consults", "consultSn", "咨询详情", (
        ("咨询编号", "consultSn"), ("订单编号", "orderSn"), ("商品", "goodsName"), ("买家", "buyerNick"),
        ("咨询内容", "content"), ("咨询时间", "createTime"), ("状态", "replyStatusName"),
        ("回复内容", "replyContent"))),
}


def _to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?redirect={quote(target, safe='')}", status_code=302)


def _safe_target(raw: str) -> str:
    return raw if raw.startswith("/") and not raw.startswith("//") else "/index"


def _html(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def session_cookie(response: Response, sid: str) -> None:
    response.set_cookie(COOKIE, sid, path="/", httponly=True, samesite="lax")


class Pages:
    def __init__(self, state: SiteState, data: Dataset) -> None:
        self.state = state
        self.data = data

    def routes(self) -> list[Route]:
        lists = [Route(path, self._list_page(kind)) for kind, (path, *_rest) in LISTS.items()]
        details = [Route(path, self._detail_page(path)) for path in DETAILS]
        return [
            Route("/", lambda r: RedirectResponse("/index", status_code=302)),
            Route("/login", self.login_form),
            Route("/login", self.login_post, methods=["POST"]),
            Route("/captcha.svg", self.captcha),
            Route("/logout", self.logout),
            Route("/index", self.index),
            *lists,
            *details,
            Route("/__replica__/state", self.replica_state),
            Route("/__replica__/expire", self.replica_expire, methods=["POST"]),
            Route("/__replica__/captcha", self.replica_captcha),
        ]

    # --- login ----------------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        redirect = request.query_params.get("redirect", "")
        if self.state.user(request) is not None:
            return RedirectResponse(_safe_target(redirect), status_code=302)
        visitor, new = self.state.visitor(request)
        captcha = self.state.wants_captcha(visitor, request.cookies.get(DEVICE_COOKIE, ""))
        if captcha:
            self.state.new_captcha(visitor)
        error, visitor.flash = visitor.flash, ""
        response = _html(templates.login(self.state.hook, captcha=captcha, redirect=redirect, error=error))
        if new:
            session_cookie(response, visitor.sid)
        return response

    async def login_post(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        visitor, _ = self.state.visitor(request)
        device = request.cookies.get(DEVICE_COOKIE, "")
        error, session = self.state.login(visitor, form, device)
        redirect = form.get("redirect", "")
        if session is None:
            visitor.flash = error
            response = RedirectResponse(f"/login?redirect={quote(redirect, safe='')}&error", status_code=302)
            session_cookie(response, visitor.sid)
            return response
        response = RedirectResponse(_safe_target(redirect), status_code=302)
        session_cookie(response, session.sid)
        if device not in self.state.devices:
            response.set_cookie(DEVICE_COOKIE, self.state.new_device(), max_age=365 * 86400, path="/",
                                httponly=True, samesite="lax")
        return response

    async def captcha(self, request: Request) -> Response:
        visitor, new = self.state.visitor(request)
        fresh = bool(request.query_params.get("t")) or not visitor.captcha
        code = self.state.new_captcha(visitor) if fresh else visitor.captcha
        response = Response(self._captcha_svg(code), media_type="image/svg+xml",
                            headers={"Cache-Control": "no-store"})
        if new:
            session_cookie(response, visitor.sid)
        return response

    def _captcha_svg(self, code: str) -> str:
        rng = self.state.env.rng
        glyphs = "".join(
            f'<text x="{12 + i * 24}" y="{26 + rng.randint(-4, 4)}" transform="rotate({rng.randint(-30, 30)} '
            f'{18 + i * 24} 18)" font-size="24" font-family="serif" font-style="italic" '
            f'fill="#{rng.randrange(0x222, 0x888):03x}">{escape(ch)}</text>'
            for i, ch in enumerate(code)
        )
        noise = "".join(
            f'<path d="M0 {rng.randint(0, 36)} Q55 {rng.randint(0, 36)} 110 {rng.randint(0, 36)}" '
            'stroke="#9bb" fill="none"/>' for _ in range(3)
        )
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="110" height="36"><rect width="110" '
                f'height="36" fill="#f3f6f0"/>{noise}{glyphs}</svg>')

    async def logout(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is not None:
            self.state.sessions.pop(session.sid, None)
        return RedirectResponse("/login", status_code=302)

    # --- logged-in pages ------------------------------------------------------------------------

    def _shell(self, session: Session, title: str, active: str, content: str, **kw: str) -> HTMLResponse:
        return _html(templates.shell(title, active, content, self.state.hook, session.user or "", **kw))

    async def index(self, request: Request) -> Response:
        session = self.state.user(request)
        if session is None:
            return _to_login(request)
        today = self.state.env.clock.now().strftime("%Y-%m-%d")
        count = {
            "待付款": (self._orders("0"), "/order/list?status=0"),
            "待发货": (self._orders("1") + self.state.miscount("orders", "counter"), "/order/list?status=1"),
            "退款中": (sum(1 for r in self.data.refunds if refund_in_tab(r, "processing"))
                    + self.state.miscount("refunds", "counter"), "/refund/list?status=processing"),
            "未回复咨询": (sum(1 for c in self.data.consults if str(c.get("replyStatus")) == "0")
                      + self.state.miscount("consults", "counter"), "/consult/list?replyStatus=0"),
            "今日订单": (sum(1 for o in self.data.orders if str(o.get("createTime", "")).startswith(today)),
                     "/order/list"),
        }
        notice, session.notice_read = not session.notice_read, True
        cards = [(label, str(n), href) for label, (n, href) in count.items()]
        return self._shell(session, "首页", "/index", templates.dashboard(cards, self.state.hook, notice=notice))

    def _orders(self, status: str) -> int:
        return sum(1 for o in self.data.orders if str(o.get("orderStatus")) == status)

    def _list_page(self, kind: str) -> Endpoint:
        path, title, table_hook, param, tabs, api = LISTS[kind]

        async def endpoint(request: Request) -> Response:
            session = self.state.user(request)
            if session is None:
                return _to_login(request)
            chosen = request.query_params.get(param, tabs[0][0])
            content = templates.list_page(table_hook, self.state.hook, tabs, param, chosen)
            if self.state.fault("list_modal") and not session.list_notice_read:
                session.list_notice_read = True  # the announcement covers the first list page opened
                content += templates.notice_dialog(self.state.hook)
            attrs = (f'data-kind="{kind}" data-api="{api}" data-param="{param}" '
                     f'data-tab="{escape(chosen)}"')
            return self._shell(session, title, path, content, script=LIST_JS, attrs=attrs)

        return endpoint

    def _detail_page(self, path: str) -> Endpoint:
        table, key, title, fields = DETAILS[path]
        active = "/" + path.split("/")[1] + "/list"

        async def endpoint(request: Request) -> Response:
            session = self.state.user(request)
            if session is None:
                return _to_login(request)
            record = self.data.find(table, request.query_params.get(key, ""))
            if record is None:
                return self._shell(session, title, active, '<p class="err">记录不存在或已删除</p>')
            return self._shell(session, title, active, templates.detail(f"{table}-detail", record, fields))

        return endpoint

    # --- replica-only routes --------------------------------------------------------------------

    async def replica_state(self, request: Request) -> Response:
        sizes = {name: len(self.data.table(name)) for name in ("orders", "refunds", "consults")}
        return JSONResponse({**self.state.describe(), **sizes})

    async def replica_expire(self, request: Request) -> Response:
        return JSONResponse({"expired": self.state.expire_all()})

    async def replica_captcha(self, request: Request) -> Response:
        visitor, _ = self.state.visitor(request)
        return JSONResponse({"captcha": visitor.captcha})
