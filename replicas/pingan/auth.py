"""Login: the page, `POST /login/loginname` and the image captcha.

The password arrives as MD5 hex (the page hashes it). The captcha is needed when the browser is
not remembered (scenario `known_device = false`, as without 记住此设备), under the
`challenge_on_login` fault, and after three failed tries of one account; five failures lock it.
"""

from __future__ import annotations

import secrets
from html import escape

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from replicas.pingan.gateway import form_params
from replicas.pingan.state import TOKEN_COOKIE, State


def _reply(success: bool, code: str = "", message: str = "", **model: str) -> JSONResponse:
    return JSONResponse({"success": success, "model": model or None, "errorCode": code or None,
                         "errorMessage": message or None})


def _captcha_refusal(state: State, form: dict[str, str]) -> JSONResponse | None:
    captcha, key = form.get("captcha", ""), form.get("_cap", "")
    if not captcha:
        return _reply(False, "NEED_CAPTCHA", "请输入图片验证码")
    if not state.check_captcha(key, captcha):
        return _reply(False, "CAPTCHA_ERROR", "图片验证码错误，请重新输入")
    return None


def _refusal(state: State, name: str, form: dict[str, str]) -> JSONResponse | None:
    """Why this login attempt fails, in the order the real endpoint checks; None when it passes."""
    if not name or not form.get("password"):
        return _reply(False, "PARAM_ERROR", "请输入账号和密码")
    if state.locked(name):
        return _reply(False, "ACCOUNT_LOCKED", "账号已被锁定，请联系平台客服解锁")
    if state.captcha_required(name) and (wrong := _captcha_refusal(state, form)) is not None:
        return wrong
    if not state.password_ok(name, form["password"]):
        state.failures[name] += 1
        if state.captcha_required(name):
            return _reply(False, "NEED_CAPTCHA", "账号或密码错误，请输入图片验证码")
        return _reply(False, "USER_PWD_ERROR", "账号或密码错误")
    return None


async def login_name(request: Request) -> Response:
    state: State = request.app.state.pingan
    form = await form_params(request)
    name = form.get("loginName", "").strip()
    refused = _refusal(state, name, form)
    if refused is not None:
        return refused
    token = state.open_session(name)
    reply = _reply(True, _wtk=token)
    reply.set_cookie(TOKEN_COOKIE, token, max_age=state.scenario.session_lifetime_s, path="/",
                     samesite="lax")
    return reply


async def captcha_image(request: Request) -> Response:
    """A small SVG with noise, like the real console's image captcha."""
    state: State = request.app.state.pingan
    answer = state.captchas.get(request.query_params.get("key", ""), "????")
    rng = secrets.SystemRandom()
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="100" height="36" viewBox="0 0 100 36">',
             '<rect width="100" height="36" fill="#eef3f8"/>']
    for _ in range(5):
        parts.append(
            f'<line x1="{rng.randint(0, 100)}" y1="{rng.randint(0, 36)}" x2="{rng.randint(0, 100)}" '
            f'y2="{rng.randint(0, 36)}" stroke="#{rng.randint(0x555555, 0xbbbbbb):06x}" stroke-width="1"/>'
        )
    for i, char in enumerate(answer):
        x, y, angle = 12 + i * 22, 26 + rng.randint(-3, 3), rng.randint(-25, 25)
        parts.append(
            f'<text x="{x}" y="{y}" font-family="monospace" font-size="22" font-weight="bold" '
            f'fill="#{rng.randint(0x202060, 0x705020):06x}" transform="rotate({angle} {x + 6} {y - 8})">'
            f"{escape(char)}</text>"
        )
    for _ in range(30):
        parts.append(f'<circle cx="{rng.randint(0, 100)}" cy="{rng.randint(0, 36)}" r="1" fill="#99a"/>')
    parts.append("</svg>")
    return Response("".join(parts), media_type="image/svg+xml", headers={"Cache-Control": "no-store"})
