"""The admin.syt.cn replica: envelope, units, paging, sessions and every fault switch."""

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

from replicas.admin import REPLICA, build
from replicas.admin.state import FAULTS, SiteState
from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
ORDER_NO = re.compile(r"^GW\d{12}(\d{2})?$")
MONEY = re.compile(r"^\d+\.\d{2}$")


def _env(**scenario: Any) -> ReplicaEnv:
    return ReplicaEnv(
        key="admin", scenario=PlatformScenario(**scenario), clock=ReplicaClock(NOW),
        rng=random.Random(7), hosts=HostMap(),
    )


@asynccontextmanager
async def client(**scenario: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = build(_env(**scenario))["admin"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://admin.test") as c:
        yield c


async def login(c: httpx.AsyncClient, user: str = DEMO_USERNAME, password: str = DEMO_PASSWORD,
                **extra: str) -> dict[str, Any]:
    answer = await c.post("/api/login", data={"username": user, "password": password, **extra})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


async def orders(c: httpx.AsyncClient, **params: Any) -> httpx.Response:
    return await c.get("/api/order/list", params=params)


def test_spec_declares_its_faults() -> None:
    assert REPLICA.key == "admin" and REPLICA.main in REPLICA.hosts
    assert set(REPLICA.faults) >= {"session_expired", "challenge_on_login", "account_locked", "empty_lists",
                                   "page_500", "slow", "timeout_page", "markup_drift"}
    assert REPLICA.faults == FAULTS


async def test_pages_without_a_session_redirect_to_login_with_ref() -> None:
    async with client() as c:
        answer = await c.get("/order/index?state=20")
        assert answer.status_code == 302
        assert answer.headers["location"] == "/login?ref=%2Forder%2Findex%3Fstate%3D20"
        assert "PHPSESSID" not in answer.cookies


async def test_api_without_a_session_answers_state_401_login_timeout() -> None:
    async with client() as c:
        answer = await orders(c)
        assert answer.status_code == 200
        assert answer.json() == {"state": 401, "msg": "登录超时，请重新登录", "data": None}


async def test_login_regenerates_the_phpsessid_and_opens_the_dashboard() -> None:
    async with client() as c:
        page = await c.get("/login")
        anonymous = page.cookies["PHPSESSID"]
        assert re.fullmatch(r"[0-9a-f]{26}", anonymous)
        body = await login(c)
        assert body == {"state": 10, "msg": "登录成功", "data": {"url": "/index"}}
        assert c.cookies["PHPSESSID"] != anonymous
        home = await c.get("/index")
        assert home.status_code == 200 and "退出" in home.text and "系统公告" in home.text
        again = await c.get("/index")
        assert "系统公告" not in again.text  # the announcement shows once per session
        assert (await c.get("/login")).headers["location"] == "/index"


async def test_wrong_password_and_extra_accounts() -> None:
    async with client(fault_args={"accounts": {"shop2": "pw-2"}}) as c:
        assert (await login(c, password="nope"))["state"] == 30
        assert (await login(c, password="nope"))["msg"] == "用户名或密码错误"
        assert (await login(c, "shop2", "pw-2"))["state"] == 10
        state = (await c.get("/__replica__/state")).json()
        assert state["logins"] == 1 and state["failed_logins"] == 2


async def test_account_locked_answers_state_40_even_with_the_right_password() -> None:
    async with client(faults=["account_locked"]) as c:
        body = await login(c)
        assert body["state"] == 40 and "锁定" in body["msg"]
        assert (await orders(c)).json()["state"] == 401


async def test_challenge_needs_the_captcha_shown_to_this_browser() -> None:
    async with client(faults=["challenge_on_login"]) as c:
        page = await c.get("/login")
        assert 'data-testid="captcha-img"' in page.text
        image = await c.get("/captcha")
        assert image.headers["content-type"].startswith("image/svg+xml")
        assert (await login(c))["msg"] == "请输入验证码"
        assert (await login(c, captcha="ZZZZ"))["msg"] == "验证码错误"
        code = (await c.get("/__replica__/captcha")).json()["captcha"]
        assert re.fullmatch(r"[A-Z0-9]{4}", code)
        assert (await login(c, captcha=code.lower()))["state"] == 10


async def test_order_list_envelope_units_and_filters() -> None:
    async with client() as c:
        await login(c)
        body = (await orders(c, state="20", pay_type="2", size=50)).json()
        assert body["state"] == 10 and body["msg"] == "ok"
        data = body["data"]
        assert set(data) == {"list", "total", "page", "size"} and data["page"] == 1 and data["size"] == 50
        assert isinstance(data["total"], str) and int(data["total"]) > len(data["list"]) == 50
        for row in data["list"]:
            assert ORDER_NO.match(row["order_no"]) and MONEY.match(row["amount"])
            assert (row["state"], row["state_text"], row["pay_type"], row["pay_type_text"]) == (
                "20", "待发货", "2", "平台收款")
            datetime.strptime(row["created_at"], "%Y-%m-%d %H:%M:%S")
            assert row["items"] and all(i["is_rx"] in ("0", "1") and i["qty"].isdigit() for i in row["items"])
        created = [r["created_at"] for r in data["list"]]
        assert created == sorted(created, reverse=True)


async def test_paging_reaches_the_last_page_at_2000_items_and_size_is_capped_at_200() -> None:
    started = time.monotonic()
    async with client(items=2000) as c:
        assert time.monotonic() - started < 5
        await login(c)
        first = (await orders(c, state="10", size=500)).json()["data"]
        assert first["size"] == 200 and first["total"] == "2000"
        seen: list[str] = []
        for page in range(1, 11):
            rows = (await orders(c, state="10", size=200, page=page)).json()["data"]["list"]
            seen += [r["order_no"] for r in rows]
        assert len(seen) == len(set(seen)) == 2000
        assert (await orders(c, state="10", size=200, page=11)).json()["data"]["list"] == []


async def test_stock_list_gives_available_stock_per_sku() -> None:
    async with client() as c:
        await login(c)
        data = (await c.get("/api/stock/list", params={"size": 200})).json()["data"]
        by_name = {r["name"]: r for r in data["list"]}
        assert int(data["total"]) == len(by_name) >= 20
        assert by_name["三七粉"]["stock"] == "3" and by_name["三七粉"]["syt_sku"].startswith("SYT")
        keyword = (await c.get("/api/stock/list", params={"keyword": "三七"})).json()["data"]
        assert [r["name"] for r in keyword["list"]] == ["三七粉"]


async def test_scenario_adds_merges_and_replaces_records_unchanged() -> None:
    added = {"order_no": "GW261126080000", "amount": "12,5x", "created_at": "昨天", "state": "20"}
    async with client(add={"orders": [added]}, replace={"stock": [{"syt_sku": "SYT1", "stock": "x"}]}) as c:
        await login(c)
        rows = (await orders(c, state="20", pay_type="2", size=200)).json()["data"]["list"]
        row = next(r for r in rows if r["order_no"] == added["order_no"])
        assert row["amount"] == "12,5x" and row["created_at"] == "昨天" and row["carrier"] == "中通快递"
        stock = (await c.get("/api/stock/list")).json()["data"]
        assert stock["list"] == [{"syt_sku": "SYT1", "stock": "x", "name": "", "spec": "", "frozen": "0",
                                  "updated_at": "2026-11-26 09:20:00"}]


async def test_empty_lists_and_the_php_empty_array_quirk() -> None:
    async with client(faults=["empty_lists"]) as c:
        await login(c)
        assert (await orders(c)).json()["data"] == {"list": [], "total": "0", "page": 1, "size": 20}
    async with client(faults=["empty_lists", "php_empty_data"]) as c:
        await login(c)
        assert (await orders(c)).json() == {"state": 10, "msg": "ok", "data": []}


async def test_page_500_hits_only_its_page_and_may_be_transient() -> None:
    faults = {"page_500": {"list": "orders", "page": 2, "times": 1}}
    async with client(faults=["page_500"], fault_args=faults) as c:
        await login(c)
        assert (await orders(c, page=1)).status_code == 200
        broken = await orders(c, page=2)
        assert broken.status_code == 500 and "Internal Server Error" in broken.text
        assert (await orders(c, page=2)).status_code == 200


async def test_timeout_page_hangs_then_answers_504() -> None:
    async with client(faults=["timeout_page"], fault_args={"timeout_page": {"page": 1, "ms": 200}}) as c:
        await login(c)
        started = time.monotonic()
        answer = await orders(c)
        assert answer.status_code == 504 and time.monotonic() - started >= 0.2


async def test_count_mismatch_reports_a_total_the_rows_do_not_reach() -> None:
    async with client(faults=["count_mismatch"], fault_args={"count_mismatch": {"delta": 2}}) as c:
        await login(c)
        data = (await orders(c, state="10", size=200)).json()["data"]
        assert int(data["total"]) == len(data["list"]) + 2


async def test_slow_delays_every_response() -> None:
    async with client(faults=["slow"], fault_args={"slow": {"ms": 150}}) as c:
        started = time.monotonic()
        await c.get("/login")
        assert time.monotonic() - started >= 0.15


async def test_markup_drift_renames_exactly_one_hook() -> None:
    async with client(faults=["markup_drift"], fault_args={"markup_drift": {"what": "order_table"}}) as c:
        await login(c)
        page = (await c.get("/order/index")).text
        assert 'data-testid="order-grid"' in page and "order-table" not in page
        assert "每页条数" in page and ">下一页<" in page


async def test_session_expired_after_n_requests_then_login_is_asked_again() -> None:
    faults = {"session_expired": {"after_requests": 2}}
    async with client(faults=["session_expired"], fault_args=faults) as c:
        await login(c)
        assert (await c.get("/index")).status_code == 200
        assert (await orders(c)).json()["state"] == 10
        assert (await orders(c)).json()["state"] == 401
        assert (await c.get("/index")).headers["location"] == "/login?ref=%2Findex"


async def test_session_expired_default_kills_even_a_fresh_login() -> None:
    async with client(faults=["session_expired"]) as c:
        assert (await login(c))["state"] == 10
        assert (await c.get("/index")).status_code == 302


async def test_replica_expire_forgets_every_logged_in_session() -> None:
    async with client() as c:
        await login(c)
        assert (await c.post("/__replica__/expire")).json() == {"expired": 1}
        assert (await orders(c)).json()["state"] == 401


def test_sessions_die_after_session_lifetime_of_inactivity() -> None:
    state = SiteState(_env(session_lifetime_s=600))
    visitor = state._new()
    code, _, session = state.login(visitor, {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert code == 10 and session is not None
    request = SimpleNamespace(cookies={"PHPSESSID": session.sid})
    assert state.user(request) is session  # type: ignore[arg-type]
    session.last_seen -= timedelta(seconds=601)
    assert state.user(request) is None  # type: ignore[arg-type]
    assert session.sid not in state.sessions


@pytest.mark.parametrize("path", ["/order/detail?order_no=NOPE", "/stock/index"])
async def test_other_pages_render_for_a_logged_in_user(path: str) -> None:
    async with client() as c:
        await login(c)
        answer = await c.get(path)
        assert answer.status_code == 200 and "上元堂电商管理系统" in answer.text
