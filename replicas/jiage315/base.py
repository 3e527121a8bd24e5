"""Plumbing every page of the 315价格网 replica shares: the two cookies, IIS headers, the redirect
to Login.aspx, posted forms, the master page and the yellow error page.

A member page without a live `.ASPXAUTH` ticket is a 302 to `/Login.aspx?ReturnUrl=<path>`, the
path encoded the way HttpUtility.UrlEncode does it (`%2fMember%2fOrderList.aspx`).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from replicas.jiage315 import markup
from replicas.jiage315.state import AUTH_COOKIE, SESSION_COOKIE, SiteState, Ticket
from replicas.jiage315.webforms import server_error_page

LOGIN, HOME = "/Login.aspx", "/Member/Default.aspx"
IIS_HEADERS = {"Server": "Microsoft-IIS/10.0", "X-AspNet-Version": "4.0.30319", "X-Powered-By": "ASP.NET",
               "Cache-Control": "private"}


def url_encode(path: str) -> str:
    """HttpUtility.UrlEncode: lower-case escapes."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(path, safe=""))


def yellow(message: str, exception_type: str) -> HTMLResponse:
    return HTMLResponse(server_error_page(message, exception_type), status_code=500, headers=IIS_HEADERS)


class PageBase:
    def __init__(self, state: SiteState) -> None:
        self.state = state

    def _sid(self, request: Request) -> tuple[str, bool]:
        sid = request.cookies.get(SESSION_COOKIE, "")
        return (sid, False) if sid else (self.state.new_session_id(), True)

    def _page(self, html: str, sid: str, new: bool) -> HTMLResponse:
        response = HTMLResponse(html, headers=IIS_HEADERS)
        if new:
            response.set_cookie(SESSION_COOKIE, sid, path="/", httponly=True, samesite="lax")
        return response

    def _ticket(self, request: Request) -> Ticket | None:
        return self.state.ticket(request.cookies.get(AUTH_COOKIE))

    @staticmethod
    def _to_login(request: Request) -> Response:
        return RedirectResponse(f"{LOGIN}?ReturnUrl={url_encode(request.url.path)}", status_code=302,
                                headers=IIS_HEADERS)

    @staticmethod
    async def _form(request: Request) -> dict[str, str]:
        return dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))

    def _member(self, title: str, path: str, sid: str, new: bool, ticket: Ticket, content: str,
                state: dict[str, object] | None = None, events: tuple[str, ...] = ()) -> HTMLResponse:
        hidden = self.state.codec.hidden_fields(path, sid, state or {}, events)
        body = markup.member_body(title, ticket.user, content, self.state.hook)
        return self._page(markup.document(title, "./" + path.rsplit("/", 1)[-1], hidden, body), sid, new)
