"""MOMS markup: old Struts-era pages (table layout, 12px 宋体), served as UTF-8.

Every list page holds one hidden paging form; `jumpPage(formId, page, action)` sets its page
field and submits it, so each page step is a full-page POST, like the real back-end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from html import escape
from typing import Any

from replicas.suning import vocab

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20

_CSS = """
body{margin:0;font:12px/1.5 "SimSun","宋体",serif;color:#333;background:#fff}
a{color:#1f5fae;text-decoration:none}a:hover{text-decoration:underline}
#header{height:56px;background:#fc0;border-bottom:2px solid #f90}
#header .logo{float:left;margin:14px 0 0 16px;font:bold 20px "Microsoft YaHei";color:#c60}
#header .logo em{font-style:normal;font-size:14px;color:#666;margin-left:6px}
#header .userbar{float:right;margin:20px 16px 0 0}
#leftMenu{width:150px;background:#f3f6fa;border-right:1px solid #c9d6e6}
#leftMenu dl{margin:0;padding:6px 0}#leftMenu dt{background:#dde7f3;padding:3px 10px;font-weight:bold}
#leftMenu dd{margin:0;padding:3px 20px}
#mainContent{padding:8px 12px}
.crumbs{color:#666;padding:4px 0 8px;border-bottom:1px dashed #ccc;margin-bottom:8px}
.tabbar a,.tab-nav li{display:inline-block;padding:4px 14px;border:1px solid #c9d6e6;border-bottom:0;
  background:#eef3fa;margin-right:2px}
.tabbar a.cur,.tab-nav li.cur{background:#fff;font-weight:bold}
.tab-nav{margin:0;padding:0;list-style:none}.tab-nav em{font-style:normal;color:#c00}
.tab-label{display:block;padding:6px 0;font-weight:bold;color:#c00}
table.order-list,table.list-table{border-collapse:collapse;width:100%;margin-top:4px}
.order-list th,.list-table th{background:#e6eef8;border:1px solid #c9d6e6;padding:4px;font-weight:normal}
.order-list td,.list-table td{border:1px solid #dde5ef;padding:4px;vertical-align:top}
.order-hd td{background:#f5f8fc}.order-hd span{margin-right:18px}
.order-hd em{font-style:normal}
.remain-time{color:#c00}.rx-tag{background:#c00;color:#fff;padding:0 3px;margin-right:4px}
.no-data{text-align:center;color:#999;padding:30px}
.pager{text-align:right;padding:8px 0}.pager a,.pager span{margin:0 3px}
.pager .disabled{color:#aaa}
.btn-know{padding:2px 16px}
#noticeDialog{position:fixed;left:30%;top:120px;width:420px;background:#fff;border:3px solid #f90;z-index:9}
#noticeDialog h4{margin:0;background:#fc0;padding:4px 8px}#noticeDialog p{padding:8px 12px}
.sys-error{margin:60px auto;width:480px;border:1px solid #f90;padding:20px;background:#fffbe8}
.kv td{border:1px solid #dde5ef;padding:4px 8px}
"""

_JS = """
function jumpPage(formId,page,action){var f=document.getElementById(formId);
  f.elements['pageNo'].value=page; if(action){f.action=action;} f.submit();}
function closeNotice(){document.getElementById('noticeDialog').style.display='none';
  var m=document.getElementById('noticeMask'); if(m){m.remove();}
  fetch('/moms/notice/read.action'+(m?'?kind=list':''),{method:'POST'});}
"""

MENU = (
    ("交易管理", (("已卖出的宝贝", "/moms/delivery/toHaveSoldBabyMain.action?tabtype=3"),
                ("待付款订单", "/moms/delivery/toHaveSoldBabyMain.action?tabtype=2"))),
    ("售后管理", (("售后服务单", "/moms/aftersale/afterSaleList.action?status=1"),)),
    ("投诉管理", (("投诉处理", "/moms/complaint/complaintList.action?status=0"),)),
    ("处方管理", (("处方审核", "/moms/prescription/list.action?status=0"),)),
)


def text(value: Any) -> str:
    """A record value as the page prints it; malformed values pass through unchanged."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def money(value: Any) -> str:
    return f"¥{value:.2f}" if isinstance(value, Decimal | int | float) else text(value)


def remaining(deadline: Any, now: datetime) -> str:
    """'1天3小时20分' until the deadline, '已超时' after it, '—' without a readable one."""
    if isinstance(deadline, str):
        try:
            deadline = datetime.strptime(deadline, "%Y-%m-%d %H:%M:%S").replace(tzinfo=now.tzinfo)
        except ValueError:
            return "—"
    if not isinstance(deadline, datetime):
        return "—"
    left = deadline - now
    if left <= timedelta(0):
        return "已超时"
    minutes = int(left.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    return f"{days}天{rest // 60}小时{rest % 60}分"


def chrome(*, title: str, user: str, body: str, notice: bool = False, mask: bool = False) -> str:
    """The MOMS frame around `body`; `notice` adds the 系统公告 dialog, `mask` a backdrop under it."""
    menu = "".join(
        f"<dl><dt>{escape(group)}</dt>"
        + "".join(f'<dd><a href="{escape(href)}">{escape(name)}</a></dd>' for name, href in items)
        + "</dl>"
        for group, items in MENU
    )
    dialog = (
        '<div id="noticeDialog" role="dialog" aria-label="系统公告"><h4>系统公告</h4>'
        f"<p>{escape(vocab.NOTICE)}</p><p style=\"text-align:center\">"
        '<input type="button" class="btn-know" value="我知道了" onclick="closeNotice()"></p></div>'
        if notice else ""
    )
    if notice and mask:
        dialog = ('<div id="noticeMask" style="position:fixed;left:0;top:0;right:0;bottom:0;'
                  'background:rgba(0,0,0,.3);z-index:8"></div>' + dialog)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)} - 苏宁易购商家后台</title><style>{_CSS}</style><script>{_JS}</script></head>
<body>
<div id="header"><div class="logo">苏宁易购<em>商家后台 MOMS</em></div>
<div class="userbar">您好，<b>{escape(user)}</b>（{escape(vocab.SHOP_NAME)}） | <a href="/moms/index.action">首页</a> |
<a href="/moms/logout.action">退出</a></div></div>
<table id="frame" width="100%" cellpadding="0" cellspacing="0"><tr>
<td id="leftMenu" valign="top">{menu}</td>
<td id="mainContent" valign="top">{body}</td></tr></table>
{dialog}
</body></html>"""


def pager(form_id: str, action: str, total: int, page: int, size: int, next_class: str) -> str:
    pages = max(1, -(-total // size))

    def jump(to: int, label: str, cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        return (f'<a{attr} href="javascript:void(0);" '
                f"onclick=\"jumpPage('{form_id}',{to},'{action}');return false;\">{label}</a>")

    prev = jump(page - 1, "上一页", "prev") if page > 1 else '<span class="prev disabled">上一页</span>'
    nxt = jump(page + 1, "下一页", next_class) if page < pages else '<span class="disabled">下一页</span>'
    options = "".join(
        f'<option value="{n}"{" selected" if n == size else ""}>{n}</option>' for n in PAGE_SIZES
    )
    return (
        f'<div class="pager"><span class="pager-info">共{total}条 第{page}/{pages}页</span>'
        f"{jump(1, '首页')}{prev}{nxt}{jump(pages, '末页')}"
        f"每页显示<select name=\"pageSize\" onchange=\"jumpPage('{form_id}',1,'{action}')\">{options}</select>条"
        "</div>"
    )


def paging_form(form_id: str, action: str, hidden: dict[str, str], page: int, inner: str) -> str:
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    return (
        f'<form id="{form_id}" name="{form_id}" method="post" action="{escape(action)}">{fields}'
        f'<input type="hidden" name="pageNo" value="{page}">{inner}</form>'
    )


def kv_table(title: str, rows: list[tuple[str, str]], extra: str = "") -> str:
    cells = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<div class="crumbs">当前位置：{escape(title)}</div><table class="kv">{cells}</table>{extra}'


def error_page(message: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>系统提示</title><style>{_CSS}</style></head>
<body><div class="sys-error"><h3>系统提示</h3><p>{escape(message)}</p>
<p><a href="/moms/index.action">返回首页</a></p></div></body></html>"""
