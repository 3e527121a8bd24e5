"""The PDD (mms) replica: envelope, login variants, sessions, paging, units, deadlines, faults."""

from __future__ import annotations

import base64
import random
import re
import time
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from replicas import available
from replicas.common.clock import SHANGHAI, ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.pdd import REPLICA, build
from replicas.pdd.state import PddState

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 26, 9, 20, tzinfo=SHANGHAI)
NOW = int(START.timestamp())
AC = {"Anti-Content": "0aptest"}
ORDERS = "/mangkhut/mms/recentOrderList"
AFTERSALES = "/mercury/mms/afterSales/queryList"
WORK = "/strickland/sop/mms/todoList"
RX = "/mangkhut/mms/prescription/list"
SN = re.compile(r"^\d{6}-\d{15}$")


class Replica:
    def __init__(self, client: httpx.AsyncClient, state: PddState) -> None:
        self.c = client
        self.state = state

    async def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        resp = await self.c.post(path, json=body or {}, headers=AC)
        assert resp.status_code == 200, resp.text
        data: dict[str, Any] = resp.json()
        assert set(data) == {"success", "errorCode", "errorMsg", "result"}
        return data

    async def login(self, username: str = DEMO_USERNAME, password: str = DEMO_PASSWORD,
                    **extra: Any) -> dict[str, Any]:
        return await self.post("/janus/api/auth", {"username": username, "password": password, **extra})

    async def page(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = await self.post(path, body)
        assert data["success"], data
        result: dict[str, Any] = data["result"]
        return result

    async def read_all(self, path: str, size: int, **body: Any) -> list[dict[str, Any]]:
        items_key = "pageItems" if path == ORDERS else "list"
        out: list[dict[str, Any]] = []
        number = 1
        while True:
            result = await self.page(path, {"pageNumber": number, "pageSize": size, **body})
            out += result[items_key]
            if not result[items_key]:
                return out
            number += 1


@asynccontextmanager
async def replica(login: bool = True, **scenario: Any) -> AsyncIterator[Replica]:
    env = ReplicaEnv(
        key="pdd",
        scenario=PlatformScenario.model_validate(scenario),
        clock=ReplicaClock(START),
        rng=random.Random(1),
        hosts=HostMap({"mms": "http://testserver"}),
    )
    app = build(env)["mms"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        r = Replica(client, app.state.pdd)  # type: ignore[attr-defined]
        if login:
            assert (await r.login())["success"]
        yield r


# -- spec, envelope ----------------------------------------------------------------------------

def test_spec_is_discovered() -> None:
    assert available()["pdd"] is REPLICA
    assert REPLICA.hosts == ("mms",) and REPLICA.main == "mms"
    assert {"account_locked", "challenge_on_login", "session_expired", "counter_mismatch", "aftersale_onboarding",
            "empty_lists", "page_500", "slow", "timeout_page", "markup_drift", "list_shift",
            "date_format"} == set(REPLICA.faults)


async def test_envelope_and_anti_content_refusal() -> None:
    async with replica() as r:
        bare = await r.c.post(ORDERS, json={"pageNumber": 1})
        assert bare.status_code == 200
        assert bare.json() == {"success": False, "errorCode": 54001, "errorMsg": "请求异常，请刷新后重试",
                               "result": None}
        blank = await r.c.post(ORDERS, json={}, headers={"Anti-Content": "  "})
        assert blank.json()["errorCode"] == 54001
        ok = await r.post(ORDERS, {"pageNumber": 1})
        assert ok["success"] is True and ok["errorCode"] == 1000000 and ok["errorMsg"] == ""
        assert (await r.c.get(ORDERS, headers=AC)).status_code == 405
        login_refused = await r.c.post("/janus/api/auth", json={"username": DEMO_USERNAME})
        assert login_refused.json()["errorCode"] == 54001


# -- login ---------------------------------------------------------------------------------

async def test_login_sets_session_cookies() -> None:
    async with replica(login=False) as r:
        assert (await r.page("/janus/api/checkLogin"))["login"] is False
        encrypted = base64.b64encode(DEMO_PASSWORD.encode()).decode()
        resp = await r.c.post("/janus/api/auth", headers=AC, json={
            "username": DEMO_USERNAME, "password": encrypted, "passwordEncrypt": True, "verificationCode": "",
            "mobileVerifyCode": "", "sign": "", "touchevent": {}, "fingerprint": {}, "timestamp": 1,
            "crawlerInfo": "x"})
        assert resp.json()["success"] is True
        cookies = {h.split("=", 1)[0]: h for h in resp.headers.get_list("set-cookie")}
        assert {"PASS_ID", "api_uid", "_nano_fp", "JSESSIONID"} <= set(cookies)
        assert "HttpOnly" in cookies["PASS_ID"] and "Path=/" in cookies["PASS_ID"]
        assert (await r.page("/janus/api/checkLogin"))["login"] is True
        assert (await r.page("/janus/api/new/userinfo"))["username"] == DEMO_USERNAME
        await r.post("/janus/api/logout")
        assert (await r.page("/janus/api/checkLogin"))["login"] is False


async def test_wrong_password_is_refused() -> None:
    async with replica(login=False) as r:
        data = await r.login(password="nope")
        assert data["success"] is False and data["errorMsg"] == "账号或密码错误"
        assert "PASS_ID" not in r.c.cookies
        assert (await r.login(username="someone-else"))["errorMsg"] == "账号或密码错误"


async def test_second_account_from_fault_args() -> None:
    async with replica(login=False, fault_args={"accounts": {"shop-b": "pw-b"}}) as r:
        assert (await r.login("shop-b", "pw-b"))["success"]
        assert (await r.page("/janus/api/new/userinfo"))["username"] == "shop-b"
        assert (await r.login("shop-b", DEMO_PASSWORD))["errorMsg"] == "账号或密码错误"
        assert (await r.login())["success"]


async def test_account_locked() -> None:
    async with replica(login=False, faults=["account_locked"]) as r:
        data = await r.login()
        assert data["success"] is False and "盗号风险" in data["errorMsg"] and "账号异常" in data["errorMsg"]
        assert data["result"]["buttons"] == ["修改密码", "我知道了"]
        assert "PASS_ID" not in r.c.cookies
        assert (await r.login(password="x"))["errorMsg"] == "账号或密码错误"


async def test_slider_challenge() -> None:
    async with replica(login=False, faults=["challenge_on_login"]) as r:
        asked = await r.login()
        assert asked["success"] is False and asked["result"]["verifyType"] == "slider"
        assert asked["result"]["timeoutS"] == 120
        cid = asked["result"]["challengeId"]
        short = await r.post("/janus/api/captcha/verify",
                             {"challengeId": cid, "distance": 100, "trackWidth": 260, "track": [[1], [2], [3]]})
        assert short["success"] is False
        no_track = await r.post("/janus/api/captcha/verify", {"challengeId": cid, "distance": 250, "trackWidth": 260})
        assert no_track["success"] is False
        solved = await r.page("/janus/api/captcha/verify",
                              {"challengeId": cid, "distance": 250, "trackWidth": 260, "track": [[0], [100], [250]]})
        token = solved["verificationCode"]
        assert (await r.login(verificationCode=token))["success"]
        again = await r.login(verificationCode=token)  # a token works once
        assert again["result"]["needVerify"] is True


async def test_slider_challenge_times_out() -> None:
    scenario: dict[str, Any] = {"faults": ["challenge_on_login"], "fault_args": {"challenge_on_login": {"timeout_s": 0}}}
    async with replica(login=False, **scenario) as r:
        cid = (await r.login())["result"]["challengeId"]
        late = await r.post("/janus/api/captcha/verify",
                            {"challengeId": cid, "distance": 250, "trackWidth": 260, "track": [[0], [1], [250]]})
        assert late["success"] is False and late["errorMsg"] == "验证时间过长，请重试"


async def test_sms_step_on_new_device() -> None:
    async with replica(login=False, known_device=False) as r:
        early = await r.post("/janus/api/user/getLoginVerificationCode", {"username": DEMO_USERNAME})
        assert early["success"] is False  # only after the password was accepted
        asked = await r.login()
        assert asked["success"] is False and asked["result"]["needSmsVerify"] is True
        assert re.fullmatch(r"1\d\d\*{4}\d{4}", asked["result"]["mobile"])
        assert (await r.post("/janus/api/user/getLoginVerificationCode", {"username": DEMO_USERNAME}))["success"]
        outbox = (await r.c.get("/__replica__/sms")).json()
        assert outbox[-1]["username"] == DEMO_USERNAME and re.fullmatch(r"\d{6}", outbox[-1]["code"])
        assert abs(outbox[-1]["at"] - NOW) < 600
        code = outbox[-1]["code"]
        wrong = await r.login(mobileVerifyCode="000000" if code != "000000" else "111111")
        assert wrong["success"] is False and "PASS_ID" not in r.c.cookies
        assert (await r.login(mobileVerifyCode=code))["success"]
        assert (await r.login(mobileVerifyCode=code))["success"] is False  # used up


async def test_qr_login() -> None:
    async with replica(login=False) as r:
        token = (await r.page("/janus/api/qrcode/gen"))["qrToken"]
        assert (await r.page("/janus/api/qrcode/query", {"qrToken": token}))["status"] == 0
        assert (await r.c.post("/__replica__/qr/scan")).json()["qrToken"] == token
        assert (await r.page("/janus/api/qrcode/query", {"qrToken": token}))["status"] == 1
        assert (await r.page("/janus/api/checkLogin"))["login"] is False  # scanned is not logged in
        await r.c.post("/__replica__/qr/confirm")
        assert (await r.page("/janus/api/qrcode/query", {"qrToken": token}))["status"] == 2
        assert (await r.page("/janus/api/new/userinfo"))["username"] == DEMO_USERNAME


# -- sessions ------------------------------------------------------------------------------

async def test_logged_out_page_redirects_with_redirect_url() -> None:
    async with replica(login=False) as r:
        resp = await r.c.get("/orders/list?tab=1&msfrom=mms_sidenav")
        assert resp.status_code == 302
        assert resp.headers["location"] == "/login/?redirectUrl=" + quote("/orders/list?tab=1&msfrom=mms_sidenav",
                                                                          safe="")
        final = await r.c.get("/orders/list?tab=1", follow_redirects=True)
        assert final.status_code == 200 and 'id="usernameId"' in final.text
        assert str(final.url).startswith("http://testserver/login/?redirectUrl=%2Forders%2Flist")


async def test_expired_session_on_pages_and_apis() -> None:
    async with replica() as r:
        assert (await r.c.get("/home/")).status_code == 200
        assert (await r.c.post("/__replica__/expire")).json()["expired"] == 1
        data = await r.post(ORDERS, {"pageNumber": 1})
        assert data == {"success": False, "errorCode": 43001, "errorMsg": "会话已过期，请重新登录", "result": None}
        assert (await r.c.get("/aftersales/aftersale_list")).status_code == 302
        assert (await r.page("/janus/api/checkLogin"))["login"] is False


async def test_session_lifetime() -> None:
    async with replica(session_lifetime_s=60) as r:
        assert (await r.post(ORDERS))["success"]
        for session in r.state.sessions.values():
            session.created_at -= 61  # as if a minute had passed
        assert (await r.post(ORDERS))["errorCode"] == 43001


async def test_session_expired_fault_after_requests() -> None:
    scenario: dict[str, Any] = {"faults": ["session_expired"], "fault_args": {"session_expired": {"after_requests": 2}}}
    async with replica(**scenario) as r:
        assert (await r.post(ORDERS))["success"]
        assert (await r.post("/janus/api/home/todoCount"))["success"]
        assert (await r.post(ORDERS))["errorCode"] == 43001
        assert (await r.c.get("/home/")).status_code == 302
    async with replica(faults=["session_expired"]) as r:  # default 0: dead at once
        assert (await r.post(ORDERS))["errorCode"] == 43001
        assert (await r.c.get("/orders/list")).status_code == 302


async def test_login_page_when_logged_in_goes_on_safely() -> None:
    async with replica() as r:
        inner = await r.c.get("/login/?redirectUrl=%2Forders%2Fmedicine")
        assert inner.status_code == 302 and inner.headers["location"] == "/orders/medicine"
        outer = await r.c.get("/login/?redirectUrl=https%3A%2F%2Fevil.example%2F")
        assert outer.headers["location"] == "/home/"


async def test_announcement_once_per_session() -> None:
    async with replica() as r:
        first = (await r.c.get("/home/")).text
        assert "重要公告" in first and 'data-testid="beast-core-modal"' in first and "我知道了" in first
        assert "side-nav" in first and "__msfe__side-nav" in first
        assert "重要公告" not in (await r.c.get("/home/")).text
        await r.login()
        assert "重要公告" in (await r.c.get("/home/")).text


# -- paging and units ------------------------------------------------------------------------

async def test_order_paging_and_clamping() -> None:
    async with replica() as r:
        sizes = []
        for number in (1, 2, 3, 4):
            result = await r.page(ORDERS, {"pageNumber": number, "pageSize": 20})
            assert result["totalItemNum"] == 45
            sizes.append(len(result["pageItems"]))
        assert sizes == [20, 20, 5, 0]
        assert len((await r.page(ORDERS, {"pageNumber": 1, "pageSize": 500}))["pageItems"]) == 45
        assert len((await r.page(ORDERS, {"pageNumber": 1, "pageSize": 30}))["pageItems"]) == 30
        assert len((await r.page(ORDERS, {"pageNumber": 1}))["pageItems"]) == 20
        assert len((await r.page(ORDERS, {"pageNumber": 1, "pageSize": 0}))["pageItems"]) == 20
        orders = await r.read_all(ORDERS, 20)
        assert len({o["order_sn"] for o in orders}) == 45
        assert all(SN.match(o["order_sn"]) for o in orders)


async def test_page_size_limits_per_list() -> None:
    async with replica(items=120) as r:
        assert len((await r.page(AFTERSALES, {"pageNumber": 1, "pageSize": 1000}))["list"]) == 100
        assert len((await r.page(ORDERS, {"pageNumber": 1, "pageSize": 1000}))["pageItems"]) == 50
        assert len((await r.page(WORK, {"pageNumber": 1, "pageSize": 1000}))["list"]) == 50
        assert len((await r.page(RX, {"pageNumber": 1, "pageSize": 1000, "status": -1}))["list"]) == 50
        assert (await r.page(AFTERSALES, {"pageNumber": 2, "pageSize": 100}))["total"] == 120


async def test_money_in_fen_and_time_units() -> None:
    async with replica() as r:
        for o in await r.read_all(ORDERS, 50):
            for key in ("order_amount", "goods_amount", "shipping_amount"):
                assert isinstance(o[key], int)
            assert o["order_amount"] == (o["goods_amount"] + o["shipping_amount"] - o["merchant_discount"]
                                         - o["platform_discount"])
            for key in ("created_at", "order_time", "confirm_time", "promise_shipping_time"):
                assert 10**9 < o[key] < 10**10  # seconds
            assert o["order_status"] == 1 and o["order_status_str"] == "待发货" and o["tracking_number"] == ""
            assert re.fullmatch(r"1\d\d\*{4}\d{4}", o["receive_mobile"])
        cases = await r.read_all(AFTERSALES, 100)
        for c in cases:
            assert isinstance(c["refundAmount"], int) and isinstance(c["orderAmount"], int)
            assert 10**9 < c["createdAt"] < 10**10
            assert c["closeTime"] == 0 or 10**12 < c["closeTime"] < 10**13  # milliseconds
        assert any(c["closeTime"] > 0 for c in cases)
        assert not any(k.startswith("_") for c in cases for k in c)


async def test_order_deadlines_relative_to_clock() -> None:
    async with replica() as r:
        left = [o["promise_shipping_time"] - NOW for o in await r.read_all(ORDERS, 50)]
        overdue = [s for s in left if s < 0]
        soon = [s for s in left if 0 <= s <= 12 * 3600]
        comfortable = [s for s in left if 12 * 3600 < s <= 48 * 3600]
        assert len(overdue) == 9 and len(soon) == 11 and len(comfortable) == 25
        assert all(s > -24 * 3600 for s in overdue)
        orders = await r.read_all(ORDERS, 50)
        assert any(o["risk_status"] == 1 for o in orders) and any(o["buyer_memo"] for o in orders)
        assert any(not o["buyer_memo"] for o in orders)


async def test_aftersale_deadlines() -> None:
    async with replica() as r:
        cases = await r.read_all(AFTERSALES, 100)
        waiting = [c for c in cases if "待商家" in c["afterSalesTitle"]]
        others = [c for c in cases if "待商家" not in c["afterSalesTitle"]]
        assert len(waiting) == 30 and others
        assert all(c["expireRemainTime"] is None for c in others)
        remain = [c["expireRemainTime"] for c in waiting]
        assert all(isinstance(s, int) and 0 < s <= 7 * 86400 for s in remain)
        assert 2 <= sum(s <= 2 * 3600 for s in remain) <= 4
        assert sum(s <= 86400 for s in remain) == 8  # ~25 %
        assert all(c["expireActionDesc"] == "系统将自动退款" for c in waiting)
        assert {c["afterSalesTypeName"] for c in cases} == {"仅退款", "退货退款"}
        assert {"退款成功", "已撤销", "已同意退货退款，待用户发货"} & {c["afterSalesTitle"] for c in others}


async def test_work_orders_and_prescriptions() -> None:
    async with replica() as r:
        work = await r.read_all(WORK, 50)
        assert len(work) == 8
        assert {w["statusStr"] for w in work} <= {"待处理", "处理中", "已完结"}
        assert any(w["status"] == 1 and w["expireTime"] - NOW <= 86400 for w in work)
        pending = await r.read_all(WORK, 50, status=1)
        assert pending and all(w["status"] == 1 for w in pending)
        rx = await r.read_all(RX, 50, status=-1)
        assert len(rx) == 12
        todo = await r.read_all(RX, 50, status=0)
        assert len(todo) > 6 and all(p["statusStr"] == "待审核" for p in todo)
        assert all(SN.match(p["orderSn"]) and p["patientName"] for p in rx)


# -- counters ------------------------------------------------------------------------------

async def _list_counts(r: Replica) -> dict[str, int]:
    orders = await r.read_all(ORDERS, 50, orderType=1)
    cases = await r.read_all(AFTERSALES, 100)
    waiting = [c for c in cases if "待商家" in c["afterSalesTitle"]]
    return {
        "waitShipNum": len(orders),
        "unShip12H": sum(0 <= o["promise_shipping_time"] - NOW <= 12 * 3600 for o in orders),
        "pendingOrder": len(await r.read_all(WORK, 50, status=1)),
        "totalWaitHandleCount": len(waiting),
        "expireEarlyWarningCount": sum(c["expireRemainTime"] <= 86400 for c in waiting),
    }


def _home_counts(result: dict[str, Any]) -> dict[str, int]:
    keys = ("waitShipNum", "unShip12H", "pendingOrder")
    return {**{k: result[k] for k in keys}, **result["aftersalesNew"]}


async def test_home_counters_match_the_lists() -> None:
    async with replica() as r:
        counts = await r.page("/janus/api/home/todoCount")
        assert _home_counts(counts) == await _list_counts(r)
        assert counts["unPrint"] <= counts["waitShipNum"] and counts["waitPayNum"] >= 0
        assert "waitFinishNum" in counts


async def test_counter_mismatch() -> None:
    async with replica(faults=["counter_mismatch"]) as r:
        home = _home_counts(await r.page("/janus/api/home/todoCount"))
        lists = await _list_counts(r)
        assert home["waitShipNum"] == lists["waitShipNum"] + 3
        assert home["totalWaitHandleCount"] == lists["totalWaitHandleCount"] + 2
        assert home["unShip12H"] == lists["unShip12H"]


# -- faults --------------------------------------------------------------------------------

async def test_empty_lists() -> None:
    async with replica(faults=["empty_lists"]) as r:
        assert (await r.page(ORDERS))["totalItemNum"] == 0
        for path in (AFTERSALES, WORK, RX):
            assert (await r.page(path))["total"] == 0
        counts = await r.page("/janus/api/home/todoCount")
        assert all(counts[k] == 0 for k in ("waitPayNum", "unPrint", "waitShipNum", "waitFinishNum", "unShip12H",
                                            "pendingOrder"))
        assert counts["aftersalesNew"] == {"totalWaitHandleCount": 0, "expireEarlyWarningCount": 0}


async def test_page_500() -> None:
    scenario: dict[str, Any] = {"faults": ["page_500"], "fault_args": {"page_500": {"list": "aftersales", "page": 2, "times": 1}}}
    async with replica(**scenario) as r:
        assert (await r.post(AFTERSALES, {"pageNumber": 1}))["success"]
        broken = await r.c.post(AFTERSALES, json={"pageNumber": 2}, headers=AC)
        assert broken.status_code == 500 and broken.headers["content-type"].startswith("text/html")
        assert (await r.post(AFTERSALES, {"pageNumber": 2}))["success"]  # times = 1
        assert (await r.post(ORDERS, {"pageNumber": 2}))["success"]
    async with replica(faults=["page_500"]) as r:  # defaults: orders, page 2, every time
        for _ in range(2):
            assert (await r.c.post(ORDERS, json={"pageNumber": 2}, headers=AC)).status_code == 500


async def test_slow_lists() -> None:
    async with replica(faults=["slow"], fault_args={"slow": {"ms": 150}}) as r:
        started = time.monotonic()
        assert (await r.post(WORK))["success"]
        assert time.monotonic() - started >= 0.15
        started = time.monotonic()
        assert (await r.post("/janus/api/checkLogin"))["success"]
        assert time.monotonic() - started < 0.15


async def test_timeout_page() -> None:
    args: dict[str, Any] = {"list": "prescriptions", "page": 1, "hold_s": 0.2}
    async with replica(faults=["timeout_page"], fault_args={"timeout_page": args}) as r:
        started = time.monotonic()
        held = await r.c.post(RX, json={"pageNumber": 1, "status": -1}, headers=AC)
        assert held.status_code == 504 and time.monotonic() - started >= 0.2
        assert (await r.post(RX, {"pageNumber": 2}))["success"]


async def test_markup_drift() -> None:
    async with replica() as r:
        assert 'data-drift=""' in (await r.c.get("/orders/list")).text
    async with replica(faults=["markup_drift"]) as r:  # default: the table rows
        assert 'data-drift="beast-core-table-body-tr"' in (await r.c.get("/orders/list")).text
    async with replica(faults=["markup_drift"], fault_args={"markup_drift": {"testid": "beast-core-modal"}}) as r:
        home = (await r.c.get("/home/")).text
        assert 'data-testid="beast-core-modal-v2"' in home and 'data-testid="beast-core-modal"' not in home


async def test_list_shift_moves_rows_between_pages() -> None:
    async with replica(faults=["list_shift"], fault_args={"list_shift": {"list": "orders"}}) as r:
        first = await r.page(ORDERS, {"pageNumber": 1, "pageSize": 10})
        second = await r.page(ORDERS, {"pageNumber": 2, "pageSize": 10})
        assert first["totalItemNum"] == 45 and second["totalItemNum"] == 46
        assert second["pageItems"][0]["order_sn"] == first["pageItems"][-1]["order_sn"]
        third = await r.page(ORDERS, {"pageNumber": 3, "pageSize": 10})
        assert third["totalItemNum"] == 46  # only once per page-1 read
        assert (await r.page("/janus/api/home/todoCount"))["waitShipNum"] == 46


async def test_aftersale_onboarding_guide() -> None:
    async with replica() as r:
        assert "售后设置" not in (await r.c.get("/aftersales/aftersale_list")).text.split("<main", 1)[1]
    async with replica(faults=["aftersale_onboarding"]) as r:
        for _ in range(2):  # on every load
            page = (await r.c.get("/aftersales/aftersale_list?msfrom=mms_sidenav")).text
            modal = page[page.index('data-testid="beast-core-modal"'):]
            assert "售后设置" in modal[:800] and "我知道了" in modal[:1200]


async def test_build_suffix() -> None:
    async with replica(fault_args={"build": {"suffix": "6-0-1"}}) as r:
        page = (await r.c.get("/orders/medicine")).text
        assert "BTN_outerWrapper_6-0-1" in page and "5-188-0" not in page
    async with replica() as r:
        assert "MDL_modal_5-188-0" in (await r.c.get("/home/")).text


async def test_scenario_add_and_replace() -> None:
    scenario: dict[str, Any] = {
        "add": {"orders": [{"order_sn": "261126-000000000000001", "promise_shipping_time": "明天",
                            "buyer_memo": "<script>alert(1)</script>"}]},
        "replace": {"complaints": [{"problemTitle": "买家投诉：发货慢", "status": 1}, {"status": "weird"}],
                    "prescriptions": []},
    }
    async with replica(**scenario) as r:
        first = (await r.page(ORDERS, {"pageNumber": 1, "orderType": 1}))["pageItems"][0]
        assert first["order_sn"] == "261126-000000000000001"
        assert first["promise_shipping_time"] == "明天"
        assert first["buyer_memo"] == "<script>alert(1)</script>"
        assert first["order_status_str"] == "待发货" and isinstance(first["order_amount"], int)
        assert (await r.page(ORDERS))["totalItemNum"] == 46
        work = (await r.page(WORK))["list"]
        assert [w["status"] for w in work] == [1, "weird"] and work[1]["statusStr"] == ""
        assert work[0]["statusStr"] == "待处理" and work[0]["instanceId"] != work[1]["instanceId"]
        assert (await r.page(RX, {"status": -1}))["total"] == 0
        counts = await r.page("/janus/api/home/todoCount")
        assert counts["waitShipNum"] == 46 and counts["pendingOrder"] == 1
        detail = (await r.c.get("/orders/detail?sn=261126-000000000000001")).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail and "<script>alert(1)" not in detail
    with pytest.raises(ValueError, match="no list"):
        async with replica(add={"parcels": [{}]}):
            pass


async def test_aftersale_added_case_passes_values_through() -> None:
    scenario: dict[str, Any] = {"add": {"aftersales": [{"afterSalesTitle": "退款成功"}, {"expireRemainTime": "soon"}, {}]}}
    async with replica(**scenario) as r:
        done, odd, default = (await r.page(AFTERSALES, {"pageNumber": 1}))["list"][:3]
        assert done["expireRemainTime"] is None and done["afterSalesTypeName"] == "仅退款"
        assert odd["expireRemainTime"] == "soon"
        assert default["afterSalesTitle"] == "仅退款，待商家处理" and 2 * 86400 < default["expireRemainTime"] <= 3 * 86400


# -- pages and contract -----------------------------------------------------------------------

async def test_detail_pages_and_prescription_audit() -> None:
    async with replica() as r:
        order = (await r.page(ORDERS))["pageItems"][0]
        assert order["order_sn"] in (await r.c.get(f"/orders/detail?sn={order['order_sn']}")).text
        assert (await r.c.get("/orders/detail?sn=nope")).status_code == 404
        case = (await r.page(AFTERSALES))["list"][0]
        text = (await r.c.get(f"/aftersales-ssr/detail?id={case['id']}")).text
        assert case["afterSalesTitle"] in text and "未处理，系统将自动退款" in text
        work = (await r.page(WORK))["list"][0]
        assert (await r.c.get(f"/aftersales/work_order/detail?id={work['instanceId']}")).status_code == 200
        rx = (await r.page(RX, {"status": 0}))["list"][0]
        page = (await r.c.get(f"/orders/medicine/detail?orderSn={rx['orderSn']}")).text
        container = page[page.index('id="mf-mms-orders-container"'):]
        assert "待审核" in container and ">通过</button>" in container
        assert (await r.page("/mangkhut/mms/prescription/audit", {"orderSn": rx["orderSn"], "auditResult": 1}))
        assert "已通过" in (await r.c.get(f"/orders/medicine/detail?orderSn={rx['orderSn']}")).text


async def test_pages_are_self_contained() -> None:
    async with replica() as r:
        for path in ("/home/", "/orders/list?tab=1", "/aftersales/aftersale_list", "/aftersales/work_order/list",
                     "/orders/medicine"):
            text = (await r.c.get(path)).text
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
            assert 'lang="zh-CN"' in text and "Anti-Content" in text
        await r.post("/janus/api/logout")
        login = (await r.c.get("/login/")).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", login)


def _selectors() -> dict[str, Any]:
    return tomllib.loads((ROOT / "selectors" / "pdd.toml").read_text(encoding="utf-8"))


async def test_selectors_contract_urls_and_apis() -> None:
    sel = _selectors()
    async with replica() as r:
        ids = {
            "order_sn": (await r.page(ORDERS))["pageItems"][0]["order_sn"],
            "id": (await r.page(AFTERSALES))["list"][0]["id"],
        }
        for name, template in sel["urls"].items():
            if name == "work_order_detail":
                url = template.format(id=(await r.page(WORK))["list"][0]["instanceId"])
            elif name == "prescription_detail":
                url = template.format(order_sn=(await r.page(RX))["list"][0]["orderSn"])
            else:
                url = template.format(**ids)
            resp = await r.c.get(url, follow_redirects=True)
            assert resp.status_code == 200, (name, url)
        for name, path in sel["api"].items():
            body = {"username": DEMO_USERNAME, "password": DEMO_PASSWORD} if name == "auth" else {}
            assert (await r.post(path, body))["success"], name


async def test_selectors_contract_markup() -> None:
    sel = _selectors()
    static = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "replicas/pdd/static").glob("*.js"))
    async with replica(login=False) as r:
        login = (await r.c.get("/login/")).text
    assert 'class="tab-item last-item"' in login and ">账号登录<" in login
    for css in ("#usernameId", "#passwordId", "#mobileVerifyCode"):
        assert f'id="{css[1:]}"' in login
    assert '<span class="info-error-text">' in login and ">登录</button>" in login
    assert 'data-testid="beast-core-modal"' in login and ">我知道了</button>" in login
    texts = sel["texts"]
    for text in texts["sms_step"]:
        assert text in login
    for group in ("challenge", "locked"):
        assert any(t in static for t in texts[group]), group
    assert "验证时间过长，请重试" in static and "请向右滑块完成拼图" in static
    for testid in ("beast-core-table-body-tr", "beast-core-table-middle-tbody", "beast-core-pagination-next",
                   "beast-core-select", "beast-core-button-link", "beast-core-card"):
        assert f"'{testid}'" in static, testid
    for cls in ("TB_loadingInner", "PGT_disabled", "ST_dropdownPanel", "PGT_pagerItem"):
        assert f"'{cls}'" in static, cls
    assert "条/页" in static and "role: 'option'" in static and "100]" in static
    assert texts["page_size_max"] == ["100"] or texts["page_size_max"] == "100"


async def test_replica_state_summary() -> None:
    async with replica() as r:
        await r.post(ORDERS)
        state = (await r.c.get("/__replica__/state")).json()
        assert state["lists"] == {"orders": 45, "aftersales": 40, "work_orders": 8, "prescriptions": 12}
        assert state["sessions"][0]["username"] == DEMO_USERNAME
        assert state["api_calls"][ORDERS] == 1 and state["build"] == "5-188-0"
