"""The 寻医问药 store-admin flow in headless Chromium against its replica, on a fixed clock.

At 2026-11-26 09:20 with the default windows (ship due soon: 12 h, after-sale due soon: 24 h).
Every record is one case; the others are controls that must yield no finding of their kind.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Dialog, Page

from flows.xywy import FLOW
from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.common.world import LedgerKind, World
from replicas.xywy import build
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FlowResult, FlowStatus
from sweeper.rules import tally_problems
from tests.helpers import FIXED_NOW, SHANGHAI, flow_context, one_tab, sweep_one

KEY = "xywy"
NOW = FIXED_NOW
CREDS = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
XSS = "<script>alert(1)</script>"


def _order(n: int, status: int = 1, **fields: Any) -> dict[str, Any]:
    goods = [{"goodsName": "布洛芬缓释胶囊", "spec": "0.3g*24粒", "num": 2, "price": "28.00"}]
    return {"orderSn": f"WK2026112400000000{n:02d}", "orderStatus": status, "goodsList": goods,
            "createTime": "2026-11-24 08:00:00", "payTime": "2026-11-24 08:05:00", **fields}


def _sn(n: int) -> str:
    return f"WK2026112400000000{n:02d}"


ORDERS = [
    _order(1, totalAmount="56.00", promiseShipTime="2026-11-26 08:05:00", buyerRemark="请尽快发货",
           receiverName="测试甲", receiverPhone="138****0001", receiverAddress="北京市示例区示例路1号"),
    _order(2, promiseShipTime="2026-11-26 15:00:00"),  # 5 h 40 min left
    _order(3, promiseShipTime="2026-11-27 09:00:00"),  # 23 h 40 min left: comfortable
    _order(4, payType=2, payTime="", promiseShipTime="2026-11-27 10:00:00"),  # COD, comfortable
    _order(5, promiseShipTime="2026-11-26 21:00:00", buyerRemark=XSS),  # 11 h 40 min left
    _order(6, totalAmount="12,5x", createTime="昨天下午", payTime="2026-11-24 09:00:00", promiseShipTime="明天"),
    _order(7, status=2, promiseShipTime="2026-11-25 10:00:00"),  # shipped, although "late"
    _order(8, status=0),  # awaiting payment
    _order(9, status=4, promiseShipTime="2026-11-25 10:00:00"),  # closed
    _order(10, promiseShipTime="2026-11-26 21:21:00"),  # 12 h 1 min left: just comfortable
]
REFUNDS = [
    {"refundSn": "TK202611250000000001", "orderSn": _sn(11), "refundType": 1, "refundStatus": 1,
     "handleDeadline": "2026-11-27 20:00:00", "refundAmount": "19.80", "reason": "拍错/多拍/不想要",
     "goodsName": "布洛芬缓释胶囊", "buyerNick": "wk_100001", "applyTime": "2026-11-25 20:00:00"},
    {"refundSn": "TK202611250000000002", "orderSn": _sn(12), "refundType": 2, "refundStatus": 3,
     "handleDeadline": "2026-11-26 15:00:00"},
    {"refundSn": "TK202611250000000003", "orderSn": _sn(13), "refundType": 2, "refundStatus": 2,
     "handleDeadline": "2026-11-26 12:00:00"},  # the buyer's turn: no finding though near
    {"refundSn": "TK202611250000000004", "orderSn": _sn(14), "refundStatus": 4},  # refunded
    {"refundSn": "TK202611250000000005", "orderSn": _sn(15), "refundStatus": 1, "remainSeconds": 3600},
]
CONSULTS = [
    {"consultSn": "ZX20261126070000001", "orderSn": _sn(1), "content": "请问饭前还是饭后吃？",
     "goodsName": "布洛芬缓释胶囊", "buyerNick": "wk_100002", "createTime": "2026-11-26 07:00:00"},
    {"consultSn": "ZX20261126070000002", "content": "<img src=x onerror=alert(2)>"},
    {"consultSn": "ZX20261126070000003", "replyStatus": 1, "replyContent": "您好，饭后服用。"},
]
CASES = {"orders": ORDERS, "refunds": REFUNDS, "consults": CONSULTS}
EXPECTED = {
    (Category.OVERDUE_SHIPMENT, _sn(1)),
    (Category.SHIPMENT_DUE_SOON, _sn(2)),
    (Category.SHIPMENT_DUE_SOON, _sn(5)),
    (Category.OVERDUE_SHIPMENT, _sn(6)),
    (Category.REFUND_WAITING, _sn(11)),
    (Category.AFTERSALE_DUE_SOON, _sn(12)),
    (Category.AFTERSALE_DUE_SOON, _sn(15)),
    (Category.BUYER_MESSAGE, "ZX20261126070000001"),
    (Category.BUYER_MESSAGE, "ZX20261126070000002"),
}
TO_SHIP = {_sn(n): "false" for n in (1, 2, 3, 5, 6, 10)} | {_sn(4): "true"}


@contextmanager
def replica(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario(clock=NOW, platforms={KEY: PlatformScenario(**platform)})
    with serve_replicas(scenario, [KEY]) as running:
        yield running


def replica_state(running: RunningReplicas) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(running.base_url(KEY) + "/__replica__/state").json()
    return answer


async def logged_in(page: Page, running: RunningReplicas) -> FlowContext:
    ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
    await FLOW.login(ctx, CREDS, None)
    return ctx


async def sweep(running: RunningReplicas, tmp_path: Path, name: str = "run", retries: int = 0) -> FlowResult:
    return await sweep_one(running, KEY, tmp_path, name, retries=retries)


# -- login -----------------------------------------------------------------------------------------


async def test_password_login_ends_on_the_dashboard_with_the_notice_closed(page: Page) -> None:
    with replica() as running:
        ctx = await logged_in(page, running)
        assert page.url == running.base_url(KEY) + "/index"
        assert await page.get_by_role("dialog", name="平台公告").count() == 0
        assert {c["name"] for c in await page.context.cookies()} == {"JSESSIONID", "WKSC_DID"}
        await FLOW.open(ctx)  # the saved session opens the dashboard without logging in again
        await FLOW.login(ctx, CREDS, None)  # and /login sends a logged-in browser home
        assert replica_state(running)["logins"] == 1


@pytest.mark.parametrize("platform", [{"faults": ["challenge_on_login"]}, {"known_device": False}])
async def test_a_captcha_without_a_person_is_a_login_challenge(page: Page, platform: dict[str, Any]) -> None:
    with replica(**platform) as running:
        with pytest.raises(LoginChallenge, match="验证码"):
            await logged_in(page, running)
        assert replica_state(running)["logins"] == 0


async def test_a_captcha_with_a_person_waits_until_they_have_typed_it(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        base = running.base_url(KEY)
        ctx = flow_context(page, KEY, base, NOW)
        told: list[str] = []
        asked = asyncio.Event()

        def tell(text: str) -> None:
            told.append(text)
            asked.set()

        login = asyncio.create_task(FLOW.login(ctx, CREDS, HumanWait(timeout_s=30, tell=tell)))
        await asyncio.wait_for(asked.wait(), 20)
        assert "验证码" in told[0] and not login.done()
        assert await page.get_by_label("账号", exact=True).input_value() == DEMO_USERNAME
        # The test plays the person: read the captcha shown to this browser and type it.
        code = (await (await page.request.get(base + "/__replica__/captcha")).json())["captcha"]
        await page.get_by_label("验证码", exact=True).fill(code)
        await page.get_by_role("button", name="登录", exact=True).click()
        await asyncio.wait_for(login, 30)
        assert page.url == base + "/index"
        assert await page.get_by_role("dialog", name="平台公告").count() == 0
        assert replica_state(running)["logins"] == 1


async def test_a_person_who_never_types_the_captcha_ends_in_a_bounded_login_challenge(page: Page) -> None:
    with replica(known_device=False) as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        with pytest.raises(LoginChallenge, match="within 1 s"):
            await FLOW.login(ctx, CREDS, HumanWait(timeout_s=1, tell=lambda _: None))


@pytest.mark.parametrize(
    ("platform", "password", "message"),
    [({}, "wrong-password", "账号或密码错误"), ({"faults": ["account_locked"]}, DEMO_PASSWORD, "账号已被锁定")],
)
async def test_wrong_password_and_locked_account_are_rejected(
    page: Page, platform: dict[str, Any], password: str, message: str
) -> None:
    with replica(**platform) as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        with pytest.raises(LoginRejected, match=message):
            await FLOW.login(ctx, Credentials(username=DEMO_USERNAME, password=password), None)


# -- collecting ------------------------------------------------------------------------------------


async def test_every_case_on_the_fixed_clock_and_no_control(page: Page) -> None:
    dialogs: list[str] = []

    async def on_dialog(dialog: Dialog) -> None:  # an executed alert() would land here
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    with replica(replace=CASES) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        base = running.base_url(KEY)
    found = {(f.category, f.order_no): f for f in ctx.sink.findings}
    assert set(found) == EXPECTED and len(ctx.sink.findings) == len(EXPECTED)
    overdue = found[(Category.OVERDUE_SHIPMENT, _sn(1))]
    assert overdue.deadline_at == datetime(2026, 11, 26, 8, 5, tzinfo=SHANGHAI)
    assert overdue.created_at == datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)
    assert overdue.amount_yuan == Decimal("56.00") and overdue.item == "布洛芬缓释胶囊 0.3g*24粒 ×2"
    assert overdue.buyer_memo == "请尽快发货" and overdue.status_text == "待发货" and not overdue.problems
    assert overdue.customer == "测试甲 138****0001 北京市示例区示例路1号"
    assert overdue.link == f"{base}/order/detail?orderSn={_sn(1)}"
    refund = found[(Category.REFUND_WAITING, _sn(11))]
    assert refund.deadline_at == datetime(2026, 11, 27, 20, 0, tzinfo=SHANGHAI)
    assert refund.amount_yuan == Decimal("19.80") and refund.customer == "wk_100001"
    assert refund.detail == "仅退款 · 拍错/多拍/不想要 · 退款编号 TK202611250000000001"
    assert refund.link == f"{base}/refund/detail?refundSn=TK202611250000000001"
    assert found[(Category.AFTERSALE_DUE_SOON, _sn(12))].status_text == "退货退款，待商家收货"
    countdown = found[(Category.AFTERSALE_DUE_SOON, _sn(15))]
    assert countdown.problems[-1] == "deadline_at: taken from remainSeconds"
    message = found[(Category.BUYER_MESSAGE, "ZX20261126070000001")]
    assert message.buyer_memo == "请问饭前还是饭后吃？" and message.detail == f"订单 {_sn(1)}"
    assert message.link == f"{base}/consult/detail?consultSn=ZX20261126070000001"
    # Scraped markup stays text, in the findings and on the page.
    assert found[(Category.SHIPMENT_DUE_SOON, _sn(5))].buyer_memo == XSS
    assert found[(Category.BUYER_MESSAGE, "ZX20261126070000002")].buyer_memo == "<img src=x onerror=alert(2)>"
    assert dialogs == []
    tallies = ctx.sink.lists
    assert {n: t.rows_read for n, t in tallies.items()} == {"to_ship": 7, "refunds": 4, "consults": 2}
    assert tally_problems(tallies.values()) == []


async def test_every_order_to_ship_is_a_fact_matching_the_ledger(page: Page) -> None:
    with replica(replace=CASES) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
    facts = {f.order_no: f.fields.get("cod") for f in ctx.sink.facts}
    assert facts == TO_SHIP and all(f.platform == KEY for f in ctx.sink.facts)
    world = World()
    build(ReplicaEnv(key=KEY, scenario=PlatformScenario(replace=CASES), clock=ReplicaClock(NOW),
                     rng=random.Random(1), hosts=HostMap(), world=world))
    ledger = world.orders()
    assert {o.order_no: str(o.cod).lower() for o in ledger if o.kind is LedgerKind.AWAITING_SHIPMENT} == facts
    refunds = {f.order_no for f in ctx.sink.findings if f.category in (Category.REFUND_WAITING,
                                                                        Category.AFTERSALE_DUE_SOON)}
    assert {o.order_no for o in ledger if o.kind is LedgerKind.RETURN} == refunds


async def test_an_unreadable_row_is_kept_and_flagged(page: Page) -> None:
    with replica(replace=CASES) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
    odd = next(f for f in ctx.sink.findings if f.order_no == _sn(6))
    assert odd.category is Category.OVERDUE_SHIPMENT  # by the 48 h promise rule from payTime
    assert odd.amount_yuan is None and odd.created_at is None
    assert odd.deadline_at == datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI)
    assert odd.raw == {"amount_yuan": "12,5x", "created_at": "昨天下午", "deadline_at": "明天"}
    assert [p.split(":")[0] for p in odd.problems] == ["amount_yuan", "created_at", "deadline_at", "deadline_at"]


async def test_paging_reads_every_list_to_its_end_at_100_rows_a_page(page: Page) -> None:
    with replica(items=250) as running:
        ctx = await logged_in(page, running)
        before = running.request_counts[KEY]
        await FLOW.collect(ctx)
        requests = running.request_counts[KEY] - before
    tallies = ctx.sink.lists
    assert tallies["to_ship"].rows_read == 250 and tallies["consults"].rows_read == 125
    assert all(t.pages == math.ceil(t.rows_read / 100) for t in tallies.values())
    assert tally_problems(tallies.values()) == []
    assert len({f.order_no for f in ctx.sink.facts}) == len(ctx.sink.facts) == 250
    # per list: the page, its first JSON (10 rows), page 1 again at 100 rows, then one JSON per page
    assert requests == sum(2 + t.pages for t in tallies.values())


async def test_empty_lists_are_complete_with_zero_rows(page: Page) -> None:
    with replica(faults=["empty_lists"]) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
    assert ctx.sink.findings == [] and ctx.sink.facts == []
    assert all(t.complete and t.rows_read == 0 == t.expected for t in ctx.sink.lists.values())
    assert len(ctx.sink.lists) == 3


# Requests of the session: dashboard, to-ship page, its JSON, its JSON at 100 rows, refund page, ...
@pytest.mark.parametrize(("after", "message"), [(4, "asked to log in again"), (5, "登录状态已过期.*code 401")])
async def test_session_lost_mid_collect_is_session_expired(page: Page, after: int, message: str) -> None:
    with replica(faults=["session_expired"], fault_args={"session_expired": {"after_requests": after}}) as running:
        ctx = one_tab(await logged_in(page, running))  # the counted requests are one list's
        with pytest.raises(SessionExpired, match=message):
            await FLOW.collect(ctx)
        assert ctx.sink.lists["to_ship"].complete and "refunds" not in ctx.sink.lists


@pytest.mark.parametrize(("hook", "missing"), [("order_table", r"list\.order_table"),
                                               ("stat_card", r"home\.counter")])
async def test_markup_drift_is_a_layout_change_naming_the_selector(page: Page, hook: str, missing: str) -> None:
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": hook}}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(LayoutChanged, match=missing):
            await FLOW.collect(ctx)


@pytest.mark.parametrize(("fault", "args", "message"), [
    ("timeout_page", {"list": "refunds", "ms": 300}, "HTTP 504"),
    ("system_busy", {"list": "consults"}, "系统繁忙"),
    ("page_500", {"list": "orders", "page": 2}, "HTTP 500"),
])
async def test_server_trouble_is_site_unavailable(page: Page, fault: str, args: dict[str, Any], message: str) -> None:
    with replica(items=150, faults=[fault], fault_args={fault: args}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match=message):
            await FLOW.collect(ctx)


# -- whole sweeps with the real runner (each launches its own browser) ------------------------------


@pytest.mark.slow
async def test_second_sweep_reuses_the_saved_session(tmp_path: Path) -> None:
    with replica(replace=CASES) as running:
        first = await sweep(running, tmp_path, "first")
        second = await sweep(running, tmp_path, "second")
        assert replica_state(running)["logins"] == 1
        async with httpx.AsyncClient() as client:
            await client.post(running.base_url(KEY) + "/__replica__/expire")
        third = await sweep(running, tmp_path, "third")
        assert replica_state(running)["logins"] == 2  # expired overnight: the stored password once
    for result in (first, second, third):
        assert result.status is FlowStatus.OK, result.reason
        assert {(f.category, f.order_no) for f in result.findings} == EXPECTED
        assert {f.order_no for f in result.facts} == set(TO_SHIP)
    overdue = next(f for f in first.findings if f.order_no == _sn(1))
    assert overdue.seconds_left == -75 * 60  # the runner measures the deadline against its clock


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "status", "reason"), [
    ({"faults": ["session_expired"]}, FlowStatus.NEEDS_LOGIN, "asked to log in again"),
    ({"faults": ["challenge_on_login"]}, FlowStatus.NEEDS_LOGIN, "image captcha"),
    ({"faults": ["account_locked"]}, FlowStatus.FAILED, "account is locked"),
    ({"faults": ["markup_drift"], "fault_args": {"markup_drift": {"what": "refund_table"}}},
     FlowStatus.FAILED, "layout changed: list.refund_table"),
    ({"faults": ["page_500"], "fault_args": {"page_500": {"list": "refunds"}}}, FlowStatus.PARTIAL, "HTTP 500"),
    ({"faults": ["count_mismatch"], "fault_args": {"count_mismatch": {"delta": 1}}},
     FlowStatus.PARTIAL, "to_ship: read 7 rows, the platform says 8 (列表共8条)"),
    ({"faults": ["count_mismatch"], "fault_args": {"count_mismatch": {"list": "consults", "where": "counter"}}},
     FlowStatus.PARTIAL, "consults: read 2 rows, the platform says 3 (首页「未回复咨询」3，列表共2条)"),
    ({"faults": ["slow"], "fault_args": {"slow": {"ms": 100}}}, FlowStatus.OK, ""),
])
async def test_each_fault_gives_its_status(
    tmp_path: Path, platform: dict[str, Any], status: FlowStatus, reason: str
) -> None:
    with replica(replace=CASES, **platform) as running:
        result = await sweep(running, tmp_path)
    assert result.status is status and reason in result.reason
    if status is FlowStatus.NEEDS_LOGIN:
        assert result.fix_command == "sweeper login xywy --account default"
    if status is FlowStatus.PARTIAL and "HTTP 500" in reason:
        # Side by side, the lists around refunds are read to their end; refunds: not one page.
        assert {t.name: t.complete for t in result.lists} == {"to_ship": True, "consults": True}
    if status is FlowStatus.OK or "count_mismatch" in platform["faults"]:
        assert {(f.category, f.order_no) for f in result.findings} == EXPECTED
