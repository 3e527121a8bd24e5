"""The 平安健康 flow in headless Chromium against its replica, on a fixed clock (2026-11-26 09:20).

Windows under test (FlowOptions defaults): a to-ship order is due soon within 12 h of its
承诺发货时间, an after-sale within 24 h of its 处理截止时间.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from flows.pingan import FLOW
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FlowResult, FlowStatus
from tests.helpers import FIXED_NOW, SHANGHAI, flow_context, sweep_one

KEY = "pingan"
NOW = FIXED_NOW
CREDS = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
LISTS = ("待接单订单", "待发货订单", "待处理售后", "待审核处方", "待处理投诉")


def ms(delta: timedelta) -> int:
    return int((NOW + delta).timestamp() * 1000)


H = timedelta(hours=1)
ORDERS: list[dict[str, Any]] = [
    {"orderId": "8261124000000001", "orderStatus": 20, "promiseDeliveryTime": ms(-2 * H), "payAmount": 3540,
     "receiverName": "测试甲", "receiverMobile": "170****0001", "buyerMemo": "<script>alert(1)</script>"},
    {"orderId": "8261125000000002", "orderStatus": 20, "promiseDeliveryTime": ms(3 * H)},
    {"orderId": "8261125000000003", "orderStatus": 20, "promiseDeliveryTime": ms(30 * H)},
    {"orderId": "8261125000000004", "orderStatus": 20, "promiseDeliveryTime": "明天下午", "payAmount": "abc"},
    {"orderId": "8261126000000005", "orderStatus": 10, "promiseDeliveryTime": ms(40 * H)},
    {"orderId": "8261126000000006", "orderStatus": 10, "promiseDeliveryTime": ms(-1 * H)},
    {"orderId": "8261120000000007", "orderStatus": 30, "promiseDeliveryTime": ms(-50 * H)},
]
REFUNDS: list[dict[str, Any]] = [
    {"refundId": "5261125000000001", "orderId": "8261120000000011", "refundStatus": 10,
     "handleDeadline": ms(5 * H), "refundAmount": 1680},
    {"refundId": "5261125000000002", "orderId": "8261120000000012", "refundStatus": 10,
     "handleDeadline": ms(50 * H)},
    {"refundId": "5261125000000003", "orderId": "8261120000000013", "refundStatus": 40},
]
PRESCRIPTIONS: list[dict[str, Any]] = [
    {"rxId": "RX261126000001", "orderId": "8261126000000021", "auditStatus": 0, "submitTime": ms(-1 * H)},
    {"rxId": "RX261126000002", "orderId": "8261126000000022", "auditStatus": 1},
]
COMPLAINTS: list[dict[str, Any]] = [
    {"complaintId": "C261125000001", "orderId": "8261120000000031", "status": 0, "handleDeadline": ms(20 * H),
     "content": "<b>三天没发货</b>"},
    {"complaintId": "C261125000002", "orderId": "8261120000000032", "status": 1},
]
CASES = {"orders": ORDERS, "refunds": REFUNDS, "prescriptions": PRESCRIPTIONS, "complaints": COMPLAINTS}
EXPECTED = {
    (Category.OVERDUE_SHIPMENT, "8261124000000001"),
    (Category.SHIPMENT_DUE_SOON, "8261125000000002"),
    (Category.AWAITING_SHIPMENT, "8261125000000004"),  # unreadable deadline: kept, flagged
    (Category.AWAITING_SHIPMENT, "8261126000000005"),  # not yet accepted
    (Category.OVERDUE_SHIPMENT, "8261126000000006"),
    (Category.AFTERSALE_DUE_SOON, "8261120000000011"),
    (Category.REFUND_WAITING, "8261120000000012"),
    (Category.PRESCRIPTION_REVIEW, "8261126000000021"),
    (Category.COMPLAINT, "8261120000000031"),
}


@contextmanager
def replica(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario(clock=NOW, platforms={KEY: PlatformScenario(**platform)})
    with serve_replicas(scenario, [KEY]) as running:
        yield running


def replica_get(running: RunningReplicas, path: str) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(running.base_url(KEY) + path).json()
    return answer


def comfortable_orders(count: int) -> list[dict[str, Any]]:
    """To-ship orders due in 40 h: counted in the tally, never reported."""
    return [{"orderId": f"9{n:016d}", "orderStatus": 20, "promiseDeliveryTime": ms(40 * H)} for n in range(count)]


async def logged_in(page: Page, running: RunningReplicas) -> FlowContext:
    ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
    await FLOW.login(ctx, CREDS, None)
    return ctx


async def sweep(running: RunningReplicas, tmp_path: Path, name: str = "run") -> FlowResult:
    return await sweep_one(running, KEY, tmp_path, name, retries=0)


# -- login -----------------------------------------------------------------------------------------


async def test_remembered_device_logs_in_headless_and_ends_on_home_with_the_notice_closed(page: Page) -> None:
    with replica() as running:
        await logged_in(page, running)
        assert page.url.startswith(running.base_url(KEY) + "/sell/")
        await expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
        assert not await page.get_by_role("dialog", name="平台公告").is_visible()
        assert "_wtk" in {c["name"] for c in await page.context.cookies()}
        assert replica_get(running, "/__replica__/state")["logins"] == 1


async def test_captcha_without_a_person_is_a_login_challenge(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        with pytest.raises(LoginChallenge, match="验证码"):
            await FLOW.login(ctx, CREDS, None)
        assert replica_get(running, "/__replica__/state")["logins"] == 0


async def test_captcha_with_a_person_waits_until_they_have_typed_it(page: Page) -> None:
    with replica(known_device=False) as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        told: list[str] = []
        asked = asyncio.Event()

        def tell(message: str) -> None:
            told.append(message)
            asked.set()

        login = asyncio.create_task(FLOW.login(ctx, CREDS, HumanWait(timeout_s=30, tell=tell)))
        await asyncio.wait([login, asyncio.create_task(asked.wait())], return_when=asyncio.FIRST_COMPLETED)
        assert not login.done(), "the flow must wait for the person, not give up"
        await expect(page.get_by_role("img", name="图片验证码")).to_have_attribute("src", re.compile("key="))
        answer = replica_get(running, "/__replica__/captcha")["latest"]["answer"]
        await page.get_by_label("验证码").fill(answer)  # the person reads the image and types
        await page.get_by_role("button", name="登录", exact=True).click()
        await login
        assert "验证码" in told[0]
        await expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
        assert replica_get(running, "/__replica__/state")["logins"] == 1


async def test_wrong_password_is_rejected(page: Page) -> None:
    with replica() as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        wrong = Credentials(username=DEMO_USERNAME, password="not-it")
        with pytest.raises(LoginRejected, match="账号或密码错误"):
            await FLOW.login(ctx, wrong, None)


async def test_locked_account_is_rejected(page: Page) -> None:
    with replica(faults=["account_locked"]) as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        with pytest.raises(LoginRejected, match="锁定"):
            await FLOW.login(ctx, CREDS, None)


async def test_open_without_a_session_is_session_expired(page: Page) -> None:
    with replica() as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        with pytest.raises(SessionExpired):
            await FLOW.open(ctx)


# -- collecting ------------------------------------------------------------------------------------


async def test_every_category_under_the_fixed_clock(page: Page) -> None:
    with replica(items=0, replace=CASES) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        found = {(f.category, f.order_no): f for f in ctx.sink.findings}
        assert set(found) == EXPECTED
        assert len(ctx.sink.findings) == len(EXPECTED)  # one finding per case
        overdue = found[(Category.OVERDUE_SHIPMENT, "8261124000000001")]
        assert overdue.amount_yuan == Decimal("35.40")
        assert overdue.deadline_at == NOW - 2 * H and overdue.deadline_at.tzinfo is not None
        assert overdue.buyer_memo == "<script>alert(1)</script>"
        assert overdue.customer.startswith("测试甲 170****0001")
        assert overdue.status_text == "待发货" and not overdue.problems
        assert overdue.link == running.base_url(KEY) + "/sell/#/order/detail?orderId=8261124000000001"
        refund = found[(Category.AFTERSALE_DUE_SOON, "8261120000000011")]
        assert refund.amount_yuan == Decimal("16.80") and refund.deadline_at == NOW + 5 * H
        assert "5261125000000001" in refund.detail and refund.link.endswith("refundId=5261125000000001")
        complaint = found[(Category.COMPLAINT, "8261120000000031")]
        assert "<b>三天没发货</b>" in complaint.detail and complaint.deadline_at == NOW + 20 * H
        rx = found[(Category.PRESCRIPTION_REVIEW, "8261126000000021")]
        assert rx.status_text == "待审核" and rx.created_at == (NOW - H).astimezone(SHANGHAI)
        tallies = {name: (t.rows_read, t.expected, t.complete) for name, t in ctx.sink.lists.items()}
        assert tallies == {"待接单订单": (2, 2, True), "待发货订单": (4, 4, True), "待处理售后": (2, 2, True),
                           "待审核处方": (1, 1, True), "待处理投诉": (1, 1, True)}
        assert ctx.sink.lists["待发货订单"].rows_kept == 4  # the comfortable one is kept, not reported


async def test_malformed_rows_are_kept_and_flagged(page: Page) -> None:
    with replica(items=0, replace=CASES) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        (odd,) = [f for f in ctx.sink.findings if f.order_no == "8261125000000004"]
        assert odd.deadline_at is None and odd.amount_yuan is None
        assert {p.split(":")[0] for p in odd.problems} == {"deadline_at", "amount_yuan"}
        assert odd.raw == {"deadline_at": "明天下午", "amount_yuan": "abc"}


# Side by side with dispatched page turns (the defaults), and one list at a time with real clicks.
@pytest.mark.parametrize(("tabs", "fast"), [(3, True), (1, False)])
async def test_paging_uses_the_largest_page_size_and_reads_to_the_last_page(page: Page, tabs: int, fast: bool) -> None:
    with replica(items=250) as running:
        ctx = await logged_in(page, running)
        options = dataclasses.replace(ctx.options, lists_in_parallel=tabs, fast_page_turns=fast)
        ctx = dataclasses.replace(ctx, options=options)
        sizes: list[str] = []
        page.context.on("request", lambda r: sizes.extend(re.findall(r"pageSize=(\d+)", r.post_data or "")))
        await FLOW.collect(ctx)
        for name in LISTS:
            tally = ctx.sink.lists[name]
            assert (tally.pages, tally.rows_read, tally.expected, tally.complete) == (3, 250, 250, True), name
        assert sizes.count("20") == len(LISTS)  # only each view's first load uses the default size
        assert sizes.count("100") == 3 * len(LISTS)


async def test_empty_lists_are_confirmed_empty(page: Page) -> None:
    with replica(faults=["empty_lists"]) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        assert ctx.sink.findings == []
        assert {(t.rows_read, t.expected, t.complete) for t in ctx.sink.lists.values()} == {(0, 0, True)}


async def test_http_500_on_a_page_is_site_unavailable(page: Page) -> None:
    faults = {"faults": ["page_500"], "fault_args": {"page_500": {"list": "orders_ship", "page": 2}}}
    with replica(items=0, add={"orders": comfortable_orders(105)}, **faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match="HTTP 500"):
            await FLOW.collect(ctx)
        assert ctx.sink.lists["待接单订单"].complete
        assert not ctx.sink.lists["待发货订单"].complete and ctx.sink.lists["待发货订单"].rows_read == 100


async def test_busy_gateway_with_http_200_is_site_unavailable(page: Page) -> None:
    faults = {"faults": ["gateway_error"], "fault_args": {"gateway_error": {"list": "refunds", "page": 1}}}
    with replica(**faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match="-100"):
            await FLOW.collect(ctx)


async def test_gateway_time_out_is_site_unavailable(page: Page) -> None:
    faults = {"faults": ["timeout_page"], "fault_args": {"timeout_page": {"list": "complaints", "ms": 200}}}
    with replica(**faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match="HTTP 504"):
            await FLOW.collect(ctx)


async def test_renamed_page_size_select_is_a_layout_change(page: Page) -> None:
    faults = {"faults": ["markup_drift"], "fault_args": {"markup_drift": {"what": "page_size"}}}
    with replica(**faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(LayoutChanged, match=r"list\.page_size"):
            await FLOW.collect(ctx)


async def test_token_dying_mid_sweep_is_session_expired(page: Page) -> None:
    faults = {"faults": ["session_expired"], "fault_args": {"session_expired": {"after_requests": 5}}}
    with replica(**faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SessionExpired):
            await FLOW.collect(ctx)
        assert not all(t.complete for t in ctx.sink.lists.values())
        await expect(page).to_have_url(re.compile(r"/login\?redirect="))  # the console itself gave up too


# -- whole sweeps with the real runner -------------------------------------------------------------


@pytest.mark.slow
async def test_second_sweep_reuses_the_saved_session(tmp_path: Path) -> None:
    with replica(items=0, replace=CASES) as running:
        first = await sweep(running, tmp_path, "first")
        assert first.status is FlowStatus.OK, first.reason
        assert {(f.category, f.order_no) for f in first.findings} == EXPECTED
        overdue = next(f for f in first.findings if f.order_no == "8261124000000001")
        assert overdue.seconds_left == -7200
        second = await sweep(running, tmp_path, "second")
        assert second.status is FlowStatus.OK, second.reason
        assert replica_get(running, "/__replica__/state")["logins"] == 1
        assert len(second.findings) == len(EXPECTED)


@pytest.mark.slow
async def test_sessions_the_site_keeps_dropping_end_as_needs_login(tmp_path: Path) -> None:
    with replica(faults=["session_expired"]) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.NEEDS_LOGIN
        assert result.findings == []
        assert result.fix_command == "sweeper login pingan --account default"


@pytest.mark.slow
async def test_captcha_in_an_unattended_sweep_is_needs_login(tmp_path: Path) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.NEEDS_LOGIN
        assert "验证码" in result.reason


@pytest.mark.slow
async def test_counter_that_disagrees_with_its_list_is_partial_with_the_numbers(tmp_path: Path) -> None:
    stale = {"stale_counters": {"list": "refunds", "delta": 2}}
    with replica(items=0, replace=CASES, faults=["stale_counters"], fault_args=stale) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.PARTIAL
        assert "待处理售后: read 2 rows, the platform says 4" in result.reason
        assert {(f.category, f.order_no) for f in result.findings} == EXPECTED


@pytest.mark.slow
async def test_rows_missing_from_a_page_make_the_sweep_partial(tmp_path: Path) -> None:
    dropped = {"drop_rows": {"list": "orders_ship", "page": 2, "n": 3}}
    orders = {"orders": comfortable_orders(105)}
    with replica(items=0, add=orders, faults=["drop_rows"], fault_args=dropped) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.PARTIAL
        assert "待发货订单: read 102 rows, the platform says 105" in result.reason
        assert result.findings == []


@pytest.mark.slow
async def test_error_page_makes_the_sweep_partial_with_the_reason(tmp_path: Path) -> None:
    failing = {"page_500": {"list": "complaints", "page": 1}}
    with replica(items=0, replace=CASES, faults=["page_500"], fault_args=failing) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.PARTIAL
        assert "HTTP 500" in result.reason
        assert (Category.PRESCRIPTION_REVIEW, "8261126000000021") in {(f.category, f.order_no) for f in result.findings}
        assert not next(t for t in result.lists if t.name == "待处理投诉").complete


@pytest.mark.slow
async def test_empty_shop_is_ok_with_zero_findings(tmp_path: Path) -> None:
    with replica(faults=["empty_lists"]) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.OK, result.reason
        assert result.findings == []
        assert sorted(t.name for t in result.lists) == sorted(LISTS)
        assert all(t.complete and t.expected == 0 for t in result.lists)
