"""The floor: the fewest requests each platform's sweep needs, taken from the replicas themselves.

A platform's floor is what a plain HTTP client that knew every API by heart would have to send,
one request after another: its login, the counters the sweep reconciles against, and every page
of every list at the largest page size the replica allows. Page-size caps are imported from the
replica packages (so the floor follows a replica when its cap changes); list sizes are the
platform's own counts as the run read them (each list's total or home counter). Nothing a UI
costs on top (page documents, the first page at the default size before the size select is used,
favicons, the home page the site lands on after login) is in the floor: that is overhead the
ratio is meant to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from math import ceil

from replicas.admin.api import PAGE_SIZES as ADMIN_SIZES
from replicas.hupun.biz_html import PAGE_SIZES as HUPUN_SIZES
from replicas.jiage315.grids import PAGE_SIZES as JIAGE315_SIZES
from replicas.pdd.api import LISTS as PDD_LISTS
from replicas.pingan.gateway import MAX_PAGE_SIZE as PINGAN_MAX
from replicas.suning.render import PAGE_SIZES as SUNING_SIZES
from replicas.xywy.api import PAGE_SIZES as XYWY_SIZES
from replicas.yaofangwang.yaodian import PAGE_SIZES as YAOFANGWANG_SIZES

_PDD = {spec.name: spec.max_size for spec in PDD_LISTS}


@dataclass(frozen=True)
class PlatformFloor:
    """What one platform's sweep cannot do without.

    `fixed`: requests before the first list (log in, plus the counters the sweep reconciles with).
    `lists`: the sweep's lists (tally names) and the largest page size the replica allows for each.
    `per_list`: requests a list needs before its rows can be paged (0 but for WebForms).
    """

    fixed: int
    why: str
    lists: Mapping[str, int]
    per_list: int = 0
    per_list_why: str = ""
    notes: tuple[str, ...] = field(default=())

    def pages(self, name: str, rows: int) -> int:
        """Pages of one list: an empty list still takes one request to be seen empty."""
        return self.per_list + max(1, ceil(rows / self.lists[name]))

    def requests(self, sizes: Mapping[str, int]) -> int:
        return self.fixed + sum(self.pages(name, sizes.get(name, 0)) for name in self.lists)


def _same(cap: int, *names: str) -> dict[str, int]:
    return dict.fromkeys(names, cap)


FLOORS: Mapping[str, PlatformFloor] = {
    "pdd": PlatformFloor(
        2, "POST /janus/api/auth; the home counters (todoCount) the lists are reconciled with",
        {"orders_to_ship": _PDD["orders"], "aftersales": _PDD["aftersales"],
         "work_orders": _PDD["work_orders"], "prescriptions": _PDD["prescriptions"]},
    ),
    "pingan": PlatformFloor(
        2, "POST /login/loginname; the dashboard counters (seller.dashboard.count)",
        _same(PINGAN_MAX, "待接单订单", "待发货订单", "待处理售后", "待审核处方", "待处理投诉"),
    ),
    "suning": PlatformFloor(
        2, "POST mpassport /ids/login; the moms ticket redirect that turns it into a moms session",
        _same(max(SUNING_SIZES), "to_ship", "unpaid", "aftersale_review", "aftersale_receive",
              "complaints", "prescriptions"),
    ),
    "yaofangwang": PlatformFloor(
        1, "POST reg /login.html (lists carry their own 共 N 条)",
        _same(max(YAOFANGWANG_SIZES), "orders_to_ship", "refunds", "prescriptions", "messages"),
    ),
    "admin": PlatformFloor(
        1, "POST /api/login (lists carry their own totals)",
        _same(max(ADMIN_SIZES), "stock", "to_ship_platform", "awaiting_payment", "cod_orders",
              "reship_orders"),
    ),
    "hupun": PlatformFloor(
        3, "POST /login.d; one SSO cookie-init hop to the business host; the home counters",
        _same(max(int(s) for s in HUPUN_SIZES), "remarks", "wms_orders"),
        notes=("the WMS page waits (replica-side) for its 系统任务 to finish; not a request",),
    ),
    "xywy": PlatformFloor(
        2, "POST /login; the home page whose counter cards the lists are reconciled with",
        _same(max(XYWY_SIZES), "to_ship", "refunds", "consults"),
    ),
    "jiage315": PlatformFloor(
        2, "GET Login.aspx for its __VIEWSTATE, then the login postback",
        _same(max(JIAGE315_SIZES), "orders_to_ship", "refunds_waiting", "messages_unanswered"),
        per_list=1, per_list_why="WebForms: a postback needs the list page's __VIEWSTATE, so one GET first",
    ),
}


def floor_requests(platform: str, sizes: Mapping[str, int]) -> int:
    """The fewest requests `platform`'s sweep needs, given each list's size."""
    return FLOORS[platform].requests(sizes)
