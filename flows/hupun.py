"""万里牛 (Hupun) ERP + WMS: the 09:30 slot ("check remarks platform by platform, mind the 中药
规格") and the WMS allocation the marketplace slots ask about.

Lists, each read to its end from the JSON the business page in the shell's iframe receives:
  remarks             订单备注 (近90天, all platforms) -> ERP_ORDER facts, REMARK_MISSING, TCM_SPEC_CHECK
  remarks_wait_audit  its 订单审核 rows, reconciled with the home counter 待审核
  wms_orders          B2C出库·订单分配, after the 系统任务 panel shows no running job
                      -> ERP_ORDER facts (wms_state), UNALLOCATED
  wms_exceptions      its exception rows, reconciled with the home counter 异常
Facts carry the marketplace's own order number and its platform key (`source`, mapped from the
ERP's 平台 text by selectors/hupun.toml `source_<key>` entries); the cross-checks merge them.
Site facts: docs/platforms.md §8, §10.6.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from flows import hupun_session
from flows.hupun_grid import Grid
from flows.hupun_rows import Vocab, remark_fact_fields, remark_findings, tids, wms_fact_fields, wms_finding
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import FactKind
from sweeper.parsing import FindingDraft, clean_text, integer
from sweeper.popups import close_whenever
from sweeper.side_by_side import side_by_side

# How long to wait for a running 系统任务 (a wave job) before reading the allocation list anyway.
JOB_WAIT_S = 30.0


class HupunFlow:
    key = "hupun"
    role = "erp"  # the engine's cross-checks treat this platform's facts as the ERP/WMS side
    required: Mapping[str, Sequence[str]] = MappingProxyType({
        "urls": ["login", "home", "remarks", "wms", "order_detail"],
        "api": ["home_counts", "remarks", "wms"],
        "texts": ["login_path", "envelope_ok", "session_expired_codes", "rejected", "locked", "challenge",
                  "time_range_widest", "erp_open_statuses", "erp_closed_statuses", "erp_audit_status",
                  "type_reship", "pay_cod", "pay_online", "tcm_categories", "wms_unallocated",
                  "wms_exceptions", "wms_known", "ship_cutoff"],
        "selectors.login": ["account_switch", "username", "password", "submit", "error", "slider"],
        "selectors.home": ["user_menu", "update_time", "ad", "ad_close", "refresh"],
        "selectors.frame": ["iframe"],
        "selectors.biz": ["remark_table", "wms_table", "more", "more_box", "time_range", "query",
                          "page_size", "dropdown_item", "pager_current", "next", "task_panel", "task_loaded",
                          "task_running", "task_close"],
    })

    async def open(self, ctx: FlowContext) -> None:
        await hupun_session.open_home(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await hupun_session.login(ctx, creds, human)

    async def collect(self, ctx: FlowContext) -> None:
        await _watch_ad(ctx)
        vocab = Vocab.of(ctx.locators)
        counters = HomeCounters()
        jobs = [lambda lane: self._remarks(lane, vocab, counters),
                lambda lane: self._wms(lane, vocab, counters)]
        await side_by_side(ctx, jobs, prepare=_watch_ad)

    async def _remarks(self, ctx: FlowContext, vocab: Vocab, home: HomeCounters) -> None:
        counters = await home.read(ctx)  # the first list's tab is the home page: read them there
        grid = Grid(ctx, "remarks", "remark_table")
        await grid.open("remarks")
        await grid.open_more()  # the order-time filter hides under "更多"; the default is 近7天
        widest = ctx.locators.text("time_range_widest")[0]
        await grid.choose(await grid.need("time_range"), widest, "time_range")
        await grid.largest_page_size()
        audit = ctx.locators.text("erp_audit_status")[0]
        waiting_audit = 0

        def handle(row: dict[str, Any]) -> None:
            nonlocal waiting_audit
            fields = remark_fact_fields(row, vocab)
            for number in tids(row.get("tid")) or [""]:
                ctx.sink.fact(FactKind.ERP_ORDER, number, source=vocab.source(fields["platform"]), **fields)
            _add(ctx, remark_findings(ctx, vocab, row))
            waiting_audit += int(clean_text(row.get("status")) == audit)

        await grid.read_all("remarks", "订单备注 近90天 共N条", await grid.query(), handle)
        counter = counters.get("waitAudit")
        _tally_subset(ctx, "remarks_wait_audit", waiting_audit, counter, "首页计数「待审核」")

    async def _wms(self, ctx: FlowContext, vocab: Vocab, home: HomeCounters) -> None:
        grid = Grid(ctx, "wms", "wms_table")
        await grid.open("wms")
        wait_s = float(ctx.options.extra.get("job_wait_s", JOB_WAIT_S))
        still_running = await grid.settle_tasks(wait_s)
        if still_running:
            ctx.log.warning("system tasks still running; their orders are flagged", tasks=still_running)
        await grid.close_tasks()
        await grid.largest_page_size()
        exceptions = 0

        def handle(row: dict[str, Any]) -> None:
            nonlocal exceptions
            fields = wms_fact_fields(row, wait_s)
            for number in tids(row.get("tid")) or [""]:
                ctx.sink.fact(FactKind.ERP_ORDER, number, source=vocab.source(fields["platform"]), **fields)
            finding = wms_finding(ctx, vocab, row, wait_s)
            _add(ctx, [finding] if finding else [])
            exceptions += int(fields["wms_state"] in vocab.exceptions)

        await grid.read_all("wms_orders", "B2C出库订单 共N条", await grid.query(), handle)
        counters = await home.value()
        _tally_subset(ctx, "wms_exceptions", exceptions, counters.get("exception"), "首页计数「异常」")


class HomeCounters:
    """The home page's counters, read once by the first list's tab before it leaves home.

    The WMS list does not wait for them: its tab opens at once, because the 系统任务 it must let
    finish is the longest path of the sweep; it needs the counters only for its tally at the end.
    A failure to read them is that list's failure too (the first list's, in the report).
    """

    def __init__(self) -> None:
        self._ready: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        # A list that failed before its tally never asks: its failure is reported, not this one's.
        self._ready.add_done_callback(lambda done: done.cancelled() or done.exception())

    async def read(self, ctx: FlowContext) -> dict[str, Any]:
        try:
            counters = await hupun_session.refreshed_counters(ctx)
        except asyncio.CancelledError:
            self._ready.cancel()
            raise
        except Exception as exc:
            self._ready.set_exception(exc)
            raise
        self._ready.set_result(counters)
        return counters

    async def value(self) -> dict[str, Any]:
        return await self._ready


def _add(ctx: FlowContext, drafts: list[FindingDraft]) -> None:
    for draft in drafts:
        ctx.sink.add(draft.build())


def _tally_subset(ctx: FlowContext, name: str, found: int, counter: Any, note: str) -> None:
    """A subset of a list read to its end, reconciled with the home page's own counter."""
    ctx.sink.open_list(name, integer(counter).value if counter is not None else None, note)
    ctx.sink.page_read(name, found)
    ctx.sink.close_list(name)


async def _watch_ad(ctx: FlowContext) -> None:
    """The ad may also cover a business page (and its iframe): close it whenever it is in the way."""
    await close_whenever(ctx.page, "ad", ctx.sel("home", "ad").first, ctx.sel("home", "ad_close").first)


FLOW = HupunFlow()
