"""The own-admin flow (admin.syt.cn) in headless Chromium against its replica, on a fixed clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page

from flows.admin import FLOW
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FlowResult, FlowStatus
from sweeper.rules import tally_problems
from sweeper.sessions import SessionStore
from tests.helpers import FIXED_NOW, SHANGHAI, flow_context, one_tab, sweep_one

NOW = FIXED_NOW
CREDS = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
LISTS = ("stock", "to_ship_platform", "awaiting_payment", "cod_orders", "reship_orders")


def _order(order_no: str, **fields: Any) -> dict[str, Any]:
    item = fields.pop("item", ("蒙脱石散", "SYT100111", "1", "0"))
    name, sku, qty, rx = item
    return {"order_no": order_no, "items": [{"syt_sku": sku, "name": name, "spec": "盒", "qty": qty,
                                             "price": "17.50", "is_rx": rx, "is_tcm": "0"}], **fields}


# One order per case; every other order is a control that must yield no finding of its kind.
ORDERS = [
    _order("GW261126080001", state="20", pay_type="2", amount="264.00", created_at="2026-11-26 08:00:01",
           user_remark="请发顺丰，谢谢", consignee="测试甲", mobile="13800130001",
           item=("三七粉", "SYT100122", "5", "0")),
    _order("GW26112608000201", state="20", pay_type="2", amount="17.50", created_at="2026-11-26 08:00:02",
           user_remark="<script>alert(1)</script>"),
    _order("GW261126080003", state="10", pay_type="1", amount="15.80", created_at="2026-11-26 08:00:03",
           item=("阿莫西林胶囊", "SYT100101", "1", "1")),
    _order("GW261126080004", state="10", pay_type="2", amount="17.50", created_at="2026-11-26 08:00:04"),
    _order("GW261126080005", state="20", pay_type="3", carrier="申通快递", created_at="2026-11-26 08:00:05"),
    _order("GW261126080006", state="30", pay_type="3", carrier="中通快递", created_at="2026-11-26 08:00:06"),
    _order("GW261126080007", state="40", pay_type="3", carrier="顺丰速运", created_at="2026-11-26 08:00:07"),
    _order("GW261126080008", state="30", pay_type="2", is_reship="1", admin_remark="拼多多 补发 蒙脱石散",
           created_at="2026-11-26 08:00:08"),
    _order("GW261126080009", state="30", pay_type="2", is_reship="1", created_at="2026-11-26 08:00:09",
           admin_remark="拼多多 261124-672850297221479 补发 蒙脱石散"),
    _order("GW261126080010", state="20", pay_type="2", amount="12,5x", created_at="昨天下午"),
    _order("GW261126080011", state="20", pay_type="1", created_at="2026-11-26 08:00:11"),
]
EXPECTED = {
    (Category.AWAITING_SHIPMENT, "GW261126080001"),
    (Category.STOCK_SHORTAGE, "GW261126080001"),
    (Category.AWAITING_SHIPMENT, "GW26112608000201"),
    (Category.RX_AWAITING_PAYMENT, "GW261126080003"),
    (Category.COD_NOT_ZTO, "GW261126080005"),
    (Category.RESHIP_REMARK_MALFORMED, "GW261126080008"),
    (Category.AWAITING_SHIPMENT, "GW261126080010"),
}


@contextmanager
def replica(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario(clock=NOW, platforms={"admin": PlatformScenario(**platform)})
    with serve_replicas(scenario, ["admin"]) as running:
        yield running


async def expire_sessions(running: RunningReplicas) -> None:
    async with httpx.AsyncClient() as client:
        await client.post(running.base_url("admin") + "/__replica__/expire")


def replica_state(running: RunningReplicas) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(running.base_url("admin") + "/__replica__/state").json()
    return answer


async def logged_in(page: Page, running: RunningReplicas) -> FlowContext:
    ctx = flow_context(page, "admin", running.base_url("admin"), NOW)
    await FLOW.login(ctx, CREDS, None)
    return ctx


async def sweep(running: RunningReplicas, tmp_path: Path, name: str = "run") -> FlowResult:
    return await sweep_one(running, "admin", tmp_path, name)


# -- login -----------------------------------------------------------------------------------------


async def test_password_login_ends_on_home_with_the_announcement_closed(page: Page) -> None:
    with replica() as running:
        ctx = await logged_in(page, running)
        assert page.url == running.base_url("admin") + "/index"
        assert await page.get_by_role("dialog", name="系统公告").count() == 0
        assert await page.get_by_role("link", name="退出").is_visible()
        assert (await page.context.cookies())[0]["name"] == "PHPSESSID"
        await FLOW.open(ctx)  # the saved session opens the home page without logging in again
        assert replica_state(running)["logins"] == 1


async def test_captcha_without_a_person_is_a_login_challenge(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        with pytest.raises(LoginChallenge, match="图片验证码"):
            await logged_in(page, running)
        assert replica_state(running)["logins"] == 0


async def test_captcha_with_a_person_waits_until_they_have_typed_it(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        base = running.base_url("admin")
        ctx = flow_context(page, "admin", base, NOW)
        told: list[str] = []
        asked = asyncio.Event()

        def tell(text: str) -> None:
            told.append(text)
            asked.set()

        human = HumanWait(timeout_s=30, tell=tell)
        login = asyncio.create_task(FLOW.login(ctx, CREDS, human))
        await asyncio.wait_for(asked.wait(), 20)
        assert "验证码" in told[0] and not login.done()
        # The test plays the person: read the captcha shown to this browser and type it.
        code = (await (await page.request.get(base + "/__replica__/captcha")).json())["captcha"]
        await page.get_by_label("验证码", exact=True).fill(code)
        await page.get_by_role("button", name="登录", exact=True).click()
        await asyncio.wait_for(login, 30)
        assert page.url == base + "/index"
        assert await page.get_by_role("dialog", name="系统公告").count() == 0
        assert replica_state(running)["logins"] == 1


@pytest.mark.parametrize(
    ("platform", "password", "message"),
    [
        ({}, "wrong-password", "用户名或密码错误"),
        ({"faults": ["account_locked"]}, DEMO_PASSWORD, "账号已被锁定"),
    ],
)
async def test_wrong_password_and_locked_account_are_rejected(
    page: Page, platform: dict[str, Any], password: str, message: str
) -> None:
    with replica(**platform) as running:
        ctx = flow_context(page, "admin", running.base_url("admin"), NOW)
        with pytest.raises(LoginRejected, match=message):
            await FLOW.login(ctx, Credentials(username=DEMO_USERNAME, password=password), None)


# -- collecting ------------------------------------------------------------------------------------


async def test_every_category_on_the_fixed_clock(page: Page) -> None:
    with replica(replace={"orders": ORDERS}) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
    found = {(f.category, f.order_no): f for f in ctx.sink.findings}
    assert set(found) == EXPECTED
    assert len(ctx.sink.findings) == len(EXPECTED)
    shortage = found[(Category.STOCK_SHORTAGE, "GW261126080001")]
    assert shortage.detail == "三七粉 库存 3 < 订购 5"
    waiting = found[(Category.AWAITING_SHIPMENT, "GW261126080001")]
    assert waiting.buyer_memo == "请发顺丰，谢谢" and waiting.amount_yuan == Decimal("264.00")
    assert waiting.created_at == datetime(2026, 11, 26, 8, 0, 1, tzinfo=SHANGHAI)
    assert waiting.status_text == "待发货" and waiting.customer.startswith("测试甲 13800130001")
    assert waiting.link == running.base_url("admin") + "/order/detail?order_no=GW261126080001"
    assert waiting.deadline_at is None and waiting.seconds_left is None and not waiting.problems
    assert found[(Category.AWAITING_SHIPMENT, "GW26112608000201")].buyer_memo == "<script>alert(1)</script>"
    assert "阿莫西林胶囊" in found[(Category.RX_AWAITING_PAYMENT, "GW261126080003")].detail
    assert "申通快递" in found[(Category.COD_NOT_ZTO, "GW261126080005")].detail
    assert "缺少原订单号" in found[(Category.RESHIP_REMARK_MALFORMED, "GW261126080008")].detail
    tallies = ctx.sink.lists
    assert [tallies[n].rows_read for n in LISTS] == [22, 3, 2, 3, 2]
    assert all(t.complete and t.expected == t.rows_read for t in tallies.values())


async def test_a_malformed_row_is_kept_and_flagged(page: Page) -> None:
    with replica(replace={"orders": ORDERS}) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
    odd = next(f for f in ctx.sink.findings if f.order_no == "GW261126080010")
    assert odd.category is Category.AWAITING_SHIPMENT
    assert odd.amount_yuan is None and odd.created_at is None
    assert odd.raw == {"amount_yuan": "12,5x", "created_at": "昨天下午"}
    assert [p.split(":")[0] for p in odd.problems] == ["amount_yuan", "created_at"]


async def test_paging_reads_every_page_at_the_largest_page_size(page: Page) -> None:
    with replica(items=250) as running:
        ctx = await logged_in(page, running)
        before = running.request_counts["admin"]
        await FLOW.collect(ctx)
        requests = running.request_counts["admin"] - before
    tallies = ctx.sink.lists
    assert {n: (t.pages, t.rows_read) for n, t in tallies.items()} == {
        "stock": (1, 22), "to_ship_platform": (2, 375), "awaiting_payment": (2, 250),
        "cod_orders": (2, 250), "reship_orders": (2, 250),
    }
    assert tally_problems(tallies.values()) == []
    waiting = [f for f in ctx.sink.findings if f.category is Category.AWAITING_SHIPMENT]
    assert len(waiting) == len({f.order_no for f in waiting}) == 375
    # stock page + its JSON twice (20, then 200 rows); in each tab reading order views, the order
    # page + its JSON twice; 4 views x 2 pages
    tabs = min(ctx.options.lists_in_parallel, 4)
    assert tabs > 1  # the views were read side by side
    assert requests == 3 + tabs * 3 + 4 * 2


async def test_php_empty_array_is_a_confirmed_empty_list(page: Page) -> None:
    with replica(faults=["empty_lists", "php_empty_data"]) as running:
        ctx = await logged_in(page, running)
        await FLOW.collect(ctx)
    assert ctx.sink.findings == []
    orders = [t for name, t in ctx.sink.lists.items() if name != "stock"]
    assert len(orders) == 4 and all(t.complete and t.rows_read == 0 == t.expected for t in orders)
    assert tally_problems(ctx.sink.lists.values()) == []


async def test_session_lost_mid_collect_is_session_expired(page: Page) -> None:
    with replica(faults=["session_expired"], fault_args={"session_expired": {"after_requests": 5}}) as running:
        ctx = one_tab(await logged_in(page, running))
        with pytest.raises(SessionExpired, match="登录超时"):
            await FLOW.collect(ctx)
        assert ctx.sink.lists["stock"].complete


async def test_markup_drift_is_a_layout_change(page: Page) -> None:
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": "order_table"}}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(LayoutChanged, match=r"orders\.table"):
            await FLOW.collect(ctx)


async def test_a_hanging_page_that_ends_in_504_is_site_unavailable(page: Page) -> None:
    faults = {"timeout_page": {"list": "stock", "page": 1, "ms": 300}}
    with replica(faults=["timeout_page"], fault_args=faults) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match="HTTP 504"):
            await FLOW.collect(ctx)


# -- whole sweeps with the real runner -------------------------------------------------------------


@pytest.mark.slow
async def test_second_sweep_reuses_the_saved_session(tmp_path: Path) -> None:
    with replica(replace={"orders": ORDERS}) as running:
        first = await sweep(running, tmp_path, "first")
        second = await sweep(running, tmp_path, "second")
        assert replica_state(running)["logins"] == 1
        await expire_sessions(running)
        third = await sweep(running, tmp_path, "third")
        assert replica_state(running)["logins"] == 2  # expired overnight: the stored password once
    for result in (first, second, third):
        assert result.status is FlowStatus.OK, result.reason
        assert {(f.category, f.order_no) for f in result.findings} == EXPECTED


@pytest.mark.slow
async def test_a_session_the_site_keeps_refusing_needs_login(tmp_path: Path) -> None:
    with replica(faults=["session_expired"]) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.NEEDS_LOGIN
    assert "log in again" in result.reason and result.fix_command == "sweeper login admin --account default"
    assert result.findings == []


@pytest.mark.slow
async def test_a_total_the_rows_do_not_reach_is_partial_with_the_numbers(tmp_path: Path) -> None:
    faults = {"count_mismatch": {"list": "orders", "delta": 1}}
    with replica(replace={"orders": ORDERS}, faults=["count_mismatch"], fault_args=faults) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.PARTIAL
    assert "to_ship_platform: read 3 rows, the platform says 4" in result.reason
    assert {(f.category, f.order_no) for f in result.findings} == EXPECTED
    # The flow ran to its end: the login held, so the session is kept for the next run.
    assert SessionStore(tmp_path / "state").load("admin", "default") is not None


@pytest.mark.slow
async def test_an_error_page_is_partial_with_the_reason(tmp_path: Path) -> None:
    faults = {"page_500": {"list": "orders", "page": 1}}
    with replica(replace={"orders": ORDERS}, faults=["page_500"], fault_args=faults) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.PARTIAL  # the stock list was read; no order list was
    assert "HTTP 500" in result.reason
    assert {t.name: t.complete for t in result.lists} == {"stock": True}
    assert result.findings == []


@pytest.mark.slow
async def test_empty_lists_are_ok_with_zero_findings(tmp_path: Path) -> None:
    with replica(faults=["empty_lists"]) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.OK, result.reason
    assert result.findings == []
    orders = [t for t in result.lists if t.name != "stock"]
    assert len(orders) == 4 and all(t.complete and t.rows_read == 0 == t.expected for t in orders)
