"""The three GridView list pages of the merchant centre and how a GridView renders itself.

Each list is a page (`/Member/OrderList.aspx` …) with a status DropDownList, a page-size
DropDownList (both AutoPostBack), a "共 N 条记录" label and a GridView in numeric-first-last paging
mode (ten page buttons, "..." to the next ten, 首页/尾页). Every GridView cell is HTML-encoded
(BoundField HtmlEncode defaults to true).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from replicas.jiage315.data import MESSAGE_WAITING, REFUND_WAITING, SHIP_WAITING
from replicas.jiage315.markup import PREFIX_ID, PREFIX_NAME, Hook, e, show_money, show_time
from replicas.jiage315.webforms import postback_href

Cell = Callable[[dict[str, Any]], str]
PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_SIZE = 20
PAGE_BUTTONS = 10


def _text(field: str) -> Cell:
    return lambda r: e(r.get(field))


def _time(field: str) -> Cell:
    return lambda r: e(show_time(r.get(field)))


def _money(field: str) -> Cell:
    return lambda r: e(show_money(r.get(field)))


def _link(page: str, field: str) -> Cell:
    return lambda r: f'<a href="{page}?id={quote(str(r.get(field, "")))}">{e(r.get(field))}</a>'


@dataclass(frozen=True)
class ListView:
    name: str  # the scenario's list name
    path: str
    title: str
    grid: str  # GridView id without its prefix: "Orders" → gvOrders
    status_label: str  # "订单" → 订单状态
    filters: tuple[tuple[str, str, tuple[str, ...]], ...]  # (value, option text, statuses; () = all)
    columns: tuple[tuple[str, Cell], ...]

    def grid_uid(self, hook: Hook) -> str:
        return f"{PREFIX_NAME}{hook('grid')}{self.grid}"

    def rows(self, records: list[dict[str, Any]], status_value: str) -> list[dict[str, Any]]:
        wanted = next((s for v, _, s in self.filters if v == status_value), ())
        return [r for r in records if not wanted or r.get("status") in wanted]


VIEWS = {
    "orders": ListView(
        "orders", "/Member/OrderList.aspx", "订单管理", "Orders", "订单",
        (("", "全部", ()), ("1", "待付款", ("待付款",)), ("2", SHIP_WAITING, (SHIP_WAITING,)),
         ("3", "已发货", ("已发货",)), ("4", "已完成", ("已完成",)), ("5", "已取消", ("已取消",))),
        (("订单号", _link("OrderDetail.aspx", "order_no")), ("下单时间", _time("created_at")),
         ("付款时间", _time("paid_at")), ("商品", _text("goods")), ("金额", _money("amount")),
         ("收货人", lambda r: f"{e(r.get('consignee'))}<br />{e(r.get('phone'))}"),
         ("支付方式", _text("pay_type")), ("买家留言", _text("memo")), ("订单状态", _text("status"))),
    ),
    "refunds": ListView(
        "refunds", "/Member/RefundList.aspx", "退款管理", "Refunds", "退款",
        (("", "全部", ()), ("1", "待处理", REFUND_WAITING), ("2", "待买家退货", ("待买家退货",)),
         ("3", "已完成", ("退款成功",)), ("4", "已关闭", ("已拒绝", "买家已撤销"))),
        (("退款单号", _link("RefundDetail.aspx", "refund_no")), ("订单号", _text("order_no")),
         ("商品", _text("goods")), ("退款金额", _money("amount")), ("退款类型", _text("kind")),
         ("退款原因", _text("reason")), ("申请时间", _time("applied_at")), ("退款状态", _text("status"))),
    ),
    "messages": ListView(
        "messages", "/Member/MessageList.aspx", "留言管理", "Messages", "回复",
        (("", "全部", ()), ("0", MESSAGE_WAITING, (MESSAGE_WAITING,)), ("1", "已回复", ("已回复",))),
        (("留言编号", _link("MessageDetail.aspx", "msg_no")), ("会员", _text("member")),
         ("咨询商品", _text("goods")), ("留言内容", _text("content")), ("留言时间", _time("sent_at")),
         ("关联订单", _text("order_no")), ("回复状态", _text("status"))),
    ),
}


def page_argument(argument: str, index: int, pages: int) -> int:
    """The page index a GridView `Page$…` event argument asks for (0-based, clamped)."""
    word = argument.removeprefix("Page$")
    moves = {"First": 0, "Last": pages - 1, "Next": index + 1, "Prev": index - 1}
    if word in moves:
        wanted = moves[word]
    elif word.isdigit():
        wanted = int(word) - 1
    else:
        wanted = index
    return max(0, min(wanted, pages - 1))


def pager_arguments(index: int, pages: int) -> list[tuple[str, str]]:
    """(link text, event argument) of the pager links; the current page is a <span>, text only."""
    if pages <= 1:
        return []
    first = index // PAGE_BUTTONS * PAGE_BUTTONS
    last = min(first + PAGE_BUTTONS, pages) - 1
    links: list[tuple[str, str]] = []
    if first > 0:
        links += [("首页", "Page$First"), ("...", f"Page${first}")]
    links += [(str(i + 1), "" if i == index else f"Page${i + 1}") for i in range(first, last + 1)]
    if last < pages - 1:
        links += [("...", f"Page${last + 2}"), ("尾页", "Page$Last")]
    return links


def render_grid(view: ListView, hook: Hook, rows: list[dict[str, Any]], index: int, pages: int) -> str:
    uid = view.grid_uid(hook)
    client_id = uid.replace("$", "_")
    opening = (f'<table class="gridview" cellspacing="0" rules="all" border="1" id="{client_id}" '
               'style="border-collapse:collapse;">')
    if not rows:
        empty = f'<tr class="empty"><td colspan="{len(view.columns)}">没有找到相关记录</td></tr>'
        return f"<div>\n{opening}\n{empty}\n</table>\n</div>"
    head = "".join(f'<th scope="col">{e(title)}</th>' for title, _ in view.columns)
    row_class = hook("rows")
    body = "".join(
        f'<tr class="{row_class if n % 2 == 0 else ("alt" if row_class == "row" else row_class)}">'
        + "".join(f"<td>{cell(r)}</td>" for _, cell in view.columns) + "</tr>\n"
        for n, r in enumerate(rows)
    )
    cells = "".join(
        f"<td><span>{text}</span></td>" if not arg else f'<td><a href="{postback_href(uid, arg)}">{text}</a></td>'
        for text, arg in pager_arguments(index, pages)
    )
    pager = (f'<tr class="{hook("pager")}"><td colspan="{len(view.columns)}"><table><tr>{cells}</tr></table>'
             "</td></tr>" if cells else "")
    return f'<div>\n{opening}\n<tr class="header">{head}</tr>\n{body}{pager}\n</table>\n</div>'


def record_count(hook: Hook, total: int, size: int, index: int, pages: int) -> str:
    return (f'<span id="{PREFIX_ID}{hook("total")}" class="count">共 <b>{total}</b> 条记录，每页 {size} 条，'
            f"当前第 {index + 1}/{pages} 页</span>")
