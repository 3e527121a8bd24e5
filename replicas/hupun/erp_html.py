"""HTML of the erp host: the Vue-style login page under `#app`, and the shell (`/frame/<menuId>`).

Facts (docs/platforms.md §8): login page under `#app` with a login-type switch ("切换账号登录"),
username input, `#input-password`, `.login-btn`, an error span; `/frame/home` with an ad popup,
a refresh icon and counters (待打单 …); business pages in a cross-origin iframe. The markup is a
hand-made stand-in for Vue/Element output; CSS and JS are inlined from `static/`.
Hook names that `markup_drift` may rename come through `hook`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from pathlib import Path

Hook = Callable[[str], str]
STATIC = Path(__file__).parent / "static"
# menu id -> (menu label, biz page path, page title). [I] ids other than 332/3321 are made up.
MENUS = {
    "1103": ("订单", "/calf-biz/trade/remark.html#/remark", "订单备注"),
    "331": ("仓储", "/calf-biz/wms/order.html#/allocation", "B2C出库·订单分配"),
}


@cache
def static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def page(title: str, body: str, script: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<link rel="icon" href="data:,"><style>{static("erp.css")}</style></head><body>{body}'
        f"<script>{script}</script></body></html>"
    )


def login(hook: Hook) -> str:
    body = f"""<div id="app"><div class="login-page" data-v-5f2c1a3e>
<div class="login-banner">万里牛 · 电商ERP<br><small>多平台订单统一处理</small></div>
<div class="login-main"><div class="login-box">
 <div class="login-type qr" id="qr-panel"><div class="login-title">扫码登录</div>
  <canvas class="qr-code" width="160" height="160"></canvas><p>请使用万里牛APP扫码登录</p>
  <div class="login-switch"><button type="button" class="el-button el-button--text switch-btn">{esc(hook("login_switch"))}</button></div></div>
 <div class="login-type account" id="account-panel" style="display:none"><div class="login-title">账号登录</div>
  <form class="el-form" onsubmit="return false">
   <div class="el-form-item"><div class="el-form-item__content"><div class="el-input"><input class="el-input__inner"
    type="text" name="username" placeholder="请输入手机号/邮箱/账号" autocomplete="username"></div></div></div>
   <div class="el-form-item"><div class="el-form-item__content"><div class="el-input"><input class="el-input__inner"
    id="input-password" type="password" placeholder="请输入密码" autocomplete="current-password"></div></div></div>
  </form>
  <button type="button" class="el-button el-button--primary {esc(hook("login_button"))}">登录</button>
  <div class="login-error"><span></span></div>
  <div class="login-switch"><a href="#" class="switch-btn back">扫码登录</a></div></div>
</div></div></div>
<div class="slide-verify-mask" style="display:none"><div class="slide-verify" role="dialog" aria-label="安全验证">
 <div class="slide-title">请完成安全验证</div><div class="slide-verify-img"></div>
 <div class="slide-verify-slider"><div class="slide-verify-slider-mask-item"></div><span class="slide-tip">向右拖动滑块填充拼图</span></div>
</div></div></div>"""
    return page("登录 - 万里牛", body, static("login.js"))


def _header(user: str, active: str) -> str:
    links = [("/frame/home", "首页"), *((f"/frame/{k}", v[0]) for k, v in MENUS.items())]
    menu = "".join(
        f'<a href="{href}" class="menu-item{" active" if href == active else ""}">{label}</a>' for href, label in links
    )
    return (
        f'<header class="hp-header"><div class="logo">万里牛</div><nav class="hp-menu">{menu}</nav>'
        f'<div class="user-info"><span class="user-name">{esc(user)}</span><a class="logout" href="/logout">退出</a>'
        "</div></header>"
    )


def home(user: str, hook: Hook, *, ad: bool) -> str:
    counters = "".join(
        f'<li><strong data-key="{key}">-</strong><span>{label}</span></li>'
        for key, label in (("waitAudit", "待审核"), ("waitPrint", "待打单"), ("waitPick", "待配货"),
                           ("exception", "异常"))
    )
    # Shown on the first home view after a login, over the whole page, before anything else.
    advert = advertisement(hook) if ad else ""
    body = (
        f'<div id="app">{_header(user, "/frame/home")}<main class="hp-main">'
        f'<div class="home-panel"><div class="panel-head"><span class="title">待处理事项</span>'
        f'<i class="{esc(hook("refresh"))}" title="刷新">⟳</i><span class="update-time"></span></div>'
        f'<ul class="todo-list">{counters}</ul></div></main>{advert}</div>'
    )
    return page("首页 - 万里牛", body, static("home.js"))


def advertisement(hook: Hook) -> str:
    """The ad/announcement dialog over the whole page (its × removes it; home.js / the inline script)."""
    return (
        f'<div class="ad-dialog-wrap"><div class="ad-dialog" role="dialog" aria-label="公告"><i class="{esc(hook("ad_close"))} '
        'el-icon-close" title="关闭">×</i><div class="ad-title">万里牛 · 新版WMS上线</div>'
        "<p>波次策略全面升级，分配效率提升50%！立即体验 &gt;</p></div></div>"
    )


_CLOSE_AD = ("(function(){var w=document.querySelector('.ad-dialog-wrap');"
             "if(w){w.querySelector('i').addEventListener('click',function(){w.remove();});}})();")


def frame(user: str, menu_id: str, src: str, biz_origin: str, *, ad: Hook | None = None) -> str:
    """A shell page around the business iframe; `ad` (the hook function) shows the ad over it too."""
    _, _, title = MENUS[menu_id]
    body = (
        f'<div id="app" data-biz="{esc(biz_origin)}">{_header(user, f"/frame/{menu_id}")}'
        f'<div class="frame-wrap"><iframe id="frame-{esc(menu_id)}" class="biz-frame" name="biz" title="{esc(title)}"'
        f' src="{esc(src)}"></iframe></div>{advertisement(ad) if ad else ""}</div>'
    )
    return page(f"{title} - 万里牛", body, static("shell.js") + (_CLOSE_AD if ad else ""))


def missing_menu(user: str) -> str:
    body = f'<div id="app">{_header(user, "")}<main class="hp-main"><p>页面不存在或无权限访问</p></main></div>'
    return page("万里牛", body, "")
