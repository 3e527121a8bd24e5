"""HTML of the 闻康商城 replica: server-rendered shells in the style of a Thymeleaf admin, whose list
pages fill their tables from the JSON endpoints (scripts.LIST_JS). Every page is invented [I].

Hook texts the selectors file relies on come from `hook` (see state.HOOKS) so that the
`markup_drift` fault can rename exactly one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from replicas.xywy.api import PAGE_SIZES

Hook = Callable[[str], str]
BRAND = "闻康商城 · 商家管理后台"

CSS = """
*{box-sizing:border-box}body{margin:0;font:14px/1.5 "PingFang SC","Microsoft YaHei",sans-serif;color:#303133;
background:#f5f7fa}a{color:#2d8cf0;text-decoration:none}
.top{height:56px;background:#fff;box-shadow:0 1px 4px rgba(0,21,41,.08);display:flex;align-items:center;
padding:0 20px;position:fixed;left:0;right:0;top:0;z-index:5}.top .brand{font-size:18px;color:#19be6b;flex:1}
.top a{margin-left:16px}.side{position:fixed;top:56px;bottom:0;left:0;width:200px;background:#001529}
.side a{display:block;color:rgba(255,255,255,.65);padding:12px 24px}.side a.on{background:#19be6b;color:#fff}
.main{margin:56px 0 0 200px;padding:20px}.card{background:#fff;border-radius:4px;padding:20px;margin-bottom:16px}
.stats{display:grid;grid-template-columns:repeat(5,1fr);gap:16px}.stat-card{background:#fff;padding:20px;
border-radius:4px;color:#515a6e}.stat-card b{display:block;font-size:28px;color:#19be6b}
.tabs{display:flex;gap:4px;border-bottom:1px solid #e8eaec;margin-bottom:12px}.tabs a{padding:8px 16px;color:#515a6e}
.tabs a.on{color:#19be6b;border-bottom:2px solid #19be6b}table{width:100%;border-collapse:collapse}
th,td{border-bottom:1px solid #e8eaec;padding:8px;text-align:left;font-size:13px;vertical-align:top}
th{background:#f8f8f9}.empty{text-align:center;color:#999}.pager{display:flex;gap:8px;align-items:center;
justify-content:flex-end;margin-top:12px}button{height:32px;border:1px solid #dcdee2;background:#fff;
padding:0 14px;border-radius:4px;cursor:pointer}button.primary{background:#19be6b;border-color:#19be6b;color:#fff}
button:disabled{color:#c5c8ce;cursor:not-allowed}select,input{height:32px;border:1px solid #dcdee2;
border-radius:4px;padding:0 8px}.err{color:#ed4014}.tag{background:#ff9900;color:#fff;padding:0 4px;
font-size:12px;border-radius:2px}.warn{color:#ed4014}.mask{position:fixed;inset:0;background:rgba(0,0,0,.45);
display:flex;align-items:center;justify-content:center;z-index:10}.dialog{background:#fff;width:440px;
padding:24px;border-radius:6px}.login{width:380px;margin:120px auto;background:#fff;padding:32px;border-radius:6px}
.login label{display:block;margin-top:14px}.login input{width:100%}.login button{width:100%;margin-top:22px}
.cap{display:flex;gap:8px;align-items:center}.cap input{width:120px}.cap a{white-space:nowrap;font-size:12px}
"""


def page(title: str, body: str, *, script: str = "", attrs: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)} - {BRAND}'
        f"</title><style>{CSS}</style></head><body {attrs}>{body}"
        f"{f'<script>{script}</script>' if script else ''}</body></html>"
    )


MENU = (("/index", "首页"), ("/order/list", "订单管理"), ("/refund/list", "退款/售后"), ("/consult/list", "咨询管理"))


def shell(title: str, active: str, content: str, hook: Hook, user: str, *, script: str = "",
          attrs: str = "") -> str:
    links = "".join(
        f'<a href="{href}" class="{"on" if href == active else ""}">{label}</a>' for href, label in MENU
    )
    body = (
        f'<header class="top"><span class="brand">{BRAND}</span><span>当前账号：{escape(user)}</span>'
        f'<a href="/logout">{hook("logout")}</a></header><nav class="side">{links}</nav>'
        f'<main class="main"><h2>{escape(title)}</h2>{content}</main>'
    )
    return page(title, body, script=script, attrs=attrs)


def login(hook: Hook, *, captcha: bool, redirect: str, error: str) -> str:
    cap = (
        f'<label for="captcha">{hook("captcha")}</label><div class="cap"><input id="captcha" name="captcha" '
        'maxlength="4" autocomplete="off"><img data-testid="captcha-img" alt="图片" width="110" height="36" '
        'src="/captcha.svg"><a href="#" id="cap-refresh">看不清？换一张</a></div>'
        if captcha else ""
    )
    body = (
        f'<form class="login" id="login-form" method="post" action="/login"><h2>{BRAND}</h2>'
        f'<label for="username">{hook("username")}</label><input id="username" name="username" '
        f'autocomplete="username"><label for="password">{hook("password")}</label>'
        f'<input id="password" name="password" type="password" autocomplete="current-password">{cap}'
        f'<input type="hidden" name="redirect" value="{escape(redirect)}">'
        f'<button type="submit" class="primary">{hook("submit")}</button>'
        f'<p class="err" id="login-msg" role="alert">{escape(error)}</p></form>'
    )
    script = ("const r=document.getElementById('cap-refresh');if(r){r.onclick=(e)=>{e.preventDefault();"
              "document.querySelector('[data-testid=captcha-img]').src='/captcha.svg?t='+Date.now();};}")
    return page("登录", body, script=script)


def dashboard(cards: Iterable[tuple[str, str, str]], hook: Hook, *, notice: bool) -> str:
    tiles = "".join(
        f'<a class="stat-card" data-testid="{hook("stat_card")}" href="{href}"><b>{escape(value)}</b>'
        f"<span>{escape(label)}</span></a>"
        for label, value, href in cards
    )
    return f'<section class="stats" aria-label="待办事项">{tiles}</section>{notice_dialog(hook) if notice else ""}'


def notice_dialog(hook: Hook) -> str:
    """The 平台公告 dialog over the page (a mask that takes every click) until 我知道了 is clicked."""
    dialog = (
        '<div class="mask" id="notice"><div class="dialog" role="dialog" aria-modal="true" '
        'aria-labelledby="notice-title"><h3 id="notice-title">平台公告</h3>'
        "<p>处方药订单须经药师审核后方可发货；请在承诺发货时间内发货，逾期将影响店铺评分。</p>"
        "<p>退款申请请在剩余处理时间内处理，超时系统将自动同意退款。</p>"
        f'<button type="button" class="primary" id="notice-ok">{hook("notice_close")}</button></div></div>'
    )
    script = ("<script>const n=document.getElementById('notice-ok');if(n){n.onclick=()=>"
              "document.getElementById('notice').remove();}</script>")
    return dialog + script


def list_page(table_hook: str, hook: Hook, tabs: Iterable[tuple[str, str]], param: str, chosen: str) -> str:
    """The shell of a list page: status tabs, an empty table and the pager; LIST_JS fills them."""
    links = "".join(
        f'<a href="?{param}={escape(value)}" class="{"on" if value == chosen else ""}">{escape(label)}</a>'
        for value, label in tabs
    )
    sizes = "".join(f"<option value='{n}'>{n} 条/页</option>" for n in PAGE_SIZES)
    return (
        f'<div class="card"><nav class="tabs" aria-label="状态">{links}</nav>'
        f'<p class="err" id="list-msg" role="alert"></p><table data-testid="{hook(table_hook)}">'
        '<thead id="thead"></thead><tbody id="tbody"><tr><td class="empty">加载中…</td></tr></tbody></table>'
        '<div class="pager">共 <b id="total">0</b> 条<button type="button" id="prev">上一页</button>'
        '第 <span id="cur">1</span> / <span id="pages">1</span> 页'
        f'<button type="button" id="next">{hook("next")}</button>'
        f'<label for="page-size">{hook("page_size")}</label><select id="page-size">{sizes}</select></div></div>'
    )


def detail(title: str, record: dict[str, Any], fields: Iterable[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{label}</th><td>{escape(str(record.get(key, '')))}</td></tr>" for label, key in fields)
    goods = record.get("goodsList")
    lines = "".join(
        f"<tr><td>{escape(str(g.get('goodsName', '')))}</td><td>{escape(str(g.get('spec', '')))}</td>"
        f"<td>{escape(str(g.get('num', '')))}</td><td>¥{escape(str(g.get('price', '')))}</td></tr>"
        for g in (goods if isinstance(goods, list) else []) if isinstance(g, dict)
    )
    table = f"<table><tr><th>商品</th><th>规格</th><th>数量</th><th>单价</th></tr>{lines}</table>" if lines else ""
    return f'<div class="card"><table data-testid="{escape(title)}">{rows}</table></div>' + (
        f'<div class="card">{table}</div>' if table else "")
