"""HTML of the 315价格网 merchant centre, as an ASP.NET WebForms 4.x site renders it.

One form named `aspnetForm` wraps every page (master page `Site.master`), controls carry
`ctl00$ContentPlaceHolder1$…` names and `ctl00_ContentPlaceHolder1_…` ids, links that cause
events are `javascript:__doPostBack(…)`. Inline CSS only; no script but ASP.NET's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from replicas.jiage315.data import as_time
from replicas.jiage315.webforms import autopostback

Hook = Callable[[str], str]
PREFIX_NAME, PREFIX_ID = "ctl00$ContentPlaceHolder1$", "ctl00_ContentPlaceHolder1_"

CSS = """
body{margin:0;font:12px/1.6 Tahoma,"宋体",SimSun,sans-serif;color:#333;background:#f3f3f3}a{color:#1a5fb4}
.top{height:56px;background:#0b5aa2;color:#fff;display:flex;align-items:center;padding:0 20px}
.top .logo{font:bold 22px "微软雅黑",sans-serif;color:#fff;margin-right:10px;text-decoration:none}
.top .sub{font-size:14px;margin-right:auto}.top a{color:#fff;margin-left:12px}
.wrap{display:flex}.side{width:170px;background:#fff;border-right:1px solid #ddd;min-height:calc(100vh - 56px)}
.side h3{margin:0;padding:8px 14px;background:#e8eef7;font-size:13px}.side a{display:block;padding:6px 22px}
.main{flex:1;padding:14px 18px}.main h1{font-size:16px;border-bottom:2px solid #0b5aa2;padding-bottom:4px}
.toolbar{margin:8px 0;display:flex;gap:16px;align-items:center}
.gridview{width:100%;border-collapse:collapse;background:#fff}.gridview th{background:#dfe8f6;font-weight:bold}
.gridview td,.gridview th{border:1px solid #b7c9e2;padding:4px 6px;text-align:left;vertical-align:top}
.gridview tr.alt,.gridview tr.gv-row:nth-child(odd){background:#f7f9fc}.gridview tr.pager td,.gridview tr.pgr td{
background:#eef3fa}.gridview tr.pager table td,.gridview tr.pgr table td{border:0;padding:0 4px}
.gridview tr.empty td{text-align:center;color:#999;padding:20px}.count{color:#666}
.stat{display:inline-block;width:180px;margin:0 12px 12px 0;padding:12px;background:#fff;border:1px solid #ccd}
.stat b{display:block;font-size:24px;color:#c00}.login-box{width:380px;margin:80px auto;background:#fff;
border:1px solid #ccd;padding:20px 30px}.login-box td{padding:6px 4px}.input{width:180px;height:22px}
.btn{background:#0b5aa2;color:#fff;border:0;padding:5px 24px;cursor:pointer}.error{color:Red}
.detailsview{border-collapse:collapse;background:#fff}.detailsview td{border:1px solid #b7c9e2;padding:4px 8px}
"""


def e(value: object) -> str:
    return escape("" if value is None else str(value))


def show_time(raw: Any) -> str:
    """`yyyy/M/d H:mm:ss`, what DateTime.ToString() prints under zh-CN; odd values as given."""
    if raw is None or raw == "":
        return ""
    moment = as_time(raw)
    if moment is None:
        return str(raw)
    return f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}:{moment.second:02d}"


def show_money(raw: Any) -> str:
    """"¥12.50" (String.Format("{0:C}") under zh-CN); odd values as given."""
    if isinstance(raw, datetime) or raw is None:
        return "" if raw is None else str(raw)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return str(raw)
    return f"¥{value:,.2f}" if value.is_finite() else str(raw)


def document(title: str, action: str, hidden: str, body: str) -> str:
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head><meta http-equiv="Content-Type" '
        f'content="text/html; charset=utf-8" /><title>\n\t{e(title)} - 315价格网商家中心\n</title>'
        f"<style>{CSS}</style></head>\n<body>\n"
        f'<form method="post" action="{e(action)}" id="aspnetForm">\n{hidden}\n{body}\n</form>\n</body>\n</html>'
    )


MENU = (("商家首页", "Default.aspx"), ("订单管理", "OrderList.aspx"), ("退款管理", "RefundList.aspx"),
        ("留言管理", "MessageList.aspx"))


def member_body(title: str, user: str, content: str, hook: Hook) -> str:
    """The master page of /Member/: header with the user, side menu, content placeholder."""
    links = "".join(f'<a href="{href}">{label}</a>' for label, href in MENU)
    return (
        '<div class="top"><a class="logo" href="/">315价格网</a><span class="sub">商家中心</span>'
        f'<span id="ctl00_lblUserName">欢迎您，{e(user)}</span>'
        f'<a id="ctl00_hlLogout" href="Logout.aspx">{hook("home")}</a></div>'
        f'<div class="wrap"><div class="side"><h3>商家管理</h3>{links}</div>'
        f'<div class="main"><h1>{e(title)}</h1>\n{content}\n</div></div>'
    )


def login_body(hook: Hook, *, message: str, username: str, captcha: bool) -> str:
    user_box = hook("login")
    code = (
        f'<tr><td>验证码：</td><td><input name="{PREFIX_NAME}txtCode" type="text" maxlength="4" '
        f'id="{PREFIX_ID}txtCode" class="input" style="width:80px;" autocomplete="off" /> '
        f'<img id="{PREFIX_ID}imgCode" src="ValidateCode.aspx" alt="看不清？点击换一张" '
        "onclick=\"this.src='ValidateCode.aspx?'+Math.random()\" style=\"vertical-align:middle\" /></td></tr>"
        if captcha else ""
    )
    return (
        '<div class="login-box"><h2>315价格网 · 商家登录</h2><table>'
        f'<tr><td><label for="{PREFIX_ID}{user_box}">用户名：</label></td><td><input name="{PREFIX_NAME}{user_box}" '
        f'type="text" value="{e(username)}" id="{PREFIX_ID}{user_box}" class="input" /></td></tr>'
        f'<tr><td><label for="{PREFIX_ID}txtPassword">密　码：</label></td><td><input name="{PREFIX_NAME}txtPassword" '
        f'type="password" id="{PREFIX_ID}txtPassword" class="input" /></td></tr>{code}'
        f'<tr><td></td><td><input type="submit" name="{PREFIX_NAME}btnLogin" value="登 录" '
        f'id="{PREFIX_ID}btnLogin" class="btn" /></td></tr></table>'
        f'<span id="{PREFIX_ID}lblMsg" class="error">{e(message)}</span></div>'
    )


def home_content(counters: Iterable[tuple[str, int, str]]) -> str:
    stats = "".join(
        f'<div class="stat"><b id="{PREFIX_ID}lbl{key}">{n}</b>{e(label)}</div>' for label, n, key in counters
    )
    return f'<div class="stats">{stats}</div><p>欢迎使用315价格网商家中心。请及时处理订单、退款和买家留言。</p>'


def dropdown(uid: str, label: str, options: Iterable[tuple[str, str]], chosen: str) -> str:
    """An AutoPostBack DropDownList with its associated label."""
    client_id = uid.replace("$", "_")
    selected = ' selected="selected"'
    opts = "".join(
        f'<option{selected if value == chosen else ""} value="{e(value)}">{e(text)}</option>'
        for value, text in options
    )
    return (
        f'<label for="{client_id}">{e(label)}：</label><select name="{uid}" onchange="{autopostback(uid)}" '
        f'id="{client_id}">{opts}</select>'
    )


def details(title: str, fields: Iterable[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in fields)
    table = f'<table class="detailsview" cellspacing="0" rules="all" border="1" id="{PREFIX_ID}dvDetail">'
    return f"{table}{rows}</table>" if rows else f'<p class="error">{e(title)}不存在或已删除。</p>'
