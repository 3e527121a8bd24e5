"""The 315价格网 replica: WebForms login and postbacks, view-state checks, units, every fault switch."""

from __future__ import annotations

import random
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.common.world import LedgerKind, World
from replicas.jiage315 import REPLICA, build
from replicas.jiage315.state import FAULTS, SiteState

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
P = "ctl00$ContentPlaceHolder1$"
ORDERS = "/Member/OrderList.aspx"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" id="[^"]+" value="([^"]*)"')
COUNT = re.compile(r"共 <b>(\d+)</b> 条记录，每页 (\d+) 条，当前第 (\d+)/(\d+) 页")
YELLOW = re.compile(r"<h2> <i>(.*?)</i> </h2>")
ORDER_CELL = re.compile(r'<td><a href="OrderDetail\.aspx\?id=(\d+)">')


def _env(world: World | None = None, **scenario: Any) -> ReplicaEnv:
    return ReplicaEnv(key="jiage315", scenario=PlatformScenario(**scenario), clock=ReplicaClock(NOW),
                      rng=random.Random(7), hosts=HostMap(), world=world or World())


class WebForms(httpx.AsyncClient):
    """A client that posts a page back the way its form would: every hidden field plus the controls."""

    async def postback(self, path: str, page: httpx.Response, **fields: str) -> httpx.Response:
        hidden = {name: unescape(value) for name, value in HIDDEN.findall(page.text)}
        controls = {f"{P}ddlStatus": _selected(page.text, "ddlStatus"),
                    f"{P}ddlPageSize": _selected(page.text, "ddlPageSize")}
        return await self.post(path, data={**hidden, **controls, **fields})

    async def login(self, user: str = DEMO_USERNAME, password: str = DEMO_PASSWORD, **extra: str) -> httpx.Response:
        form = await self.get("/Login.aspx")
        return await self.postback("/Login.aspx", form, **{
            f"{P}txtUserName": user, f"{P}txtPassword": password, f"{P}btnLogin": "登 录", **extra})

    async def page(self, event: str, path: str = ORDERS, page: httpx.Response | None = None,
                   **fields: str) -> httpx.Response:
        """Click a pager link of the orders grid: __doPostBack('…$gvOrders', event)."""
        page = page or await self.get(path)
        return await self.postback(path, page, __EVENTTARGET=f"{P}gvOrders", __EVENTARGUMENT=event, **fields)


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="[^"]*{name}".*?</select>', html)
    chosen = re.search(r'selected="selected" value="([^"]*)"', select.group()) if select else None
    return chosen.group(1) if chosen else ""


def count(page: httpx.Response) -> tuple[int, ...]:
    found = COUNT.search(page.text)
    assert found is not None, page.text[:300]
    return tuple(int(n) for n in found.groups())


@asynccontextmanager
async def client(world: World | None = None, **scenario: Any) -> AsyncIterator[WebForms]:
    app = build(_env(world, **scenario))["www"]
    async with WebForms(transport=httpx.ASGITransport(app=app), base_url="http://www.315jiage.test") as c:
        yield c


async def filtered(c: WebForms, status: str = "2", size: str = "20", path: str = ORDERS) -> httpx.Response:
    """Choose a status (AutoPostBack) the way the browser does: __EVENTTARGET is the list itself."""
    page = await c.get(path)
    return await c.postback(path, page, __EVENTTARGET=f"{P}ddlStatus",
                            **{f"{P}ddlStatus": status, f"{P}ddlPageSize": size})


def test_spec_declares_its_faults_and_its_host() -> None:
    assert REPLICA.key == "jiage315" and REPLICA.hosts == ("www",) and REPLICA.main == "www"
    assert REPLICA.host_aliases == {"www": "www.315jiage.cn"} and REPLICA.faults == FAULTS
    assert set(FAULTS) >= {"session_expired", "challenge_on_login", "account_locked", "empty_lists", "page_500",
                           "slow", "timeout_page", "markup_drift", "count_mismatch"}


async def test_member_pages_without_a_ticket_go_to_login_with_an_encoded_return_url() -> None:
    async with client() as c:
        answer = await c.get(ORDERS)
        assert answer.status_code == 302
        assert answer.headers["location"] == "/Login.aspx?ReturnUrl=%2fMember%2fOrderList.aspx"
        assert answer.headers["x-powered-by"] == "ASP.NET" and answer.headers["server"].startswith("Microsoft-IIS")
        assert (await c.post(ORDERS, data={"__VIEWSTATE": ""})).status_code == 302  # a postback as well


async def test_login_page_is_a_webforms_form_with_master_page_names() -> None:
    async with client() as c:
        page = await c.get("/Login.aspx?ReturnUrl=%2fMember%2fOrderList.aspx")
        hidden = dict(HIDDEN.findall(page.text))
        assert unescape(hidden["__VIEWSTATE"]).startswith("/wEP")
        assert re.fullmatch(r"[0-9A-F]{8}", hidden["__VIEWSTATEGENERATOR"]) and hidden["__EVENTVALIDATION"]
        assert {"__EVENTTARGET", "__EVENTARGUMENT"} <= set(hidden)
        assert f'name="{P}txtUserName"' in page.text and 'id="ctl00_ContentPlaceHolder1_txtUserName"' in page.text
        assert 'id="aspnetForm"' in page.text and "function __doPostBack(eventTarget, eventArgument)" in page.text
        assert 'action="./Login.aspx?ReturnUrl=%2fMember%2fOrderList.aspx"' in page.text
        assert re.fullmatch(r"[a-z0-5]{24}", page.cookies["ASP.NET_SessionId"])
        assert "txtCode" not in page.text  # no captcha unless challenge_on_login


async def test_login_postback_sets_the_forms_ticket_and_follows_return_url() -> None:
    async with client() as c:
        form = await c.get("/Login.aspx?ReturnUrl=%2fMember%2fOrderList.aspx")
        answer = await c.postback("/Login.aspx?ReturnUrl=%2fMember%2fOrderList.aspx", form, **{
            f"{P}txtUserName": DEMO_USERNAME, f"{P}txtPassword": DEMO_PASSWORD, f"{P}btnLogin": "登 录"})
        assert answer.status_code == 302 and answer.headers["location"] == ORDERS
        assert re.fullmatch(r"[0-9A-F]{160}", c.cookies[".ASPXAUTH"])
        home = await c.get("/Member/Default.aspx")
        assert home.status_code == 200 and "欢迎您，sweeper-demo" in home.text and ">退出<" in home.text
        assert (await c.get("/Login.aspx")).headers["location"] == "/Member/Default.aspx"
        assert (await c.get("/member/orderlist.aspx")).status_code == 200  # IIS ignores case


async def test_wrong_password_locked_account_and_extra_accounts() -> None:
    async with client(fault_args={"accounts": {"shop2": "pw-2"}}) as c:
        wrong = await c.login(password="nope")
        assert wrong.status_code == 200 and '<span id="ctl00_ContentPlaceHolder1_lblMsg" class="error">用户名或密码错误' \
            in wrong.text and 'value="sweeper-demo"' in wrong.text
        assert (await c.login("shop2", "pw-2")).status_code == 302
        assert (await c.get("/__replica__/state")).json()["failed_logins"] == 1
    async with client(faults=["account_locked"]) as c:
        assert "该账号已被锁定" in (await c.login()).text


async def test_a_postback_without_or_with_a_foreign_view_state_is_the_yellow_page() -> None:
    async with client() as c:
        missing = await c.post("/Login.aspx", data={f"{P}txtUserName": DEMO_USERNAME, f"{P}btnLogin": "登 录"})
        assert missing.status_code == 500 and "Server Error in '/' Application." in missing.text
        await c.login()
        page = await c.get(ORDERS)
        c.cookies.set("ASP.NET_SessionId", "a" * 24)  # another session: ViewStateUserKey differs
        foreign = await c.page("Page$2", page=page)
        assert foreign.status_code == 500
        assert YELLOW.search(foreign.text).group(1).startswith("Validation of viewstate MAC failed")  # type: ignore[union-attr]


async def test_status_filter_page_size_and_postback_paging() -> None:
    async with client(items=60) as c:
        await c.login()
        everything = await c.get(ORDERS + "?page=3")  # WebForms pages by postback only: a query is ignored
        assert count(everything) == (80, 20, 1, 4)
        to_ship = await filtered(c)
        assert count(to_ship) == (60, 20, 1, 3) and to_ship.url.path == ORDERS
        assert 'href="javascript:__doPostBack(&#39;ctl00$ContentPlaceHolder1$gvOrders&#39;,&#39;Page$2&#39;)"' \
            in to_ship.text
        third = await c.page("Page$3", page=to_ship)
        assert count(third) == (60, 20, 3, 3)
        bigger = await c.postback(ORDERS, third, __EVENTTARGET=f"{P}ddlPageSize", **{f"{P}ddlPageSize": "100"})
        assert count(bigger) == (60, 100, 1, 1)  # a new page size starts again at page 1
        assert len(ORDER_CELL.findall(bigger.text)) == 60 and "__doPostBack(&#39;ctl00$ContentPlaceHolder1$gvO" \
            not in bigger.text  # one page: no pager row
        rows = re.findall(r'<tr class="(?:row|alt)">(.*?)</tr>', bigger.text)
        assert all("<td>待发货</td>" in r for r in rows)
        times = re.findall(r"<td>(\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}:\d{2})</td>", bigger.text)
        money = re.findall(r"<td>(¥[\d,]+\.\d{2})</td>", bigger.text)
        assert len(times) >= 60 and len(money) == 60
        assert not any(re.search(r"/0\d|\s0\d:", t) for t in times)  # yyyy/M/d H:mm:ss: no leading zeros


async def test_numeric_pager_shows_ten_pages_then_an_ellipsis_and_the_last() -> None:
    async with client(items=250) as c:
        await c.login()
        page = await filtered(c, size="10")
        links = re.findall(r"&#39;(Page\$\w+)&#39;\)\">([^<]+)<", page.text)
        assert links == [(f"Page${n}", str(n)) for n in range(2, 11)] + [("Page$11", "..."), ("Page$Last", "尾页")]
        eleventh = await c.page("Page$11", page=page)
        assert count(eleventh)[2:] == (11, 25)
        assert ("Page$First", "首页") in re.findall(r"&#39;(Page\$\w+)&#39;\)\">([^<]+)<", eleventh.text)


async def test_event_validation_refuses_a_page_or_a_value_the_page_did_not_offer() -> None:
    async with client(items=60) as c:
        await c.login()
        first = await filtered(c)
        for event, forged in (("Page$9", {}), ("Page$2", {f"{P}ddlStatus": "9"})):
            answer = await c.page(event, page=first, **forged)
            assert answer.status_code == 500
            assert YELLOW.search(answer.text).group(1).startswith("Invalid postback or callback argument")  # type: ignore[union-attr]
        tampered = await c.postback(ORDERS, first, __VIEWSTATE="/wEPabc=")
        assert "The state information is invalid" in tampered.text


async def test_the_records_of_a_scenario_are_shown_encoded_and_as_given() -> None:
    orders = [{"order_no": "202611260800010001", "memo": "<script>alert(1)</script>", "amount": "12.5",
               "paid_at": "2026-11-25 07:05:09"},
              {"order_no": "202611260800020002", "created_at": "昨天下午", "amount": "abc", "paid_at": ""}]
    async with client(replace={"orders": orders}) as c:
        await c.login()
        page = await filtered(c)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
        assert "<td>2026/11/25 7:05:09</td>" in page.text and "<td>¥12.50</td>" in page.text
        assert "<td>昨天下午</td>" in page.text and "<td>abc</td>" in page.text
        detail = await c.get("/Member/OrderDetail.aspx?id=202611260800010001")
        assert "&lt;script&gt;" in detail.text and "202611260800010001" in detail.text


async def test_challenge_needs_the_code_of_this_sessions_image() -> None:
    async with client(faults=["challenge_on_login"]) as c:
        form = await c.get("/Login.aspx")
        assert 'id="ctl00_ContentPlaceHolder1_imgCode" src="ValidateCode.aspx"' in form.text
        assert (await c.get("/ValidateCode.aspx")).headers["content-type"].startswith("image/svg+xml")
        assert "请输入验证码" in (await c.login()).text
        assert "验证码错误" in (await c.login(**{f"{P}txtCode": "ZZZZ"})).text
        await c.get("/ValidateCode.aspx")
        code = (await c.get("/__replica__/captcha")).json()["captcha"]
        assert (await c.login(**{f"{P}txtCode": code.lower()})).status_code == 302


async def test_session_expired_refuses_the_ticket_after_n_member_pages() -> None:
    async with client(faults=["session_expired"], fault_args={"session_expired": {"after_requests": 2}}) as c:
        await c.login()
        first = await c.get(ORDERS)
        assert (await c.page("Page$2", page=first)).status_code == 200
        expired = await c.page("Page$2", page=first)
        assert expired.status_code == 302 and expired.headers["location"].startswith("/Login.aspx?ReturnUrl=")


async def test_replica_expire_drops_every_ticket() -> None:
    async with client() as c:
        await c.login()
        assert (await c.post("/__replica__/expire")).json() == {"expired": 1}
        assert (await c.get(ORDERS)).status_code == 302


async def test_page_500_and_timeout_page_answer_with_the_yellow_page_on_their_page_only() -> None:
    faults = {"page_500": {"page": 2, "times": 1}, "timeout_page": {"list": "refunds", "page": 1, "ms": 200}}
    async with client(items=60, faults=["page_500", "timeout_page"], fault_args=faults) as c:
        await c.login()
        first = await c.get(ORDERS)
        broken = await c.page("Page$2", page=first)
        assert broken.status_code == 500
        assert YELLOW.search(broken.text).group(1) == "Object reference not set to an instance of an object."  # type: ignore[union-attr]
        assert count(await c.page("Page$2", page=first))[2] == 2  # times = 1: the retry works
        started = time.monotonic()
        hung = await c.get("/Member/RefundList.aspx")
        assert hung.status_code == 500 and "Request timed out." in hung.text and time.monotonic() - started >= 0.2


async def test_slow_delays_every_response() -> None:
    async with client(faults=["slow"], fault_args={"slow": {"ms": 150}}) as c:
        started = time.monotonic()
        await c.get("/Login.aspx")
        assert time.monotonic() - started >= 0.15


async def test_markup_drift_renames_one_hook_each() -> None:
    expected = {"grid": 'id="ctl00_ContentPlaceHolder1_GridView_Orders"', "rows": 'class="gv-row"',
                "total": 'id="ctl00_ContentPlaceHolder1_lblCount"', "pager": 'class="pgr"',
                "page_size": "显示条数：", "status": "订单筛选："}
    for what, marker in expected.items():
        async with client(items=30, faults=["markup_drift"], fault_args={"markup_drift": {"what": what}}) as c:
            await c.login()
            page = await c.get(ORDERS)
            assert marker in page.text, what
    async with client(faults=["markup_drift"], fault_args={"markup_drift": {"what": "login"}}) as c:
        assert "txtLoginName" in (await c.get("/Login.aspx")).text


async def test_count_mismatch_and_empty_lists() -> None:
    async with client(items=5, faults=["count_mismatch"], fault_args={"count_mismatch": {"delta": 2}}) as c:
        await c.login()
        page = await filtered(c)
        assert count(page)[0] == len(ORDER_CELL.findall(page.text)) + 2 == 7
    async with client(faults=["empty_lists"]) as c:
        await c.login()
        page = await c.get("/Member/MessageList.aspx")
        assert count(page) == (0, 20, 1, 1) and "没有找到相关记录" in page.text


async def test_app_recycle_voids_view_state_made_before_it() -> None:
    async with client(items=60, faults=["app_recycle"], fault_args={"app_recycle": {"after_postbacks": 1}}) as c:
        await c.login()
        first = await filtered(c)
        stale = await c.page("Page$2", page=first)
        assert stale.status_code == 500 and "Validation of viewstate MAC failed" in stale.text
        fresh = await filtered(c)
        assert count(await c.page("Page$2", page=fresh))[2] == 2


async def test_open_orders_and_returns_are_published_to_the_ledger() -> None:
    world = World()
    orders = [{"order_no": "202611260800010001", "pay_type": "货到付款", "paid_at": ""},
              {"order_no": "202611260800020002"}, {"order_no": "202611200800030003", "status": "已发货"}]
    refunds = [{"refund_no": "TK261126000001", "order_no": "202611200000000011"},
               {"refund_no": "TK261126000002", "order_no": "202611200000000012", "status": "买家已退货，待商家收货"},
               {"refund_no": "TK261126000003", "order_no": "202611200000000013", "status": "退款成功"}]
    async with client(world, replace={"orders": orders, "refunds": refunds}):
        ledger = {(o.kind, o.order_no, o.cod) for o in world.orders()}
    assert ledger == {
        (LedgerKind.AWAITING_SHIPMENT, "202611260800010001", True),
        (LedgerKind.AWAITING_SHIPMENT, "202611260800020002", False),
        (LedgerKind.RETURN, "202611200000000011", False),
        (LedgerKind.RETURN, "202611200000000012", False),
    }


def test_a_ticket_idle_longer_than_the_session_lifetime_is_refused() -> None:
    state = SiteState(_env(session_lifetime_s=600))
    value = state.issue_ticket(DEMO_USERNAME)
    assert state.ticket(value) is not None
    state.tickets[value].last_seen -= timedelta(seconds=601)
    assert state.ticket(value) is None and value not in state.tickets
