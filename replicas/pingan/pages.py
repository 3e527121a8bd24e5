"""The two documents the replica serves: the login page and the `/sell/` SPA shell.

CSS and JS are inlined from `static/` (no external requests). The `markup_drift` fault's `what`
(`home`, `pager`, `page_size`, `login`) renames one hook the selectors file relies on.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path

from replicas.pingan.state import APP_ID, APP_SECRET, TOKEN_COOKIE, TOKEN_INVALID, State

STATIC = Path(__file__).with_name("static")
HOME = "/sell/"
LOGIN = "/login"
MENU = (("/home", "首页"), ("/order", "订单管理"), ("/aftersale", "售后管理"), ("/rx", "处方审核"),
        ("/complaint", "投诉管理"))


@cache
def _asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _config(state: State) -> str:
    drift = str(state.arg("markup_drift", "what", "home")) if state.fault("markup_drift") else ""
    cfg = {
        "aid": APP_ID, "salt": APP_SECRET, "tokenCookie": TOKEN_COOKIE,
        "tokenErrors": [TOKEN_INVALID, -361], "gateway": "/m.api", "loginPath": LOGIN,
        "loginApi": "/login/loginname", "home": HOME, "drift": drift,
    }
    return "<script>window.__JK_CFG = " + json.dumps(cfg).replace("</", "<\\/") + ";</script>"


def _scripts(*names: str) -> str:
    return "".join(f"<script>{_asset(n)}</script>" for n in names)


def _head(title: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{_asset('style.css')}</style></head>")


def spa_page(state: State) -> str:
    menu = "".join(
        f'<li class="el-menu-item" role="none" data-root="{root}"><a role="menuitem" href="#{root}'
        f'{"/list" if root != "/home" else ""}">{label}</a></li>'
        for root, label in MENU
    )
    return (
        _head("平安健康商家中心")
        + '<body><div id="app" class="jk-layout"><aside class="jk-aside"><div class="jk-logo">平安健康 · 商家中心</div>'
        + f'<ul class="el-menu" role="menubar" aria-orientation="vertical">{menu}</ul></aside>'
        + '<section class="jk-main"><header class="jk-header"><span id="store-name"></span>'
        + '<span><span id="user-nick" class="muted"></span> <a id="logout" href="#">退出登录</a></span></header>'
        + '<main id="view"></main></section></div>'
        + '<div id="size-dropdown" class="el-select-dropdown el-popper" hidden></div>'
        + _config(state) + _scripts("md5.js", "gateway.js", "spa.js") + "</body></html>"
    )


def login_page(state: State) -> str:
    drifted = state.fault("markup_drift") and state.arg("markup_drift", "what", "home") == "login"
    account = "登录名" if drifted else "账号"
    captcha_hidden = "" if state.captcha_required() else " hidden"
    return (
        _head("商家登录 - 平安健康")
        + '<body><div class="login-page"><div class="login-banner"><h1>平安健康 商家中心</h1>'
        + "<p>药品零售 · 处方流转 · 售后服务</p></div>"
        + '<div class="login-card"><h2>商家账号登录</h2><form id="login-form" autocomplete="off" novalidate>'
        + f'<div class="form-item"><label for="loginName">{account}</label>'
        + '<input type="text" id="loginName" name="loginName" placeholder="请输入账号/手机号"></div>'
        + '<div class="form-item"><label for="password">密码</label>'
        + '<input type="password" id="password" name="password" placeholder="请输入密码"></div>'
        + f'<div class="form-item" id="captcha-row"{captcha_hidden}><label for="captcha">验证码</label>'
        + '<div class="captcha-line"><input type="text" id="captcha" name="captcha" maxlength="4" placeholder="请输入右侧字符">'
        + '<img id="captcha-img" alt="图片验证码" src="data:,">'
        + '<a href="#" id="captcha-refresh">换一张</a></div></div>'
        + '<div id="login-error" class="login-error" role="alert" hidden></div>'
        + '<button type="submit" id="login-submit" class="login-btn">登录</button>'
        + '<div class="login-foot"><label><input type="checkbox" checked> 记住此设备</label>'
        + '<a href="#">忘记密码</a></div></form></div></div>'
        + _config(state) + _scripts("md5.js", "gateway.js", "login.js") + "</body></html>"
    )
