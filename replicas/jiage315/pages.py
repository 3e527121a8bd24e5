"""Request handlers of the 315价格网 merchant centre (one host, www.315jiage.cn).

    /Login.aspx  /ValidateCode.aspx  /Member/Default.aspx  /Member/Logout.aspx
    /Member/OrderList.aspx  /Member/RefundList.aspx  /Member/MessageList.aspx   (lists.py)
    /Member/OrderDetail.aspx?id=  /Member/RefundDetail.aspx?id=  /Member/MessageDetail.aspx?id=
    /__replica__/state  /__replica__/expire (POST)  /__replica__/captcha (this browser's code)
"""

from __future__ import annotations

import re
from html import unescape

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.jiage315 import markup
from replicas.jiage315.base import HOME, IIS_HEADERS, LOGIN, PageBase, url_encode, yellow
from replicas.jiage315.captcha import captcha_svg
from replicas.jiage315.data import MESSAGE_WAITING, REFUND_WAITING, SHIP_WAITING
from replicas.jiage315.grids import VIEWS
from replicas.jiage315.lists import ListPages
from replicas.jiage315.markup import PREFIX_NAME
from replicas.jiage315.state import AUTH_COOKIE, SESSION_COOKIE
from replicas.jiage315.webforms import ViewStateError

DETAILS = {"OrderDetail.aspx": ("orders", "订单"), "RefundDetail.aspx": ("refunds", "退款单"),
           "MessageDetail.aspx": ("messages", "留言")}


class Site(PageBase):
    def routes(self) -> list[Route]:
        details = [Route(f"/Member/{page}", self.detail) for page in DETAILS]
        return [
            Route("/", lambda r: RedirectResponse(HOME, status_code=302)),
            Route(LOGIN, self.login, methods=["GET", "POST"]),
            Route("/ValidateCode.aspx", self.captcha),
            Route(HOME, self.home),
            Route("/Member/Logout.aspx", self.logout),
            *ListPages(self.state).routes(), *details,
            Route("/__replica__/state", self.replica_state),
            Route("/__replica__/expire", self.replica_expire, methods=["POST"]),
            Route("/__replica__/captcha", self.replica_captcha),
        ]

    # -- login ----------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        sid, new = self._sid(request)
        return_url = request.query_params.get("ReturnUrl", "")
        if self._ticket(request) is not None:
            return RedirectResponse(_local(return_url), status_code=302)
        message, username = "", ""
        if request.method == "POST":
            form = await self._form(request)
            try:
                self.state.codec.postback(LOGIN, sid, form, [f"{PREFIX_NAME}btnLogin|"])
            except ViewStateError as err:
                return yellow(str(err), err.exception_type)
            username = form.get(PREFIX_NAME + self.state.hook("login"), "").strip()
            password, code = form.get(PREFIX_NAME + "txtPassword", ""), form.get(PREFIX_NAME + "txtCode", "")
            message = self.state.check_login(sid, username, password, code) or ""
            if not message:
                response = RedirectResponse(_local(return_url), status_code=302, headers=IIS_HEADERS)
                response.set_cookie(AUTH_COOKIE, self.state.issue_ticket(username), path="/", httponly=True)
                return response
        action = "./Login.aspx" + (f"?ReturnUrl={url_encode(return_url)}" if return_url else "")
        hidden = self.state.codec.hidden_fields(LOGIN, sid, {}, [f"{PREFIX_NAME}btnLogin|"])
        body = markup.login_body(self.state.hook, message=message, username=username,
                                 captcha=self.state.fault("challenge_on_login"))
        return self._page(markup.document("商家登录", action, hidden, body), sid, new)

    async def captcha(self, request: Request) -> Response:
        sid, new = self._sid(request)
        code = self.state.captchas.get(sid)
        if code is None or request.url.query:  # a click on the image asks for a new one
            code = self.state.new_captcha(sid)
        response = Response(captcha_svg(code), media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})
        if new:
            response.set_cookie(SESSION_COOKIE, sid, path="/", httponly=True, samesite="lax")
        return response

    async def logout(self, request: Request) -> Response:
        self.state.tickets.pop(request.cookies.get(AUTH_COOKIE, ""), None)
        response = RedirectResponse(LOGIN, status_code=302)
        response.delete_cookie(AUTH_COOKIE, path="/")
        return response

    # -- member pages ---------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return self._to_login(request)
        sid, new = self._sid(request)
        records = self.state.data.records
        counters = (
            ("待发货订单", sum(1 for r in records["orders"] if r.get("status") == SHIP_WAITING), "ToShip"),
            ("待处理退款", sum(1 for r in records["refunds"] if r.get("status") in REFUND_WAITING), "Refunds"),
            ("未回复留言", sum(1 for r in records["messages"] if r.get("status") == MESSAGE_WAITING), "Messages"),
        )
        return self._member("商家首页", HOME, sid, new, ticket, markup.home_content(counters))

    async def detail(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return self._to_login(request)
        sid, new = self._sid(request)
        list_name, title = DETAILS[request.url.path.rsplit("/", 1)[-1]]
        record = self.state.data.find(list_name, request.query_params.get("id", "")) or {}
        view = VIEWS[list_name]
        fields = [(name, _plain(cell(record))) for name, cell in view.columns] if record else []
        content = markup.details(title, fields)
        return self._member(f"{title}详情", request.url.path, sid, new, ticket, content)

    # -- replica-only ---------------------------------------------------------------------------

    async def replica_state(self, request: Request) -> Response:
        return JSONResponse(self.state.describe())

    async def replica_expire(self, request: Request) -> Response:
        return JSONResponse({"expired": self.state.expire_all()})

    async def replica_captcha(self, request: Request) -> Response:
        sid = request.cookies.get(SESSION_COOKIE, "")
        code = self.state.captchas.get(sid) or self.state.new_captcha(sid)
        return JSONResponse({"captcha": code})


def _local(return_url: str) -> str:
    """Where a login goes next: the ReturnUrl when it is a path on this site (as IsUrlLocalToHost)."""
    return return_url if return_url.startswith("/") and not return_url.startswith("//") else HOME


def _plain(cell: str) -> str:
    """A grid cell's text for the details view (which encodes it again)."""
    return unescape(re.sub(r"<br />", " ", re.sub(r"<a [^>]*>|</a>", "", cell)))
