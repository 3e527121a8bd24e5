"""The 万里牛 replica: login, the SSO hop to the biz host, envelopes, paging, the ledger, the wave job
and every fault switch. Both hosts are driven in-process through httpx.ASGITransport."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.common.world import LedgerKind, LedgerOrder, World
from replicas.hupun import REPLICA, build
from replicas.hupun.state import FAULTS

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
ERP, BIZ = "http://erp.test", "http://biz.test"
REMARKS, WMS, TASKS = "/calf-biz/api/trade/remark/list", "/calf-biz/api/wms/order/list", "/calf-biz/api/task/list"
NOT_LOGIN = {"code": 10001, "message": "登录已失效，请重新登录", "data": None}


@dataclass
class Hosts:
    erp: httpx.AsyncClient
    biz: httpx.AsyncClient

    async def login(self, password: str = DEMO_PASSWORD, ticket: str = "") -> dict[str, Any]:
        answer = await self.erp.post("/login.d", json={"username": DEMO_USERNAME, "password": password,
                                                       "ticket": ticket})
        assert answer.status_code == 200
        body: dict[str, Any] = answer.json()
        return body

    async def enter(self, menu: str = "1103") -> httpx.Response:
        """Open a shell frame and follow its iframe through the SSO hop, as the browser does."""
        frame = await self.erp.get(f"/frame/{menu}")
        src = unescape(re.search(r'<iframe[^>]* src="([^"]+)"', frame.text).group(1))  # type: ignore[union-attr]
        assert src.startswith(BIZ + "/service/sso/cookie/init?token=")
        return await self.biz.get(src.removeprefix(BIZ))

    async def remarks(self, **query: Any) -> httpx.Response:
        return await self.biz.post(REMARKS, json={"page": 1, "limit": 1000, "timeRange": "近90天", **query})

    async def wms(self, **query: Any) -> httpx.Response:
        return await self.biz.post(WMS, json={"page": 1, "limit": 1000, **query})


def _env(world: World | None = None, **scenario: Any) -> ReplicaEnv:
    return ReplicaEnv(key="hupun", scenario=PlatformScenario(**scenario), clock=ReplicaClock(NOW),
                      rng=random.Random(7), hosts=HostMap({"erp": ERP, "biz": BIZ}), world=world or World())


@asynccontextmanager
async def hosts(world: World | None = None, **scenario: Any) -> AsyncIterator[Hosts]:
    apps = build(_env(world, **scenario))
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps["erp"]), base_url=ERP) as erp,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps["biz"]), base_url=BIZ) as biz,
    ):
        yield Hosts(erp, biz)


@asynccontextmanager
async def logged_in(**scenario: Any) -> AsyncIterator[Hosts]:
    async with hosts(**scenario) as h:
        assert (await h.login())["code"] == 0
        await h.enter()
        yield h


def rows(answer: httpx.Response) -> list[dict[str, Any]]:
    body = answer.json()
    assert body["code"] == 0, body
    result: list[dict[str, Any]] = body["data"]["list"]
    return result


def test_spec_declares_two_hosts_and_every_fault() -> None:
    assert REPLICA.key == "hupun" and REPLICA.hosts == ("erp", "biz") and REPLICA.main == "erp"
    assert set(REPLICA.faults) >= {"session_expired", "challenge_on_login", "account_locked", "empty_lists",
                                   "page_500", "slow", "timeout_page", "markup_drift", "count_mismatch",
                                   "job_stuck"}
    assert REPLICA.faults == FAULTS


async def test_without_a_session_pages_go_to_login_and_apis_answer_10001() -> None:
    async with hosts() as h:
        answer = await h.erp.get("/frame/331?x=1")
        assert answer.status_code == 302 and answer.headers["location"] == "/login?redirect=%2Fframe%2F331%3Fx%3D1"
        assert (await h.erp.get("/o/home/counts.d")).json() == NOT_LOGIN
        assert (await h.remarks()).json() == NOT_LOGIN
        page = await h.biz.get("/calf-biz/trade/remark.html")
        assert "登录已失效" in page.text and "hp:not-login" in page.text  # the iframe tells the shell


async def test_login_page_opens_on_qr_with_a_switch_to_the_account_form() -> None:
    async with hosts() as h:
        html = (await h.erp.get("/login")).text
        assert '<div id="app">' in html and "扫码登录" in html and ">切换账号登录<" in html
        assert 'id="account-panel" style="display:none"' in html
        assert 'id="input-password"' in html and "login-btn" in html and 'class="login-error"' in html


async def test_login_sets_jsessionid_and_the_sso_hop_sets_calfsessionid() -> None:
    async with hosts() as h:
        assert await h.login("wrong") == {"code": 10003, "message": "账号或密码错误，请重新输入", "data": None}
        assert await h.login() == {"code": 0, "message": "登录成功", "data": {"redirect": "/frame/home"}}
        assert "JSESSIONID" in h.erp.cookies and "CALFSESSIONID" not in h.erp.cookies
        hop = await h.enter("331")
        assert hop.status_code == 302 and hop.headers["location"] == "/calf-biz/wms/order.html#/allocation"
        assert "CALFSESSIONID" in hop.cookies and "JSESSIONID" not in hop.cookies
        page = await h.biz.get("/calf-biz/wms/order.html")
        assert 'id="panelTask"' in page.text and "hp-pager" in page.text and "more-button" in page.text
        assert (await h.erp.get("/login")).headers["location"] == "/frame/home"


async def test_sso_tokens_are_single_use_and_signed() -> None:
    async with hosts() as h:
        await h.login()
        frame = (await h.erp.get("/frame/1103")).text
        src = unescape(re.search(r'src="([^"]+)"', frame).group(1)).removeprefix(BIZ)  # type: ignore[union-attr]
        forged = re.sub(r"key=[0-9a-f]+", "key=0000", src)
        assert "登录已失效" in (await h.biz.get(forged)).text
        assert (await h.biz.get(src)).status_code == 302
        assert "登录已失效" in (await h.biz.get(src)).text  # used once already


async def test_account_locked_and_the_slider_challenge() -> None:
    async with hosts(faults=["account_locked"]) as h:
        assert (await h.login())["code"] == 10004
    async with hosts(faults=["challenge_on_login"]) as h:
        assert await h.login() == {"code": 10002, "message": "请完成安全验证", "data": None}
        short = await h.erp.post("/captcha/slide/check.d", json={"distance": 100, "width": 260})
        assert short.json()["code"] == 10002
        dragged = (await h.erp.post("/captcha/slide/check.d", json={"distance": 258, "width": 260})).json()
        assert (await h.login(ticket=dragged["data"]["ticket"]))["code"] == 0
        assert (await h.login(ticket=dragged["data"]["ticket"]))["code"] == 10002  # a ticket serves once


async def test_home_shows_the_ad_once_and_counters_are_cached_until_refreshed() -> None:
    async with logged_in() as h:
        first, second = (await h.erp.get("/frame/home")).text, (await h.erp.get("/frame/home")).text
        assert '<div class="ad-dialog-wrap">' in first and '<div class="ad-dialog-wrap">' not in second
        assert "el-icon-refresh" in first and "待审核" in first and "异常" in first
        cached = (await h.erp.get("/o/home/counts.d?_calf=erp-web")).json()["data"]
        assert set(cached) == {"waitAudit", "waitPrint", "waitPick", "exception", "updateTime"}
        assert (await h.erp.get("/o/home/counts.d?_calf=erp-web")).json()["data"] == cached
        await h.erp.get("/o/home/counts.d?_calf=erp-web&refresh=1")
        assert (await h.erp.get("/__replica__/state")).json()["home_refreshes"] == 1


async def test_remark_rows_envelope_platform_names_and_tcm_marker() -> None:
    async with logged_in() as h:
        body = (await h.remarks(limit=50)).json()
        assert body["code"] == 0 and set(body["data"]) == {"list", "total", "page", "limit"}
        assert body["data"]["limit"] == 50 and body["data"]["total"] > 50 == len(body["data"]["list"])
        every = rows(await h.remarks())
        assert {r["platform"] for r in every} >= {"拼多多", "平安健康", "苏宁易购", "药房网", "官网", "抖音"}
        assert {r["tradeType"] for r in every} == {"普通", "补发", "售后"}
        assert {r["payType"] for r in every} == {"在线支付", "货到付款"}
        tcm = [i for r in every for i in r["items"] if i["tcmFlag"] == 1]
        assert tcm and all(i["category"] in ("中药饮片", "配方颗粒") for i in tcm)
        assert any(re.fullmatch(r"\d+g\*1袋", i["skuName"]) for i in tcm)
        assert all(re.fullmatch(r"XS\d{12}", r["tradeNo"]) and r["uid"].isdigit() for r in every)
        assert (await h.remarks(limit=2000)).json()["code"] == 40001


async def test_time_range_and_remark_filters() -> None:
    async with logged_in() as h:
        week, ninety = rows(await h.remarks(timeRange="近7天")), rows(await h.remarks())
        assert len(week) < len(ninety)  # returns concern orders that are weeks old
        empty = rows(await h.remarks(remark="无内容"))
        assert empty and all(r["sellerMemo"] == "" for r in empty)
        reships = rows(await h.remarks(tradeType="补发"))
        assert reships and all(r["tradeType"] == "补发" and r["tid"].endswith("-1") for r in reships)
        one = ninety[0]
        assert [r["tradeNo"] for r in rows(await h.remarks(tradeNo=one["tradeNo"]))] == [one["tradeNo"]]


async def test_without_a_world_every_wms_state_exists_with_its_reason() -> None:
    async with logged_in(fault_args={"job": {"delay_s": 0}}) as h:
        await h.biz.get("/calf-biz/wms/order.html")
        every = rows(await h.wms())
        states = Counter(r["status"] for r in every)
        assert set(states) >= {"待分配", "已分配", "锁库失败", "挂起", "缺货", "波次打单", "待拣货", "待出库", "已出库"}
        reasons = {r["status"]: r["exceptionReason"] for r in every if r["exceptionReason"]}
        assert reasons["锁库失败"].startswith("库存不足") and "挂起" in reasons["挂起"]
        assert "报缺" in reasons["缺货"]
        assert set(Counter(r["status"] for r in rows(await h.wms(exception="包含异常")))) == {"锁库失败", "挂起", "缺货"}


async def test_the_wave_job_holds_its_orders_in_the_pool_until_it_is_done() -> None:
    async with logged_in(fault_args={"job": {"delay_s": 600}}) as h:
        await h.biz.get("/calf-biz/wms/order.html")  # opening the page starts the job
        tasks = (await h.biz.get(TASKS)).json()["data"]["list"]
        wave = tasks[0]
        assert wave["taskName"] == "生成波次" and wave["status"] == "处理中" and wave["finished"] == ""
        held = [r for r in rows(await h.wms()) if r["taskNo"]]
        assert len(held) == wave["orderCount"] > 0 and {r["status"] for r in held} == {"待分配"}
    async with logged_in(fault_args={"job": {"delay_s": 0}}) as h:
        await h.biz.get("/calf-biz/wms/order.html")
        assert (await h.biz.get(TASKS)).json()["data"]["list"][0]["status"] == "已完成"
        moved = [r for r in rows(await h.wms()) if r["waveNo"].endswith("9001")]
        assert moved and {(r["status"], r["taskNo"]) for r in moved} == {("待拣货", "")}
    async with logged_in(faults=["job_stuck"], fault_args={"job": {"delay_s": 0}}) as h:
        await h.biz.get("/calf-biz/wms/order.html")
        assert (await h.biz.get(TASKS)).json()["data"]["list"][0]["status"] == "处理中"


def _world() -> World:
    start = NOW - timedelta(hours=2)
    awaiting = [LedgerOrder("admin", f"GW26112607{n:04d}", LedgerKind.AWAITING_SHIPMENT, start, cod=n % 2 == 0,
                            items=("蒙脱石散",)) for n in range(40)]
    returns = [LedgerOrder("pdd", f"261120-{n:015d}", LedgerKind.RETURN, None, items=("感冒灵颗粒",))
               for n in range(8)]
    refund_before_shipping = [LedgerOrder("admin", "GW261126070000", LedgerKind.RETURN)]
    world = World()
    world.publish("admin", lambda: awaiting + refund_before_shipping)
    world.publish("pdd", lambda: returns)
    return world


async def test_the_erp_mirrors_the_marketplaces_ledger() -> None:
    async with hosts(_world()) as h:
        await h.login()
        await h.enter()
        by_tid = {r["tid"]: r for r in rows(await h.remarks())}
        admin = [f"GW26112607{n:04d}" for n in range(40)]
        missing = [t for t in admin if t not in by_tid]
        assert missing == ["GW261126070003", "GW261126070023"]  # every 20th never reached the ERP
        assert {by_tid[t]["platform"] for t in admin if t in by_tid} == {"官网"}
        cod = [by_tid[t] for t in admin[::2] if t in by_tid]
        assert all(r["payType"] == "货到付款" for r in cod)
        assert Counter(r["express"] for r in cod) == {"中通快递": 16, "申通快递": 4}
        returns = [by_tid[f"261120-{n:015d}"] for n in range(8)]
        assert all(r["platform"] == "拼多多" and r["status"] == "已发货" for r in returns)
        assert sum("退货退款，已拦截" in r["sellerMemo"] for r in returns) == 6
        assert sum(r["sellerMemo"] == "" for r in returns) == 2
        assert by_tid["GW261126070000"]["sellerMemo"] == "仅退款，已挂起暂停发货"
        await h.biz.get("/calf-biz/wms/order.html")
        wms = {r["tid"]: r for r in rows(await h.wms())}
        assert wms["GW261126070000"]["status"] == "挂起"  # a refund holds the order in the WMS
        audit = [t for t in admin if t in by_tid and by_tid[t]["status"] == "订单审核"]
        assert audit and not any(t in wms for t in audit)  # not pushed to the WMS yet


async def test_scenario_records_replace_and_extend_the_orders_unchanged() -> None:
    odd = {"tradeNo": "XS-ODD", "tid": "A1,A2", "created": "昨天下午", "payment": "12,5x", "items": "坏数据",
           "wms": {"state": "待分配"}}
    async with logged_in(replace={"orders": [odd]}, add={"orders": [{"tradeNo": "XS-ADD", "platform": "京东"}]}) as h:
        got = {r["tradeNo"]: r for r in rows(await h.remarks())}
        assert set(got) == {"XS-ODD", "XS-ADD"}  # an unparseable time is never filtered out
        assert got["XS-ODD"]["items"] == "坏数据" and got["XS-ODD"]["payment"] == "12,5x"
        assert got["XS-ADD"]["platform"] == "京东" and got["XS-ADD"]["express"] == "中通快递"
        wms = rows(await h.wms())
        assert [(r["tid"], r["status"], r["goods"]) for r in wms] == [("A1,A2", "待分配", [])]


async def test_empty_lists_keep_only_added_records() -> None:
    async with logged_in(faults=["empty_lists"], add={"orders": [{"tradeNo": "XS-1"}]}) as h:
        assert [r["tradeNo"] for r in rows(await h.remarks())] == ["XS-1"]
        assert rows(await h.wms()) == []


async def test_page_500_timeout_and_count_mismatch_hit_their_list_and_page() -> None:
    async with logged_in(faults=["page_500"], fault_args={"page_500": {"list": "wms", "page": 2, "times": 1}}) as h:
        assert (await h.wms(page=1, limit=50)).status_code == 200
        broken = await h.wms(page=2, limit=50)
        assert broken.status_code == 500 and "nginx" in broken.text
        assert (await h.wms(page=2, limit=50)).status_code == 200
    async with logged_in(faults=["timeout_page"], fault_args={"timeout_page": {"list": "remarks", "ms": 200}}) as h:
        started = time.monotonic()
        assert (await h.remarks()).status_code == 504 and time.monotonic() - started >= 0.2
    async with logged_in(faults=["count_mismatch"], fault_args={"count_mismatch": {"list": "wms", "delta": 2}}) as h:
        data = (await h.wms()).json()["data"]
        assert data["total"] == len(data["list"]) + 2
        assert (await h.remarks()).json()["data"]["total"] == len(rows(await h.remarks()))


async def test_markup_drift_renames_exactly_one_hook_and_slow_delays_both_hosts() -> None:
    async with logged_in(faults=["markup_drift"], fault_args={"markup_drift": {"what": "task_panel"}}) as h:
        page = (await h.biz.get("/calf-biz/wms/order.html")).text
        assert 'id="panel-task"' in page and 'id="panelTask"' not in page and "hp-pager" in page
    async with hosts(faults=["slow"], fault_args={"slow": {"ms": 150}}) as h:
        for client in (h.erp, h.biz):
            started = time.monotonic()
            await client.get("/login" if client is h.erp else "/calf-biz/trade/remark.html")
            assert time.monotonic() - started >= 0.15


async def test_sessions_expire_on_either_host() -> None:
    biz_faults = {"session_expired": {"where": "biz", "after_requests": 1}}
    async with logged_in(faults=["session_expired"], fault_args=biz_faults) as h:
        assert (await h.remarks()).json()["code"] == 0
        assert (await h.remarks()).json() == NOT_LOGIN  # the iframe's session died; the shell's lives
        assert (await h.erp.get("/frame/home")).status_code == 200
    async with logged_in() as h:
        assert (await h.erp.post("/__replica__/expire")).json() == {"expired": 1}
        assert (await h.remarks()).json() == NOT_LOGIN
        assert (await h.erp.get("/frame/home")).status_code == 302
