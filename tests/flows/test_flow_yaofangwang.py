"""The 药房网 flow in headless Chromium against its replica, on a fixed clock (2026-11-26 09:20).

Ship rule under test: placed before 17:00 on day D → must leave by 16:00 on D+1. So at 09:20 on
the 26th, orders placed before 17:00 on the 24th are overdue, those placed from 17:00 on the 24th
to 16:59:59 on the 25th are due today at 16:00, later ones are comfortable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from flows.yaofangwang import FLOW
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FlowResult, FlowStatus
from tests.helpers import FIXED_NOW, SHANGHAI, flow_context, sweep_one

KEY = "yaofangwang"
NOW = FIXED_NOW
CREDS = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
LISTS = ("orders_to_ship", "refunds", "prescriptions", "messages")

ORDERS: list[dict[str, Any]] = [
    {"order_no": "2611240000000001", "created_at": "2026-11-24 15:00:00", "allocation": "分配完成",
     "amount": "35.40", "consignee": "测试甲", "phone": "17000000001"},
    {"order_no": "2611240000000002", "created_at": "2026-11-24 18:00:00", "allocation": "锁库失败·库存不足"},
    {"order_no": "2611250000000003", "created_at": "2026-11-25 16:59:59", "allocation": "分配完成",
     "buyer_memo": "<script>alert(1)</script>"},
    {"order_no": "2611250000000004", "created_at": "2026-11-25 17:00:00", "allocation": "分配完成"},
    {"order_no": "2611230000000005", "created_at": "2026-11-23 10:00:00", "allocation": "未分配"},
    {"order_no": "2611250000000006", "created_at": "昨天下午", "ship_deadline": "尽快", "amount": "abc",
     "allocation": "分配完成"},
    {"order_no": "2611260000000007", "created_at": "2026-11-26 08:00:00", "allocation": "未分配"},
    {"order_no": "2611200000000008", "created_at": "2026-11-20 10:00:00", "status": "已发货"},
]
REFUNDS: list[dict[str, Any]] = [
    {"refund_no": "TK2611240001", "order_no": "2611200000000011", "deadline": "2026-11-26 20:00:00",
     "amount": "16.80", "status": "待商家处理"},
    {"refund_no": "TK2611240002", "order_no": "2611200000000012", "deadline": "2026-11-28 09:00:00",
     "status": "买家已退货，待商家收货"},
    {"refund_no": "TK2611240003", "order_no": "2611200000000013", "deadline": "", "status": "待商家处理"},
    {"refund_no": "TK2611240004", "order_no": "2611200000000014", "status": "退款成功"},
]
PRESCRIPTIONS: list[dict[str, Any]] = [
    {"rx_no": "CF2611260001", "order_no": "2611260000000021", "submitted_at": "2026-11-26 08:30:00",
     "patient": "测试乙", "amount": "45.60"},
    {"rx_no": "CF2611260002", "order_no": "2611260000000022", "status": "审核通过"},
]
MESSAGES: list[dict[str, Any]] = [
    {"msg_no": "LY2611260001", "sent_at": "2026-11-26 07:00:00", "content": "<b>什么时候发货？</b>",
     "buyer": "yfw_000001"},
    {"msg_no": "LY2611260002", "status": "已回复"},
]
CASES = {"orders": ORDERS, "refunds": REFUNDS, "prescriptions": PRESCRIPTIONS, "messages": MESSAGES}
EXPECTED = {
    (Category.OVERDUE_SHIPMENT, "2611240000000001"),
    (Category.SHIPMENT_DUE_SOON, "2611240000000002"),
    (Category.UNALLOCATED, "2611240000000002"),
    (Category.SHIPMENT_DUE_SOON, "2611250000000003"),
    (Category.OVERDUE_SHIPMENT, "2611230000000005"),
    (Category.UNALLOCATED, "2611230000000005"),
    (Category.AWAITING_SHIPMENT, "2611250000000006"),
    (Category.UNALLOCATED, "2611260000000007"),
    (Category.AFTERSALE_DUE_SOON, "2611200000000011"),
    (Category.REFUND_WAITING, "2611200000000012"),
    (Category.REFUND_WAITING, "2611200000000013"),
    (Category.PRESCRIPTION_REVIEW, "2611260000000021"),
    (Category.BUYER_MESSAGE, "LY2611260001"),
}


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


async def sweep(running: RunningReplicas, tmp_path: Path, name: str = "run") -> FlowResult:
    return await sweep_one(running, KEY, tmp_path, name, retries=0)


# -- login -----------------------------------------------------------------------------------------


async def test_password_login_ends_on_store_home_with_the_notice_closed(page: Page) -> None:
    with replica() as running:
        ctx = await logged_in(page, running)
        assert page.url == running.base_url(KEY) + "/"
        assert not await page.get_by_role("dialog", name="系统公告").is_visible()
        names = {c["name"] for c in await page.context.cookies()}
        assert {"ASP.NET_SessionId", "logined_username"} <= names
        await FLOW.open(ctx)
        assert replica_state(running)["logins"] == 1


async def test_captcha_without_a_person_is_a_login_challenge(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        with pytest.raises(LoginChallenge, match="验证码"):
            await logged_in(page, running)
        assert replica_state(running)["logins"] == 0


async def test_captcha_with_a_person_waits_until_they_have_typed_it(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        told = asyncio.Event()
        messages: list[str] = []

        def tell(text: str) -> None:
            messages.append(text)
            told.set()

        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        login = asyncio.create_task(FLOW.login(ctx, CREDS, HumanWait(timeout_s=30, tell=tell)))
        await asyncio.wait_for(told.wait(), 15)
        assert "验证码" in messages[0]
        # The person reads the image and types it (the replica tells the test what it shows).
        async with httpx.AsyncClient() as client:
            code = (await client.get(running.host_url(KEY, "reg") + "/__replica__/captcha")).json()["code"]
        await page.get_by_placeholder("验证码", exact=True).fill(code)
        await page.get_by_role("button", name="登录").click()
        await asyncio.wait_for(login, 30)
        assert page.url == running.base_url(KEY) + "/"
        assert replica_state(running)["logins"] == 1


async def test_wrong_password_is_rejected(page: Page) -> None:
    with replica() as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        bad = Credentials(username=DEMO_USERNAME, password="wrong")
        with pytest.raises(LoginRejected, match="用户名或密码错误"):
            await FLOW.login(ctx, bad, None)


async def test_locked_account_is_rejected(page: Page) -> None:
    with replica(faults=["account_locked"]) as running, pytest.raises(LoginRejected, match="锁定"):
        await logged_in(page, running)


async def test_open_without_a_session_is_session_expired(page: Page) -> None:
    with replica() as running:
        ctx = flow_context(page, KEY, running.base_url(KEY), NOW)
        with pytest.raises(SessionExpired):
            await FLOW.open(ctx)


# -- collecting ------------------------------------------------------------------------------------


async def test_every_category_under_the_fixed_clock_with_malformed_rows_kept(page: Page) -> None:
    with replica(replace=CASES) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        found = {(f.category, f.order_no) for f in ctx.sink.findings}
        assert found == EXPECTED
        assert len(ctx.sink.findings) == len(EXPECTED), "one finding per case and category"
        by_key = {(f.category, f.order_no): f for f in ctx.sink.findings}
        overdue = by_key[(Category.OVERDUE_SHIPMENT, "2611240000000001")]
        assert overdue.deadline_at == NOW.replace(day=25, hour=16, minute=0)
        assert overdue.created_at == NOW.replace(day=24, hour=15, minute=0)
        assert overdue.amount_yuan == Decimal("35.40")
        assert overdue.customer == "测试甲 17000000001" and overdue.status_text == "待发货"
        assert overdue.link == running.base_url(KEY) + "/order/detail/2611240000000001"
        assert overdue.deadline_at is not None and overdue.deadline_at.tzinfo is not None
        due = by_key[(Category.SHIPMENT_DUE_SOON, "2611250000000003")]
        assert due.deadline_at == NOW.replace(hour=16, minute=0)
        assert due.buyer_memo == "<script>alert(1)</script>"
        assert by_key[(Category.UNALLOCATED, "2611240000000002")].status_text == "锁库失败·库存不足"
        assert by_key[(Category.UNALLOCATED, "2611260000000007")].status_text == "未分配"
        refund = by_key[(Category.AFTERSALE_DUE_SOON, "2611200000000011")]
        assert refund.deadline_at == NOW.replace(hour=20, minute=0) and refund.amount_yuan == Decimal("16.80")
        assert "TK2611240001" in refund.detail
        assert refund.link == running.base_url(KEY) + "/refund/detail/TK2611240001"
        rx = by_key[(Category.PRESCRIPTION_REVIEW, "2611260000000021")]
        assert rx.customer.startswith("测试乙") and rx.status_text == "待审核" and rx.amount_yuan == Decimal("45.60")
        message = by_key[(Category.BUYER_MESSAGE, "LY2611260001")]
        assert message.buyer_memo == "<b>什么时候发货？</b>" and message.customer == "yfw_000001"
        tallies = ctx.sink.lists
        assert [tallies[n].rows_read for n in LISTS] == [7, 3, 1, 1], "comfortable orders are counted too"
        assert all(t.complete and t.expected == t.rows_read for t in tallies.values())
        # Rows whose times or amounts cannot be read are kept, flagged, with their raw text.
        odd = by_key[(Category.AWAITING_SHIPMENT, "2611250000000006")]
        assert odd.deadline_at is None and odd.created_at is None and odd.amount_yuan is None
        assert {p.split(":")[0] for p in odd.problems} == {"created_at", "deadline_at", "amount_yuan"}
        assert odd.raw == {"created_at": "昨天下午", "deadline_at": "尽快", "amount_yuan": "¥abc"}
        no_deadline = by_key[(Category.REFUND_WAITING, "2611200000000013")]
        assert no_deadline.deadline_at is None and [p.split(":")[0] for p in no_deadline.problems] == ["deadline_at"]


async def test_paging_uses_the_largest_page_size_and_reads_to_the_last_page(page: Page) -> None:
    others = {k: v for k, v in CASES.items() if k != "orders"}
    with replica(items=201, add={"orders": [ORDERS[0]]}, replace=others) as running:
        ctx = await logged_in(page, running)
        seen: list[str] = []
        page.context.on("request", lambda r: seen.append(r.url) if "/list/" in r.url else None)
        await FLOW.collect(ctx)
        assert [u for u in seen if "/refund/list/" in u] == [running.base_url(KEY) + "/refund/list/?status=0"], (
            "a list that fits on its first page is not reloaded with a bigger page size")
        seen = [u for u in seen if "/order/list/" in u]
        orders = ctx.sink.lists["orders_to_ship"]
        assert (orders.pages, orders.rows_read, orders.expected, orders.complete) == (3, 202, 202, True)
        assert [u.split("?")[1] for u in seen] == [
            "status=1", "status=1&pagesize=100&page=1", "status=1&page=2&pagesize=100",
            "status=1&page=3&pagesize=100"]
        numbers = [f.order_no for f in ctx.sink.findings if f.category is Category.OVERDUE_SHIPMENT]
        assert "2611240000000001" in numbers and len(numbers) == len(set(numbers))
        assert all(t.complete for t in ctx.sink.lists.values())


async def test_empty_lists_are_confirmed_empty(page: Page) -> None:
    with replica(faults=["empty_lists"]) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        assert ctx.sink.findings == []
        assert [(t.name, t.expected, t.rows_read, t.complete) for t in ctx.sink.lists.values()] == [
            (name, 0, 0, True) for name in LISTS]


async def test_yellow_error_page_with_http_200_is_site_unavailable(page: Page) -> None:
    args = {"aspnet_error_200": {"list": "refunds", "page": 1}}
    with replica(faults=["aspnet_error_200"], fault_args=args) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match="Server Error"):
            await FLOW.collect(ctx)
        assert ctx.sink.lists["orders_to_ship"].complete
        assert not ctx.sink.lists["refunds"].complete


async def test_a_later_page_that_is_not_the_list_is_opened_for_real_and_shown(page: Page) -> None:
    """Pages after the first are fetched unrendered; the yellow page instead of page 2 is opened
    on screen, where the flow's checks name it and the evidence shows it."""
    args = {"aspnet_error_200": {"list": "orders", "page": 2}}
    with replica(items=150, faults=["aspnet_error_200"], fault_args=args) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match="Server Error"):
            await FLOW.collect(ctx)
        assert ctx.sink.lists["orders_to_ship"].pages == 1 and not ctx.sink.lists["orders_to_ship"].complete
        await expect(page.get_by_text("Server Error in '/' Application").first).to_be_visible()


async def test_a_page_that_never_answers_is_site_unavailable(page: Page) -> None:
    args = {"timeout_page": {"list": "orders", "page": 1, "hold_s": 5}}
    with replica(faults=["timeout_page"], fault_args=args) as running:
        ctx = await logged_in(page, running)
        page.set_default_navigation_timeout(1500)
        with pytest.raises(SiteUnavailable, match="timed out"):
            await FLOW.collect(ctx)
        await page.goto("about:blank")  # let go of the held request before the replica stops


@pytest.mark.parametrize(("what", "missing"), [
    ("rows", "list.record_head"),
    ("pager", "list.pager_info"),
    ("columns", "texts.col_allocation"),
])
async def test_renamed_hooks_are_layout_changes(page: Page, what: str, missing: str) -> None:
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": what}}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(LayoutChanged, match=missing.replace(".", r"\.")):
            await FLOW.collect(ctx)


async def test_session_lost_mid_sweep_is_session_expired(page: Page) -> None:
    faults = {"faults": ["session_expired"], "fault_args": {"session_expired": {"after_requests": 4}}}
    with replica(**faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SessionExpired):
            await FLOW.collect(ctx)
        assert len(ctx.sink.lists) < len(LISTS) or not all(t.complete for t in ctx.sink.lists.values())


# -- whole sweeps with the real runner -------------------------------------------------------------


@pytest.mark.slow
async def test_saved_session_is_reused_and_an_expired_one_replaced(tmp_path: Path) -> None:
    with replica(replace=CASES) as running:
        first = await sweep(running, tmp_path, "first")
        assert first.status is FlowStatus.OK, first.reason
        assert {(f.category, f.order_no) for f in first.findings} == EXPECTED
        overdue = next(f for f in first.findings if f.order_no == "2611240000000001")
        assert overdue.seconds_left == -(17 * 3600 + 20 * 60)
        second = await sweep(running, tmp_path, "second")
        assert second.status is FlowStatus.OK, second.reason
        assert replica_state(running)["logins"] == 1, "the saved ASP.NET session was reused"
        assert len(second.findings) == len(EXPECTED)
        async with httpx.AsyncClient() as client:
            await client.post(running.base_url(KEY) + "/__replica__/expire")
        third = await sweep(running, tmp_path, "third")
        assert third.status is FlowStatus.OK, third.reason
        assert replica_state(running)["logins"] == 2, "logged in again with the stored password"


@pytest.mark.slow
async def test_sessions_the_site_keeps_dropping_end_as_needs_login(tmp_path: Path) -> None:
    with replica(faults=["session_expired"]) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.NEEDS_LOGIN, result.reason
        assert "login" in result.reason and result.findings == []
        assert result.fix_command == "sweeper login yaofangwang --account default"


@pytest.mark.slow
async def test_counts_that_disagree_with_the_rows_read_are_partial(tmp_path: Path) -> None:
    """A stale pager total, and a record that leaves the list while it is paged (one is missed)."""
    cases = {k: v for k, v in CASES.items() if k != "messages"}
    faults = ["count_mismatch", "list_shifts"]
    args = {"count_mismatch": {"list": "prescriptions", "delta": 2},
            "list_shifts": {"list": "messages", "after_page": 2, "count": 1}}
    with replica(items=201, replace=cases, faults=faults, fault_args=args) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.PARTIAL
        assert "prescriptions: read 1 rows, the platform says 3" in result.reason
        assert "messages: read 200 rows, the platform says 201" in result.reason
        assert {(f.category, f.order_no) for f in result.findings} >= EXPECTED - {
            (Category.BUYER_MESSAGE, "LY2611260001")}


@pytest.mark.slow
async def test_aspnet_error_page_makes_the_sweep_partial_with_the_reason(tmp_path: Path) -> None:
    args = {"aspnet_error": {"list": "refunds", "page": 1}}
    with replica(replace=CASES, faults=["aspnet_error"], fault_args=args) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.PARTIAL, "the orders list was read to its end"
        assert result.reason == "refund/list/: HTTP 500"
        assert {f.order_no for f in result.findings if f.category is Category.OVERDUE_SHIPMENT} == {
            "2611240000000001", "2611230000000005"}
        assert result.evidence


@pytest.mark.slow
async def test_error_page_on_the_first_list_keeps_the_lists_read_beside_it(tmp_path: Path) -> None:
    """Lists are read side by side (3 tabs): the two begun beside the failing one are read to their
    end (the fourth starts only if a tab was free before the failure). One tab at a time, nothing
    would be read."""
    args = {"page_500": {"list": "orders", "page": 1}}
    with replica(faults=["page_500"], fault_args=args) as running:
        result = await sweep(running, tmp_path)
        assert result.status is FlowStatus.PARTIAL and "HTTP 500" in result.reason
        complete = {t.name: t.complete for t in result.lists}
        assert complete["orders_to_ship"] is False and complete["refunds"] and complete["prescriptions"]
        kinds = {Category.REFUND_WAITING, Category.AFTERSALE_DUE_SOON, Category.PRESCRIPTION_REVIEW}
        assert result.findings and {f.category for f in result.findings} <= kinds


def test_fixed_clock_is_shanghai() -> None:
    assert NOW.tzinfo is SHANGHAI and NOW.hour == 9 and NOW.minute == 20
