"""The login host (reg.yaofangwang.com): `/login.html`, an optional image captcha, cookies.

A good login sets `ASP.NET_SessionId` and `logined_username` and redirects to the store host
(the `ReturnUrl` it came with, else the store's home). A bad one re-renders the form with the
error in an `.alert-danger`.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.yaofangwang.layout import document, e
from replicas.yaofangwang.state import SESSION_COOKIE, USER_COOKIE, SiteState

LOGIN_CSS = """
.login{width:400px;margin:80px auto;background:#fff;padding:25px 30px;border-radius:6px}
.login h3{color:#4db3a5;font-size:24px;margin:0 0 20px}.form-group{margin-bottom:15px}
.form-group input{width:100%;padding:9px 12px;border:1px solid #dde3ec;background:#dde3ec}
.captcha{display:flex;gap:8px;align-items:center}.captcha input{flex:1}
.alert-danger{background:#fbe1e3;color:#e73d4a;padding:10px;margin-bottom:15px;border-radius:3px}
body{background:#364150}
"""


def _login_page(state: SiteState, return_url: str, *, error: str = "", username: str = "") -> str:
    drift = state.faults.drift("login")
    user_hint = "请输入账号" if drift else "用户名/手机号"
    alert = f'<div class="alert alert-danger" role="alert"><span>{e(error)}</span></div>' if error else ""
    captcha = ""
    if state.faults.on("challenge_on_login"):
        key, _ = state.new_captcha()
        captcha = (
            '<div class="form-group captcha">'
            '<input id="txt_ValidateCode" name="vcode" type="text" autocomplete="off" placeholder="验证码">'
            f'<img id="img_ValidateCode" src="/Handler/ValidateCode.ashx?key={key}" alt="验证码图片" '
            'width="100" height="36" title="看不清？换一张">'
            f'<input type="hidden" name="vcid" value="{key}"></div>'
        )
    body = (
        '<div class="login"><form method="post" action="/login.html" class="login-form">'
        "<h3>药房网商家登录</h3>"
        f"{alert}"
        f'<div class="form-group"><input id="txt_UserName" name="username" type="text" '
        f'autocomplete="off" placeholder="{user_hint}" value="{e(username)}"></div>'
        '<div class="form-group"><input id="txt_Password" name="password" type="password" '
        'autocomplete="off" placeholder="密码"></div>'
        f"{captcha}"
        f'<input type="hidden" name="ReturnUrl" value="{e(return_url)}">'
        '<div class="form-group"><button type="submit" class="btn green">登录</button></div>'
        "</form></div>"
    )
    return document("药房网 - 商家登录", f"<style>{LOGIN_CSS}</style>{body}")


def _captcha_svg(code: str) -> str:
    letters = "".join(
        f'<text x="{12 + i * 21}" y="{25 + (i % 2) * 4}" font-size="22" font-family="monospace" '
        f'fill="#{(i * 0x3a5f7) % 0xFFFFFF:06x}" transform="rotate({(-8, 6, -4, 9)[i % 4]} '
        f'{12 + i * 21} 20)">{e(ch)}</text>'
        for i, ch in enumerate(code)
    )
    noise = '<line x1="0" y1="8" x2="100" y2="30" stroke="#bbb"/><line x1="0" y1="30" x2="100" y2="6" stroke="#ccc"/>'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="36">'
        f'<rect width="100" height="36" fill="#f4f4e8"/>{noise}{letters}</svg>'
    )


def build_reg(state: SiteState) -> Starlette:
    store_home = state.env.hosts["yaodian"] + "/"

    async def login_form(request: Request) -> Response:
        return_url = request.query_params.get("ReturnUrl", store_home)
        return HTMLResponse(_login_page(state, return_url))

    async def login_post(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8")).items()}
        username = form.get("username", "").strip()
        return_url = form.get("ReturnUrl", store_home)
        error = state.check_login(username, form.get("password", ""), form.get("vcode", ""),
                                  form.get("vcid", ""))
        if error is not None:
            state.login_failures += 1
            return HTMLResponse(_login_page(state, return_url, error=error, username=username))
        session = state.open_session(username)
        target = return_url if return_url.startswith(state.env.hosts["yaodian"]) else store_home
        response = RedirectResponse(target, status_code=302)
        response.set_cookie(SESSION_COOKIE, session.sid, path="/", httponly=True, samesite="lax")
        response.set_cookie(USER_COOKIE, quote(username), path="/", samesite="lax")
        return response

    async def captcha_image(request: Request) -> Response:
        code = state.captchas.get(request.query_params.get("key", ""), "????")
        return Response(_captcha_svg(code), media_type="image/svg+xml",
                        headers={"Cache-Control": "no-cache"})

    async def replica_captcha(request: Request) -> Response:
        return JSONResponse({"code": state.last_captcha})

    async def replica_state(request: Request) -> Response:
        return JSONResponse(state.snapshot())

    return Starlette(routes=[
        Route("/login.html", login_form, methods=["GET"]),
        Route("/login.html", login_post, methods=["POST"]),
        Route("/Handler/ValidateCode.ashx", captcha_image),
        Route("/__replica__/captcha", replica_captcha),
        Route("/__replica__/state", replica_state),
    ])
