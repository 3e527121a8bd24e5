"""The 315价格网 flow in headless Chromium against its WebForms replica, on a fixed clock.

Clock: 2026-11-26 09:20. Ship rule under test: 48 h from payment (from the order for 货到付款),
due soon within 12 h; refunds: 48 h from the application, due soon within 24 h.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from flows.jiage315 import FLOW
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, FlowOptions, HumanWait
from sweeper.models import Category, FactKind, FlowStatus
from sweeper.rules import tally_problems
from tests.helpers import FIXED_NOW, SHANGHAI, flow_context, one_tab, sweep_one

KEY = "jiage315"
CREDS = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
LISTS = ("orders_to_ship", "refunds_waiting", "messages_unanswered")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


ORDERS: list[dict[str, Any]] = [
    {"order_no": "202611240755000001", "created_at": at("2026-11-24 07:55:00"), "paid_at": at("2026-11-24 08:00:00"),
     "amount": Decimal("33.60"), "goods": "布洛芬缓释胶囊 0.3g*20粒 ×2", "consignee": "测试甲", "phone": "17000000001",
     "memo": "请尽快发货"},  # deadline 26th 08:00: overdue
    {"order_no": "202611241955000002", "paid_at": at("2026-11-24 20:00:00")},  # 26th 20:00: due soon
    {"order_no": "202611250855000003", "paid_at": at("2026-11-25 09:00:00")},  # 27th 09:00: comfortable
    {"order_no": "202611240900000004", "created_at": at("2026-11-24 09:00:00"), "paid_at": None,
     "pay_type": "货到付款"},  # COD: counts from the order, 26th 09:00: overdue
    {"order_no": "202611250000000005", "created_at": "昨天下午", "paid_at": "", "amount": "abc"},  # unreadable
    {"order_no": "202611242100000006", "paid_at": at("2026-11-24 21:00:00"), "memo": "<script>alert(1)</script>"},
    {"order_no": "202611200800000007", "paid_at": at("2026-11-20 08:00:00"), "status": "已发货"},  # filtered out
    {"order_no": "202611260800000008", "paid_at": "", "status": "待付款"},  # filtered out
]
REFUNDS: list[dict[str, Any]] = [
    {"refund_no": "TK261124000001", "order_no": "202611200000000011", "applied_at": at("2026-11-24 12:00:00"),
     "amount": Decimal("16.80"), "kind": "退货退款", "reason": "包装破损"},  # 26th 12:00: due soon
    {"refund_no": "TK261125000002", "order_no": "202611200000000012", "applied_at": at("2026-11-25 20:00:00")},
    {"refund_no": "TK261123000003", "order_no": "202611200000000013", "applied_at": at("2026-11-23 10:00:00"),
     "status": "买家已退货，待商家收货"},  # past its deadline
    {"refund_no": "TK261120000004", "order_no": "202611200000000014", "status": "退款成功"},
    {"refund_no": "TK261120000005", "order_no": "202611200000000015", "status": "待买家退货"},
]
MESSAGES: list[dict[str, Any]] = [
    {"msg_no": "LY26112600001", "content": "<b>什么时候发货？</b>", "member": "会员1234567",
     "sent_at": at("2026-11-26 07:00:00"), "order_no": "202611241955000002"},
    {"msg_no": "LY26112500002", "status": "已回复"},
]
CASES = {"orders": ORDERS, "refunds": REFUNDS, "messages": MESSAGES}
EXPECTED = {
    (Category.OVERDUE_SHIPMENT, "202611240755000001"),
    (Category.SHIPMENT_DUE_SOON, "202611241955000002"),
    (Category.OVERDUE_SHIPMENT, "202611240900000004"),
    (Category.AWAITING_SHIPMENT, "202611250000000005"),
    (Category.SHIPMENT_DUE_SOON, "202611242100000006"),
    (Category.AFTERSALE_DUE_SOON, "202611200000000011"),
    (Category.REFUND_WAITING, "202611200000000012"),
    (Category.AFTERSALE_DUE_SOON, "202611200000000013"),
    (Category.BUYER_MESSAGE, "LY26112600001"),
}


@contextmanager
def replica(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario(clock=FIXED_NOW, platforms={KEY: PlatformScenario(**platform)})
    with serve_replicas(scenario, [KEY]) as running:
        yield running


async def expire_tickets(running: RunningReplicas) -> None:
    async with httpx.AsyncClient() as client:
        await client.post(running.base_url(KEY) + "/__replica__/expire")


def replica_state(running: RunningReplicas) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(running.base_url(KEY) + "/__replica__/state").json()
    return answer


async def logged_in(page: Page, running: RunningReplicas) -> FlowContext:
    ctx = flow_context(page, KEY, running.base_url(KEY))
    await FLOW.login(ctx, CREDS, None)
    return ctx


async def collected(page: Page, **platform: Any) -> tuple[FlowContext, str]:
    with replica(**platform) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
        return ctx, running.base_url(KEY)


# -- login -----------------------------------------------------------------------------------------


async def test_login_is_a_postback_that_sets_the_forms_ticket_and_the_session_is_reused(page: Page) -> None:
    with replica() as running:
        ctx = await logged_in(page, running)
        assert page.url == running.base_url(KEY) + "/Member/Default.aspx"
        assert {c["name"] for c in await page.context.cookies()} == {"ASP.NET_SessionId", ".ASPXAUTH"}
        await FLOW.open(ctx)
        await FLOW.login(ctx, CREDS, None)  # the ticket is still good: Login.aspx lets us straight in
        assert replica_state(running)["logins"] == 1
        await expire_tickets(running)
        with pytest.raises(SessionExpired, match="log in again"):
            await FLOW.open(ctx)


async def test_captcha_without_a_person_is_a_login_challenge(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        with pytest.raises(LoginChallenge, match="验证码"):
            await logged_in(page, running)
        assert replica_state(running)["logins"] == 0


async def test_captcha_with_a_person_waits_until_they_have_typed_it(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        base = running.base_url(KEY)
        ctx = flow_context(page, KEY, base)
        asked = asyncio.Event()
        told: list[str] = []

        def tell(text: str) -> None:
            told.append(text)
            asked.set()

        human = HumanWait(timeout_s=30, tell=tell)
        login = asyncio.create_task(FLOW.login(ctx, CREDS, human))
        await asyncio.wait_for(asked.wait(), 20)
        assert "验证码" in told[0] and not login.done()
        # The test plays the person: read this browser's captcha and type it.
        code = (await (await page.request.get(base + "/__replica__/captcha")).json())["captcha"]
        await page.locator("#ctl00_ContentPlaceHolder1_txtCode").fill(code)
        await page.locator("#ctl00_ContentPlaceHolder1_btnLogin").click()
        await asyncio.wait_for(login, 30)
        assert page.url == base + "/Member/Default.aspx" and replica_state(running)["logins"] == 1


@pytest.mark.parametrize(
    ("faults", "password", "message"),
    [([], "wrong-password", "用户名或密码错误"), (["account_locked"], DEMO_PASSWORD, "该账号已被锁定")],
)
async def test_wrong_password_and_locked_account_are_rejected(
    page: Page, faults: list[str], password: str, message: str
) -> None:
    with replica(faults=faults) as running:
        ctx = flow_context(page, KEY, running.base_url(KEY))
        with pytest.raises(LoginRejected, match=message):
            await FLOW.login(ctx, Credentials(username=DEMO_USERNAME, password=password), None)


# -- collecting ------------------------------------------------------------------------------------


async def test_every_category_on_the_fixed_clock_with_controls(page: Page) -> None:
    ctx, base = await collected(page, replace=CASES)
    found = {(f.category, f.order_no): f for f in ctx.sink.findings}
    assert set(found) == EXPECTED and len(ctx.sink.findings) == len(EXPECTED)
    overdue = found[(Category.OVERDUE_SHIPMENT, "202611240755000001")]
    assert overdue.deadline_at == at("2026-11-26 08:00:00") and overdue.created_at == at("2026-11-24 07:55:00")
    assert overdue.amount_yuan == Decimal("33.60") and overdue.item == "布洛芬缓释胶囊 0.3g*20粒 ×2"
    assert overdue.customer == "测试甲 17000000001" and overdue.buyer_memo == "请尽快发货"
    assert overdue.status_text == "待发货" and overdue.link == base + "/Member/OrderDetail.aspx?id=202611240755000001"
    assert overdue.detail == "在线支付 · 付款 2026/11/24 8:00:00" and not overdue.problems
    cod = found[(Category.OVERDUE_SHIPMENT, "202611240900000004")]
    assert cod.deadline_at == at("2026-11-26 09:00:00") and cod.detail == "货到付款" and not cod.problems
    soon = found[(Category.AFTERSALE_DUE_SOON, "202611200000000011")]
    assert soon.deadline_at == at("2026-11-26 12:00:00") and soon.amount_yuan == Decimal("16.80")
    assert soon.detail == "退款单号 TK261124000001 · 退货退款 · 包装破损"
    assert soon.link == base + "/Member/RefundDetail.aspx?id=TK261124000001"
    message = found[(Category.BUYER_MESSAGE, "LY26112600001")]
    assert message.buyer_memo == "<b>什么时候发货？</b>" and message.customer == "会员1234567"
    assert message.detail == "关联订单 202611241955000002" and message.status_text == "未回复"
    tallies = ctx.sink.lists
    assert [(tallies[n].rows_read, tallies[n].expected) for n in LISTS] == [(6, 6), (3, 3), (1, 1)]
    assert tally_problems(tallies.values()) == []


async def test_awaiting_shipment_facts_name_every_row_and_its_cod(page: Page) -> None:
    ctx, _ = await collected(page, replace=CASES)
    facts = {f.order_no: f for f in ctx.sink.facts}
    assert {f.kind for f in facts.values()} == {FactKind.AWAITING_SHIPMENT} and len(ctx.sink.facts) == 6
    assert set(facts) == {o["order_no"] for o in ORDERS[:6]}  # the comfortable one too, not the controls
    assert facts["202611240900000004"].fields == {"cod": "true"}
    assert facts["202611250855000003"].fields == {"cod": "false"}
    assert all(f.platform == KEY and f.account == "default" for f in facts.values())


async def test_an_unreadable_row_is_kept_flagged_and_script_text_stays_text(page: Page) -> None:
    ctx, _ = await collected(page, replace=CASES)
    odd = next(f for f in ctx.sink.findings if f.order_no == "202611250000000005")
    assert odd.category is Category.AWAITING_SHIPMENT and odd.deadline_at is None
    assert odd.amount_yuan is None and odd.created_at is None
    assert odd.raw == {"created_at": "昨天下午", "amount_yuan": "abc"}
    assert [p.split(":")[0] for p in odd.problems] == ["created_at", "amount_yuan"]
    memo = next(f for f in ctx.sink.findings if f.order_no == "202611242100000006")
    assert memo.buyer_memo == "<script>alert(1)</script>" and memo.category is Category.SHIPMENT_DUE_SOON


# The defaults (side by side, pages after the first fetched unrendered), and one list at a time
# with every page opened by a real click on its pager link.
@pytest.mark.parametrize(("tabs", "fast"), [(3, True), (1, False)])
async def test_every_list_is_read_to_its_end_by_postback_at_the_largest_page_size(
    page: Page, tabs: int, fast: bool
) -> None:
    with replica(items=250) as running:
        ctx = await logged_in(page, running)
        options = replace(ctx.options, lists_in_parallel=tabs, fast_page_turns=fast, fetch_list_pages=fast)
        ctx = replace(ctx, options=options)
        before = running.request_counts[KEY]
        await FLOW.collect(ctx)
        requests = running.request_counts[KEY] - before
        postbacks = replica_state(running)["postbacks"]
    tallies = ctx.sink.lists
    assert {n: (t.pages, t.rows_read, t.expected) for n, t in tallies.items()} == {
        name: (3, 250, 250) for name in LISTS
    }
    assert tally_problems(tallies.values()) == []
    assert len({f.order_no for f in ctx.sink.facts}) == 250
    # per list: one GET, then postbacks for the status, the page size (100) and pages 2 and 3
    assert (requests, postbacks) == (3 * 5, 3 * 4)


async def test_paging_follows_the_ellipsis_link_past_the_first_ten_page_buttons(page: Page) -> None:
    with replica(items=105, replace={"refunds": [], "messages": []}) as running:
        ctx = replace(await logged_in(page, running), options=FlowOptions(page_size=10))
        await FLOW.collect(ctx)
    orders = ctx.sink.lists["orders_to_ship"]
    assert (orders.pages, orders.rows_read, orders.rows_kept, orders.expected) == (11, 105, 105, 105)
    assert tally_problems(ctx.sink.lists.values()) == []


async def test_empty_lists_are_complete_with_zero_rows(page: Page) -> None:
    ctx, _ = await collected(page, faults=["empty_lists"])
    assert ctx.sink.findings == [] and ctx.sink.facts == []
    assert all(t.complete and t.rows_read == 0 == t.expected and t.pages == 1 for t in ctx.sink.lists.values())


async def test_a_ticket_refused_mid_collect_is_session_expired(page: Page) -> None:
    args = {"session_expired": {"after_requests": 4}}
    with replica(items=150, faults=["session_expired"], fault_args=args) as running:
        ctx = one_tab(await logged_in(page, running))  # which list meets the refusal: the first
        with pytest.raises(SessionExpired, match="orders_to_ship page 2"):
            await FLOW.collect(ctx)
    assert not ctx.sink.lists["orders_to_ship"].complete


async def test_a_later_page_that_is_not_the_list_is_opened_for_real_from_the_last_page_read(page: Page) -> None:
    """Page 2 is fetched unrendered; page 3 answers with the yellow page, so it is posted for real
    from page 2's form (the screen still shows page 1), and the evidence shows what came."""
    with replica(items=250, faults=["page_500"], fault_args={"page_500": {"list": "refunds", "page": 3}}) as running:
        ctx = one_tab(await logged_in(page, running))
        with pytest.raises(SiteUnavailable, match=r"refunds_waiting page 3: HTTP 500, ASP\.NET error page"):
            await FLOW.collect(ctx)
        await expect(page.get_by_text("Server Error in '/' Application.")).to_be_visible()
    refunds = ctx.sink.lists["refunds_waiting"]
    assert (refunds.pages, refunds.rows_read, refunds.complete) == (2, 200, False)


@pytest.mark.parametrize(
    ("what", "missing"),
    [("grid", r"orders\.grid"), ("pager", r"list\.pager_links \(no link to page 2\)"), ("rows", r"list\.rows"),
     ("total", r"list\.record_count"), ("status", r"orders\.status"), ("page_size", r"list\.page_size")],
)
async def test_markup_drift_is_a_layout_change_naming_the_selector(page: Page, what: str, missing: str) -> None:
    with replica(items=150, faults=["markup_drift"], fault_args={"markup_drift": {"what": what}}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(LayoutChanged, match=missing):
            await FLOW.collect(ctx)


@pytest.mark.parametrize(("what", "missing"), [("login", r"login\.username"), ("home", r"home\.logged_in")])
async def test_login_page_and_home_drift_are_layout_changes(page: Page, what: str, missing: str) -> None:
    drift = {"markup_drift": {"what": what}}
    with replica(faults=["markup_drift"], fault_args=drift) as running, pytest.raises(LayoutChanged, match=missing):
        await logged_in(page, running)


@pytest.mark.parametrize(
    ("fault", "args", "reason"),
    [
        ("page_500", {"list": "refunds", "page": 2}, "refunds_waiting page 2: HTTP 500, ASP.NET error page: "
                                                     "Object reference not set"),
        ("timeout_page", {"list": "orders", "page": 1, "ms": 300}, "orders_to_ship: HTTP 500.*Request timed out"),
        ("app_recycle", {"after_postbacks": 1}, "Validation of viewstate MAC failed"),
    ],
)
async def test_server_errors_are_site_unavailable_with_the_yellow_pages_message(
    page: Page, fault: str, args: dict[str, Any], reason: str
) -> None:
    with replica(items=150, faults=[fault], fault_args={fault: args}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match=reason):
            await FLOW.collect(ctx)


# -- whole sweeps with the real runner -------------------------------------------------------------


@pytest.mark.slow
async def test_second_sweep_reuses_the_saved_session_and_an_expired_one_logs_in_once(tmp_path: Path) -> None:
    with replica(replace=CASES) as running:
        first = await sweep_one(running, KEY, tmp_path, "first")
        second = await sweep_one(running, KEY, tmp_path, "second")
        assert replica_state(running)["logins"] == 1
        await expire_tickets(running)
        third = await sweep_one(running, KEY, tmp_path, "third")
        assert replica_state(running)["logins"] == 2
    for result in (first, second, third):
        assert result.status is FlowStatus.OK, result.reason
        assert {(f.category, f.order_no) for f in result.findings} == EXPECTED
        assert len(result.facts) == 6
    overdue = next(f for f in first.findings if f.order_no == "202611240755000001")
    assert overdue.seconds_left == -80 * 60  # the runner measures the deadline against the run's clock


@pytest.mark.slow
async def test_whole_sweep_statuses_for_the_faults(tmp_path: Path) -> None:
    with replica(replace=CASES, faults=["count_mismatch"], fault_args={"count_mismatch": {"delta": 1}}) as r:
        mismatch = await sweep_one(r, KEY, tmp_path, "mismatch")
    assert mismatch.status is FlowStatus.PARTIAL
    assert "orders_to_ship: read 6 rows, the platform says 7" in mismatch.reason
    with replica(replace=CASES, faults=["page_500"], fault_args={"page_500": {"list": "refunds"}}) as r:
        broken = await sweep_one(r, KEY, tmp_path, "broken", retries=0)
    assert broken.status is FlowStatus.PARTIAL and "HTTP 500" in broken.reason
    # The lists are read side by side: the two that did not fail are read to their end.
    assert {t.name: t.complete for t in broken.lists} == {
        "orders_to_ship": True, "refunds_waiting": False, "messages_unanswered": True}
    with replica(faults=["session_expired"]) as r:
        refused = await sweep_one(r, KEY, tmp_path, "refused")
    assert refused.status is FlowStatus.NEEDS_LOGIN and refused.fix_command == f"sweeper login {KEY} --account default"
    with replica(faults=["challenge_on_login"]) as r:
        challenged = await sweep_one(r, KEY, tmp_path / "fresh", "challenged")
    assert challenged.status is FlowStatus.NEEDS_LOGIN and "验证码" in challenged.reason
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": "grid"}}) as r:
        drifted = await sweep_one(r, KEY, tmp_path / "drift", "drifted")
    assert drifted.status is FlowStatus.FAILED and "orders.grid" in drifted.reason and drifted.evidence


@pytest.mark.slow
async def test_an_app_pool_recycle_mid_sweep_is_retried_and_ends_ok(tmp_path: Path) -> None:
    with replica(replace=CASES, faults=["app_recycle"], fault_args={"app_recycle": {"after_postbacks": 1}}) as r:
        result = await sweep_one(r, KEY, tmp_path)
        assert replica_state(r)["recycled"] is True
    assert result.status is FlowStatus.OK, result.reason
    assert {(f.category, f.order_no) for f in result.findings} == EXPECTED
