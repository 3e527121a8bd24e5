"""The 寻医问药 (闻康商城) store-admin replica: login, envelope, units, paging, ledger and every fault."""

from __future__ import annotations

import random
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.common.world import LedgerKind, World
from replicas.xywy import REPLICA, build
from replicas.xywy.state import FAULTS, SiteState

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
ORDER_NO = re.compile(r"^WK\d{18}$")
MONEY = re.compile(r"^\d+\.\d{2}$")
TIME = "%Y-%m-%d %H:%M:%S"


def _env(world: World | None = None, **scenario: Any) -> ReplicaEnv:
    return ReplicaEnv(
        key="xywy", scenario=PlatformScenario(**scenario), clock=ReplicaClock(NOW),
        rng=random.Random(7), hosts=HostMap(), world=world or World(),
    )


@asynccontextmanager
async def client(**scenario: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = build(_env(**scenario))["storeadmin"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://storeadmin.test") as c:
        yield c


async def login(c: httpx.AsyncClient, user: str = DEMO_USERNAME, password: str = DEMO_PASSWORD,
                **extra: str) -> httpx.Response:
    """Open the form (for a session), post it; the answer is the server's redirect."""
    await c.get("/login")
    return await c.post("/login", data={"username": user, "password": password, "redirect": "", **extra})


async def login_error(c: httpx.AsyncClient, **kw: str) -> str:
    answer = await login(c, **kw)
    assert answer.status_code == 302 and answer.headers["location"].startswith("/login?")
    page = (await c.get(answer.headers["location"])).text
    found = re.search(r'role="alert">([^<]*)<', page)
    assert found is not None
    return found.group(1)


async def page_of(c: httpx.AsyncClient, api: str, **params: Any) -> dict[str, Any]:
    answer = await c.get(f"/api/{api}/page", params=params)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def test_spec_declares_its_faults() -> None:
    assert REPLICA.key == "xywy" and REPLICA.main in REPLICA.hosts
    assert set(REPLICA.faults) >= {"session_expired", "challenge_on_login", "account_locked", "empty_lists",
                                   "page_500", "slow", "timeout_page", "markup_drift", "count_mismatch"}
    assert REPLICA.faults == FAULTS


# -- sessions and login --------------------------------------------------------------------------


async def test_pages_without_a_session_redirect_to_login_with_the_target() -> None:
    async with client() as c:
        answer = await c.get("/order/list?status=1&page=2")
        assert answer.status_code == 302
        assert answer.headers["location"] == "/login?redirect=%2Forder%2Flist%3Fstatus%3D1%26page%3D2"


async def test_api_without_a_session_answers_code_401_with_http_200() -> None:
    async with client() as c:
        assert await page_of(c, "order") == {"code": 401, "msg": "登录状态已过期，请重新登录", "data": None}


async def test_login_renews_the_jsessionid_remembers_the_device_and_opens_the_dashboard() -> None:
    async with client() as c:
        form = await c.get("/login")
        anonymous = form.cookies["JSESSIONID"]
        assert 'name="captcha"' not in form.text  # a known device logs in without a captcha
        answer = await c.post("/login", data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD,
                                              "redirect": "/refund/list"})
        assert answer.status_code == 302 and answer.headers["location"] == "/refund/list"
        assert c.cookies["JSESSIONID"] != anonymous and re.fullmatch(r"[0-9A-F]{32}", c.cookies["JSESSIONID"])
        assert c.cookies["WKSC_DID"]
        home = await c.get("/index")
        assert home.status_code == 200 and "退出登录" in home.text and "平台公告" in home.text
        assert "平台公告" not in (await c.get("/index")).text  # the announcement shows once per session
        assert (await c.get("/login")).headers["location"] == "/index"


async def test_counters_on_the_dashboard_match_the_list_totals() -> None:
    async with client() as c:
        await login(c)
        html = (await c.get("/index")).text
        cards = dict((label, int(n)) for n, label in re.findall(r"<b>(\d+)</b><span>([^<]+)</span>", html))
        assert cards["待发货"] == (await page_of(c, "order", status=1))["data"]["total"] > 0
        assert cards["退款中"] == (await page_of(c, "refund", status="processing"))["data"]["total"] > 0
        assert cards["未回复咨询"] == (await page_of(c, "consult", replyStatus=0))["data"]["total"] > 0


async def test_a_wrong_password_is_refused_and_brings_the_captcha() -> None:
    async with client(fault_args={"accounts": {"shop2": "pw-2"}}) as c:
        assert await login_error(c, password="nope") == "账号或密码错误"
        form = (await c.get("/login")).text
        assert 'data-testid="captcha-img"' in form and "账号或密码错误" not in form  # the message shows once
        assert await login_error(c, user="shop2", password="pw-2") == "请输入验证码"
        state = (await c.get("/__replica__/state")).json()
        assert state["logins"] == 0 and state["failed_logins"] == 1


async def test_account_locked_refuses_even_the_right_password() -> None:
    async with client(faults=["account_locked"]) as c:
        assert "账号已被锁定" in await login_error(c)
        assert (await page_of(c, "order"))["code"] == 401


async def test_challenge_needs_the_captcha_shown_to_this_browser() -> None:
    async with client(faults=["challenge_on_login"]) as c:
        form = await c.get("/login")
        assert 'data-testid="captcha-img"' in form.text and 'for="captcha">验证码<' in form.text
        image = await c.get("/captcha.svg")
        assert image.headers["content-type"].startswith("image/svg+xml") and "<text" in image.text
        assert await login_error(c) == "请输入验证码"
        assert await login_error(c, captcha="ZZZZ") == "验证码错误，请重新输入"
        await c.get("/login")
        code = (await c.get("/__replica__/captcha")).json()["captcha"]
        assert re.fullmatch(r"[A-Z0-9]{4}", code)
        answer = await c.post("/login", data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD,
                                              "captcha": code.lower()})
        assert answer.headers["location"] == "/index"


async def test_an_unknown_device_needs_the_captcha_once_then_is_remembered() -> None:
    async with client(known_device=False) as c:
        assert 'name="captcha"' in (await c.get("/login")).text
        code = (await c.get("/__replica__/captcha")).json()["captcha"]
        answer = await c.post("/login", data={"username": DEMO_USERNAME, "password": DEMO_PASSWORD,
                                              "captcha": code})
        assert answer.headers["location"] == "/index"
        await c.get("/logout")
        assert 'name="captcha"' not in (await c.get("/login")).text
        assert (await login(c)).headers["location"] == "/index"


# -- lists -----------------------------------------------------------------------------------------


async def test_order_page_envelope_units_and_status_filter() -> None:
    async with client() as c:
        await login(c)
        body = await page_of(c, "order", status=1, pageNum=1, pageSize=20)
        assert body["code"] == 200 and body["msg"] == "操作成功"
        data = body["data"]
        assert set(data) == {"records", "total", "size", "current", "pages"}
        assert (data["size"], data["current"], data["total"]) == (20, 1, 30) and data["pages"] == 2
        for row in data["records"]:
            assert ORDER_NO.match(row["orderSn"]) and MONEY.match(row["totalAmount"])
            assert (row["orderStatus"], row["orderStatusName"]) == (1, "待发货")
            assert (row["payType"], row["payTypeName"]) in ((1, "在线支付"), (2, "货到付款"))
            promise = datetime.strptime(row["promiseShipTime"], TIME)
            paid = datetime.strptime(row["payTime"] or row["createTime"], TIME)
            assert promise - paid == timedelta(hours=48)
            assert re.fullmatch(r"138\*{4}\d{4}", row["receiverPhone"])
        created = [r["createTime"] for r in data["records"]]
        assert created == sorted(created, reverse=True)


async def test_to_ship_deadlines_cover_overdue_due_soon_and_comfortable() -> None:
    async with client() as c:
        await login(c)
        rows = (await page_of(c, "order", status=1, pageSize=100))["data"]["records"]
        now = NOW.replace(tzinfo=None)
        left = [datetime.strptime(r["promiseShipTime"], TIME) - now for r in rows]
        assert any(x < timedelta(0) for x in left)
        assert any(timedelta(0) < x < timedelta(hours=12) for x in left)
        assert any(x > timedelta(hours=12) for x in left)
        assert any(r["payType"] == 2 and r["payTime"] == "" for r in rows)


async def test_paging_reaches_the_last_page_and_the_size_is_capped_at_100() -> None:
    started = time.monotonic()
    async with client(items=1000) as c:
        assert time.monotonic() - started < 5
        await login(c)
        first = (await page_of(c, "order", status=1, pageSize=500))["data"]
        assert (first["size"], first["total"], first["pages"]) == (100, 1000, 10)
        seen: list[str] = []
        for number in range(1, 11):
            seen += [r["orderSn"] for r in (await page_of(c, "order", status=1, pageSize=100,
                                                           pageNum=number))["data"]["records"]]
        assert len(seen) == len(set(seen)) == 1000
        assert (await page_of(c, "order", status=1, pageSize=100, pageNum=11))["data"]["records"] == []


async def test_refund_tabs_and_the_countdown_in_seconds() -> None:
    async with client() as c:
        await login(c)
        rows = (await page_of(c, "refund", status="processing", pageSize=100))["data"]["records"]
        assert {r["refundStatus"] for r in rows} == {1, 2, 3}
        for row in rows:
            deadline = datetime.strptime(row["handleDeadline"], TIME)
            assert abs((deadline - NOW.replace(tzinfo=None)).total_seconds() - row["remainSeconds"]) < 5
            assert row["refundStatusName"].endswith(("待商家处理", "待买家退货", "待商家收货"))
        closed = (await page_of(c, "refund", status="closed", pageSize=100))["data"]["records"]
        assert {r["refundStatus"] for r in closed} <= {5, 6} and all(r["remainSeconds"] is None for r in closed)


async def test_consult_tabs_split_unanswered_from_answered() -> None:
    async with client() as c:
        await login(c)
        waiting = (await page_of(c, "consult", replyStatus=0, pageSize=100))["data"]["records"]
        answered = (await page_of(c, "consult", replyStatus=1, pageSize=100))["data"]["records"]
        assert waiting and all(r["replyStatusName"] == "未回复" and r["replyContent"] == "" for r in waiting)
        assert answered and all(r["replyContent"] for r in answered)


def test_the_ledger_lists_every_order_to_ship_and_every_return_waiting_for_the_shop() -> None:
    world = World()
    build(_env(world))
    ledger = world.orders()
    waiting = [o for o in ledger if o.kind is LedgerKind.AWAITING_SHIPMENT]
    returns = [o for o in ledger if o.kind is LedgerKind.RETURN]
    assert len(waiting) == 30 and any(o.cod for o in waiting) and all(o.platform == "xywy" for o in ledger)
    assert all(ORDER_NO.match(o.order_no) and o.items for o in ledger)
    assert 0 < len(returns) < 15 and not any(o.cod for o in returns)


async def test_scenario_replaces_and_adds_records_unchanged_with_defaults() -> None:
    odd = {"orderSn": "WK1", "totalAmount": "12,5x", "promiseShipTime": "明天"}
    refund = {"refundSn": "TK1", "orderSn": "WK1", "refundStatus": 3, "remainSeconds": 60}
    async with client(replace={"orders": [odd]}, add={"refunds": [refund]}) as c:
        await login(c)
        (row,) = (await page_of(c, "order", status=1))["data"]["records"]
        assert row["totalAmount"] == "12,5x" and row["promiseShipTime"] == "明天"
        assert row["orderStatusName"] == "待发货" and row["goodsList"] == []
        rows = (await page_of(c, "refund", status="processing", pageSize=100))["data"]["records"]
        added = next(r for r in rows if r["refundSn"] == "TK1")
        assert added["remainSeconds"] == 60 and added["refundStatusName"] == "仅退款，待商家收货"


async def test_empty_lists_empties_every_list() -> None:
    async with client(faults=["empty_lists"]) as c:
        await login(c)
        for api, params in (("order", {"status": 1}), ("refund", {"status": "processing"}),
                            ("consult", {"replyStatus": 0})):
            data = (await page_of(c, api, **params))["data"]
            assert data == {"records": [], "total": 0, "size": 10, "current": 1, "pages": 0}


# -- faults ----------------------------------------------------------------------------------------


async def test_page_500_is_spring_boots_error_body_on_its_page_only() -> None:
    faults = {"page_500": {"list": "refunds", "page": 2, "times": 1}}
    async with client(faults=["page_500"], fault_args=faults) as c:
        await login(c)
        assert (await c.get("/api/refund/page", params={"pageNum": 1})).status_code == 200
        broken = await c.get("/api/refund/page", params={"pageNum": 2})
        assert broken.status_code == 500 and broken.json()["error"] == "Internal Server Error"
        assert (await c.get("/api/refund/page", params={"pageNum": 2})).status_code == 200


async def test_system_busy_is_code_500_with_http_200() -> None:
    async with client(faults=["system_busy"], fault_args={"system_busy": {"list": "consults"}}) as c:
        await login(c)
        assert await page_of(c, "consult") == {"code": 500, "msg": "系统繁忙，请稍后再试", "data": None}
        assert (await page_of(c, "order"))["code"] == 200


async def test_timeout_page_hangs_then_answers_504() -> None:
    async with client(faults=["timeout_page"], fault_args={"timeout_page": {"ms": 200}}) as c:
        await login(c)
        started = time.monotonic()
        answer = await c.get("/api/order/page")
        assert answer.status_code == 504 and time.monotonic() - started >= 0.2


@pytest.mark.parametrize(("where", "total_delta", "counter_delta"), [("total", 2, 0), ("counter", 0, 2)])
async def test_count_mismatch_skews_the_total_or_the_dashboard_counter(
    where: str, total_delta: int, counter_delta: int
) -> None:
    faults = {"count_mismatch": {"delta": 2, "where": where}}
    async with client(faults=["count_mismatch"], fault_args=faults) as c:
        await login(c)
        data = (await page_of(c, "order", status=1, pageSize=100))["data"]
        assert data["total"] == len(data["records"]) + total_delta
        html = (await c.get("/index")).text
        assert f"<b>{len(data['records']) + counter_delta}</b><span>待发货</span>" in html


async def test_slow_delays_every_response() -> None:
    async with client(faults=["slow"], fault_args={"slow": {"ms": 150}}) as c:
        started = time.monotonic()
        await c.get("/login")
        assert time.monotonic() - started >= 0.15


async def test_markup_drift_renames_exactly_one_hook() -> None:
    async with client(faults=["markup_drift"], fault_args={"markup_drift": {"what": "order_table"}}) as c:
        await login(c)
        page = (await c.get("/order/list?status=1")).text
        assert 'data-testid="order-grid"' in page and "order-table" not in page
        assert "每页显示" in page and ">下一页<" in page


async def test_session_expired_after_n_requests_then_login_is_asked_again() -> None:
    async with client(faults=["session_expired"], fault_args={"session_expired": {"after_requests": 2}}) as c:
        await login(c)
        assert (await c.get("/index")).status_code == 200
        assert (await page_of(c, "order"))["code"] == 200
        assert (await page_of(c, "order"))["code"] == 401
        assert (await c.get("/index")).headers["location"] == "/login?redirect=%2Findex"


async def test_session_expired_default_kills_even_a_fresh_login() -> None:
    async with client(faults=["session_expired"]) as c:
        assert (await login(c)).headers["location"] == "/index"
        assert (await c.get("/index")).status_code == 302


async def test_replica_expire_forgets_every_logged_in_session() -> None:
    async with client() as c:
        await login(c)
        assert (await c.post("/__replica__/expire")).json() == {"expired": 1}
        assert (await page_of(c, "order"))["code"] == 401


def test_sessions_die_after_session_lifetime_of_inactivity() -> None:
    state = SiteState(_env(session_lifetime_s=600))
    visitor, _ = state.visitor(SimpleNamespace(cookies={}))  # type: ignore[arg-type]
    error, session = state.login(visitor, {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, "")
    assert error == "" and session is not None
    request = SimpleNamespace(cookies={"JSESSIONID": session.sid})
    assert state.user(request) is session  # type: ignore[arg-type]
    session.last_seen -= timedelta(seconds=601)
    assert state.user(request) is None  # type: ignore[arg-type]
    assert session.sid not in state.sessions


async def test_detail_pages_render_and_escape_scraped_text() -> None:
    memo = {"orderSn": "WK1", "buyerRemark": "<script>alert(1)</script>"}
    async with client(add={"orders": [memo]}) as c:
        await login(c)
        order = (await c.get("/order/detail", params={"orderSn": "WK1"})).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in order and "<script>alert" not in order
        assert "记录不存在" in (await c.get("/refund/detail", params={"refundSn": "NOPE"})).text
        consult = (await page_of(c, "consult", replyStatus=0))["data"]["records"][0]
        page = (await c.get("/consult/detail", params={"consultSn": consult["consultSn"]})).text
        assert consult["content"] in page
