"""The three GridView list pages: a GET shows page 1 of everything; every later view is a postback.

A postback carries the view state of the view it came from (page index, status, page size). A new
status or page size starts again at page 1 (the SelectedIndexChanged handlers reset PageIndex);
a pager link's `Page$N` moves to page N. Per-page faults (`page_500`, `timeout_page`) apply to
the page the request would show.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from replicas.common.faults import restyle_fields
from replicas.jiage315 import markup
from replicas.jiage315.base import PageBase, yellow
from replicas.jiage315.grids import (
    DEFAULT_SIZE,
    PAGE_SIZES,
    VIEWS,
    ListView,
    page_argument,
    pager_arguments,
    record_count,
    render_grid,
)
from replicas.jiage315.markup import PREFIX_NAME
from replicas.jiage315.webforms import ViewStateError

NULL_REFERENCE = ("Object reference not set to an instance of an object.", "System.NullReferenceException")
TIMED_OUT = ("Request timed out.", "System.Web.HttpException")
STATUS_UID, SIZE_UID = PREFIX_NAME + "ddlStatus", PREFIX_NAME + "ddlPageSize"


TIME_FIELDS = ("created_at", "paid_at", "applied_at", "sent_at")


def _fresh(top: dict[str, Any]) -> dict[str, Any]:
    """A record that arrived just now, in the same view as the list's top row (`list_shift`)."""
    key = next(k for k in ("refund_no", "msg_no", "order_no") if k in top)
    return {**top, key: f"{top[key]}1"}


class ListPages(PageBase):
    def routes(self) -> list[Route]:
        return [Route(v.path, self.list_page, methods=["GET", "POST"]) for v in VIEWS.values()]

    async def list_page(self, request: Request) -> Response:
        ticket = self._ticket(request)
        if ticket is None:
            return self._to_login(request)
        sid, new = self._sid(request)
        view = next(v for v in VIEWS.values() if v.path == request.url.path)
        status, size, index, event = "", DEFAULT_SIZE, 0, ""
        if request.method == "POST":
            form = await self._form(request)
            status, size_text = form.get(STATUS_UID, ""), form.get(SIZE_UID, str(DEFAULT_SIZE))
            target, event = form.get("__EVENTTARGET", ""), form.get("__EVENTARGUMENT", "")
            # Event validation checks the posted list values, and the event unless a list raised it.
            claimed = [f"{STATUS_UID}|{status}", f"{SIZE_UID}|{size_text}"]
            claimed += [f"{target}|{event}"] if target not in ("", STATUS_UID, SIZE_UID) else []
            self.state.count_postback()
            try:
                before = self.state.codec.postback(view.path, sid, form, claimed)
            except ViewStateError as err:
                return yellow(str(err), err.exception_type)
            size = int(size_text) if size_text.isdigit() and int(size_text) in PAGE_SIZES else DEFAULT_SIZE
            changed = status != before.get("s") or size != before.get("z")
            index = 0 if changed else int(str(before.get("i", 0)))  # SelectedIndexChanged resets paging
            event = event if target == view.grid_uid(self.state.hook) else ""
        rows = view.rows(self.state.data.records[view.name], status)
        pages = max(1, math.ceil(len(rows) / size))
        index = page_argument(event, index, pages) if event else min(index, pages - 1)
        failure = await self._list_fault(request, view.name, index + 1)
        if failure is not None:
            return failure
        if self.state.fault("list_shift") and self.state.arg("list_shift", "list", "orders") == view.name:
            self.state.shift.before_page(index + 1, rows, self.state.data.records[view.name], _fresh)
            pages = max(1, math.ceil(len(rows) / size))
        content = self._list_content(view, rows, status, size, index, pages) + self._alert()
        return self._member(view.title, view.path, sid, new, ticket, content,
                            {"i": index, "s": status, "z": size}, self._events(view, index, pages))

    def _alert(self) -> str:
        """`list_modal`: the notice a WebForms page registers as a startup script, once."""
        if not self.state.fault("list_modal") or self.state.alerted:
            return ""
        self.state.alerted = True
        return "<script type=\"text/javascript\">alert('系统公告：双十二期间请于付款后48小时内发货。');</script>"

    async def _list_fault(self, request: Request, list_name: str, page: int) -> Response | None:
        if self.state.hits("timeout_page", list_name, page):
            hold_s = int(self.state.arg("timeout_page", "ms", 90_000)) / 1000
            for _ in range(max(1, int(hold_s * 20))):
                if await request.is_disconnected():
                    break
                await asyncio.sleep(0.05)
            return yellow(*TIMED_OUT)
        if self.state.hits("page_500", list_name, page):
            return yellow(*NULL_REFERENCE)
        return None

    def _list_content(self, view: ListView, rows: list[dict[str, object]], status: str, size: int,
                      index: int, pages: int) -> str:
        hook = self.state.hook
        total = len(rows)
        if self.state.fault("count_mismatch") and self.state.arg("count_mismatch", "list", "orders") == view.name:
            total += int(self.state.arg("count_mismatch", "delta", 1))
        status_box = markup.dropdown(STATUS_UID, view.status_label + hook("status"),
                                     [(v, text) for v, text, _ in view.filters], status)
        size_box = markup.dropdown(SIZE_UID, hook("page_size"),
                                   [(str(n), str(n)) for n in PAGE_SIZES], str(size))
        shown = rows[index * size:(index + 1) * size]
        if self.state.fault("date_format"):
            shown = [restyle_fields(r, TIME_FIELDS) for r in shown]
        if self.state.fault("column_moved"):  # the first column goes last
            view = dataclasses.replace(view, columns=(*view.columns[1:], view.columns[0]))
        return (f'<div class="toolbar">{status_box}{size_box}{record_count(hook, total, size, index, pages)}</div>'
                + render_grid(view, hook, shown, index, pages))

    def _events(self, view: ListView, index: int, pages: int) -> tuple[str, ...]:
        grid = view.grid_uid(self.state.hook)
        return (
            *(f"{STATUS_UID}|{v}" for v, _, _ in view.filters), *(f"{SIZE_UID}|{n}" for n in PAGE_SIZES),
            *(f"{grid}|{arg}" for _, arg in pager_arguments(index, pages) if arg),
        )

