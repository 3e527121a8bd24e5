"""药房网 store back-end (yaodian.yaofangwang.com): the Yaofangwang part of the morning checklist.

What it collects (docs/daily-routine.md, "Yaofangwang"):

    待发货 orders         OVERDUE_SHIPMENT or SHIPMENT_DUE_SOON by the shop's ship rule, and also
                          UNALLOCATED when the WMS allocation is not 分配完成 (another action, so
                          another finding)
    退款/退货 待处理       REFUND_WAITING, or AFTERSALE_DUE_SOON when 处理截止 is near
    处方审核 待审核        PRESCRIPTION_REVIEW
    买家留言 未回复        BUYER_MESSAGE

Ship rule: an order placed before 17:00 on day D must leave by 16:00 on D+1 (placed at or after
17:00, it counts as placed on D+1). Past that it is overdue; due soon when it falls today or within
`options.ship_due_soon`. The site prints the deadline as 发货截止; when that cell cannot be read the
rule is applied to 下单时间 and the finding is flagged. Comfortable orders give no finding but are
counted in the list tally.

Pages are server-rendered, two <tr> per record: each page of rows is read in one evaluate that
pairs the grey header row with its detail row. Columns are mapped by their <th> titles. Pages after
the first (`?page=N`) are fetched and parsed unrendered (sweeper.unrendered); a page that is not
the list is opened for real, for the checks and the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from playwright.async_api import Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper import pageops
from sweeper.errors import (
    AccountLocked,
    LayoutChanged,
    LoginChallenge,
    LoginRejected,
    SessionExpired,
    SiteUnavailable,
)
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FactKind, Finding
from sweeper.parsing import FindingDraft, Parsed, clean_text, local_datetime, yuan
from sweeper.side_by_side import each, side_by_side
from sweeper.unrendered import fetch_and_read, js, read_on_screen, reader_of_document

PRESENT_MS = 5_000  # server-rendered, so normally at once; the margin is for a loaded 2-core machine
CUTOFF_HOUR = 17  # orders placed before 17:00 belong to that day's batch ...
LEAVE_BY_HOUR = 16  # ... which must leave by 16:00 the next day

ROW_SCRIPT = """(el) => ({
  head: el.innerText,
  cells: Array.from(el.nextElementSibling ? el.nextElementSibling.cells : [], (c) => c.innerText),
})"""


@dataclass(frozen=True)
class Record:
    """One record of a list: its header-row fields and its detail-row cells, by texts key."""

    head: dict[str, str]
    cells: dict[str, str]

    def cell(self, key: str) -> str:
        return clean_text(self.cells.get(key, ""))


Handler = Callable[[FlowContext, Record], list[Finding]]


@dataclass(frozen=True)
class ListSpec:
    name: str
    url: str
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    handler: Handler


# -- login -------------------------------------------------------------------------------------


def _on_login(ctx: FlowContext) -> bool:
    return any(marker in ctx.page.url for marker in ctx.locators.text("login_path"))


async def _check_page(ctx: FlowContext, response: Response | None, what: str) -> None:
    """5xx and the yellow ASP.NET page (sometimes sent with HTTP 200) mean the site is down."""
    if response is not None and response.status >= 500:
        raise SiteUnavailable(f"{what}: HTTP {response.status}")
    if await ctx.sel("common", "server_error").count():
        raise SiteUnavailable(f"{what}: ASP.NET \"Server Error in '/' Application\" page")


async def _load(ctx: FlowContext, url: str, what: str) -> None:
    """Open a store page; being sent to the login host means the session is gone."""
    response = await pageops.goto(ctx, url, login_marker=ctx.locators.text("login_path")[0])
    await _check_page(ctx, response, what)


async def _dismiss_notice(ctx: FlowContext) -> None:
    notice = ctx.sel("home", "notice")
    if await notice.is_visible():
        await ctx.sel("home", "notice_close").click()
        await notice.wait_for(state="hidden")


async def _submit(ctx: FlowContext) -> None:
    try:
        async with ctx.page.expect_navigation(wait_until="domcontentloaded") as nav:
            await ctx.sel("login", "submit").click()
        response = await nav.value
    except PlaywrightTimeout as exc:
        raise SiteUnavailable("the login page did not answer") from exc
    await _check_page(ctx, response, "login")


async def _login_outcome(ctx: FlowContext, human: HumanWait | None) -> None:
    """After submitting: a rejection, a captcha, or (oddly) the bare login form again."""
    error = ctx.sel("login", "error")
    message = clean_text(await error.first.inner_text()) if await error.count() else ""
    site = ctx.locators.site.name
    if any(word in message for word in ctx.locators.text("locked")):
        raise AccountLocked(f"{site}: the account is locked: {message}")
    if any(word in message for word in ctx.locators.text("rejected")):
        raise LoginRejected(f"{site} refused the login: {message}")
    if await ctx.sel("login", "captcha").is_visible():
        await _human_step(ctx, human)
        return
    if message:
        raise LoginRejected(f"{site} refused the login: {message}")
    raise SessionExpired(f"{site} sent the browser back to its login page right after logging in")


async def _human_step(ctx: FlowContext, human: HumanWait | None) -> None:
    site = ctx.locators.site.name
    if human is None:
        raise LoginChallenge(f"{site} asks for the image captcha (验证码) on its login page")
    human.tell(f"{site}：请在浏览器窗口中输入图片验证码，然后点击“登录”。")
    marker = ctx.locators.text("login_path")[0]
    try:
        await ctx.page.wait_for_url(
            lambda url: marker not in url, timeout=human.timeout_s * 1000, wait_until="domcontentloaded"
        )
    except PlaywrightTimeout:
        raise LoginChallenge(
            f"no one completed the {site} captcha within {human.timeout_s:.0f} s"
        ) from None
    await _check_page(ctx, None, "home")


# -- lists -------------------------------------------------------------------------------------


async def _choose_page_size(ctx: FlowContext, spec: ListSpec) -> int:
    """Pick the largest page size the list's own select offers (or the configured one).

    A list that already fits on its first page is not reloaded: requests are what a sweep costs.
    """
    found = await pageops.require(ctx.sel("list", "page_size"), "list.page_size", timeout_ms=PRESENT_MS)
    select = found.first
    values: list[str] = await select.evaluate("(s) => Array.from(s.options, (o) => o.value)")
    sizes = sorted(int(v) for v in values if v.strip().isdigit())
    current = await select.input_value()
    if not sizes or not current.strip().isdigit():
        raise LayoutChanged(["list.page_size (options)"], where=spec.name)
    wanted = ctx.options.page_size if ctx.options.page_size in sizes else sizes[-1]
    _, pages = await _pager(ctx, spec)
    if pages <= 1:
        return int(current)
    if str(wanted) != current:
        try:
            async with ctx.page.expect_navigation(wait_until="domcontentloaded") as nav:
                await select.select_option(str(wanted))
            response = await nav.value
        except PlaywrightTimeout as exc:
            raise SiteUnavailable(f"{spec.name}: no answer after choosing {wanted} per page") from exc
        pageops.ensure_not_on_login(ctx, ctx.locators.text("login_path")[0])
        await _check_page(ctx, response, spec.name)
    return wanted


async def _pager(ctx: FlowContext, spec: ListSpec) -> tuple[int, int]:
    """The pager's "共 N 条，共 N 页": total records and pages."""
    info = await pageops.require(ctx.sel("list", "pager_info"), "list.pager_info", timeout_ms=PRESENT_MS)
    return _pager_numbers(spec, await info.first.inner_text())


def _pager_numbers(spec: ListSpec, text: str) -> tuple[int, int]:
    numbers = re.findall(r"\d+", text)
    if len(numbers) != 2:
        raise LayoutChanged(["list.pager_info (two numbers)"], where=spec.name)
    return int(numbers[0]), int(numbers[1])


async def _columns(ctx: FlowContext, spec: ListSpec) -> dict[str, int]:
    titles: list[str] = await ctx.sel("list", "column_titles").evaluate_all(
        "(els) => els.map((el) => el.innerText.trim())"
    )
    found: dict[str, int] = {}
    for key in spec.columns:
        names = ctx.locators.text(key)
        index = next((i for i, title in enumerate(titles) if title in names), None)
        if index is None:
            raise LayoutChanged([f"texts.{key} (column {names[0]!r})"], where=spec.name)
        found[key] = index
    return found


def _split_head(text: str, labels: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """'订单编号：123 下单时间：2026-11-25 10:00:00' → {label key: value}, by the known labels."""
    text = text.replace("\xa0", " ")
    spots: list[tuple[int, int, str]] = []
    for key, names in labels.items():
        for name in names:
            match = re.search(re.escape(name) + r"\s*[：:]", text)
            if match:
                spots.append((match.start(), match.end(), key))
                break
    spots.sort()
    fields: dict[str, str] = {}
    for i, (_, end, key) in enumerate(spots):
        stop = spots[i + 1][0] if i + 1 < len(spots) else len(text)
        fields[key] = clean_text(text[end:stop])
    return fields


def _shown_script(ctx: FlowContext) -> str | None:
    """A reader of a page's pager text and records, when both selectors are plain CSS."""
    pager, head = pageops.plain_css(ctx, "list", "pager_info"), pageops.plain_css(ctx, "list", "record_head")
    if pager is None or head is None:
        return None
    return reader_of_document(
        f"const info = doc.querySelector({js(pager)}); return {{ pager: info ? info.innerText : null,"
        f" rows: Array.from(doc.querySelectorAll({js(head)}), {ROW_SCRIPT}) }};"
    )


async def _page_shown(
    ctx: FlowContext, spec: ListSpec, columns: Mapping[str, int], script: str | None
) -> tuple[int, int, list[Record]]:
    """(total, pages, records) of the page on screen: one evaluate when it can, one call each else.

    No pager at all: the ASP.NET error page (SiteUnavailable) or a moved layout (LayoutChanged)."""
    if script is None:
        total, pages = await _pager(ctx, spec)
        rows = await pageops.table_rows(ctx.sel("list", "record_head"), ROW_SCRIPT)
        return total, pages, _to_records(ctx, spec, columns, rows)
    shown: dict[str, Any] = await read_on_screen(ctx, script)
    if shown["pager"] is None:
        await _check_page(ctx, None, spec.name)
        raise LayoutChanged(["list.pager_info"], where=spec.name)
    total, pages = _pager_numbers(spec, shown["pager"])
    return total, pages, _to_records(ctx, spec, columns, shown["rows"])


async def _next_page(
    ctx: FlowContext, spec: ListSpec, columns: Mapping[str, int], script: str | None, url: str, page_no: int
) -> tuple[int, int, list[Record]]:
    """Page `page_no` of the list: fetched and parsed, not rendered (sweeper.unrendered), when it
    can be; opened for real when not, or when the fetched page is not a page of the list (its
    checks and the evidence then see what a person would)."""
    login_path = ctx.locators.text("login_path")[0]
    if script is not None and ctx.options.fetch_list_pages:
        shown = await fetch_and_read(ctx, script, url, login_marker=login_path)
        if shown is not None and shown["pager"] is not None and shown["rows"]:
            try:
                total, pages = _pager_numbers(spec, shown["pager"])
                return total, pages, _to_records(ctx, spec, columns, shown["rows"])
            except LayoutChanged:
                pass  # opened for real below, where the same reading names it on screen
    if script is None:
        await _load(ctx, url, f"{spec.name} page {page_no}")
    else:  # an error page sent with HTTP 200 has no pager: _page_shown tells it apart
        await pageops.goto(ctx, url, login_marker=login_path)
    return await _page_shown(ctx, spec, columns, script)


async def _records(ctx: FlowContext, spec: ListSpec, columns: Mapping[str, int]) -> list[Record]:
    rows = await pageops.table_rows(ctx.sel("list", "record_head"), ROW_SCRIPT)
    return _to_records(ctx, spec, columns, rows)


def _to_records(
    ctx: FlowContext, spec: ListSpec, columns: Mapping[str, int], rows: list[dict[str, Any]]
) -> list[Record]:
    labels = {key: ctx.locators.text(key) for key in spec.labels}
    records: list[Record] = []
    for row in rows:
        cells: list[str] = row.get("cells") or []
        records.append(Record(
            head=_split_head(str(row.get("head", "")), labels),
            cells={key: cells[i] for key, i in columns.items() if i < len(cells)},
        ))
    return records


async def _read_list(ctx: FlowContext, spec: ListSpec) -> None:
    ctx.sink.open_list(spec.name)
    await _load(ctx, ctx.url(spec.url), spec.name)
    size = await _choose_page_size(ctx, spec)
    columns = await _columns(ctx, spec)
    page_param, size_param = ctx.locators.text("page_param")[0], ctx.locators.text("page_size_param")[0]
    page_no, script = 1, _shown_script(ctx)
    total, pages, records = await _page_shown(ctx, spec, columns, script)
    while True:
        if page_no == 1:
            ctx.sink.expect(spec.name, total, f"pager 共 {total} 条")
        if page_no == 1 and total and not records:
            raise LayoutChanged(["list.record_head"], where=spec.name)
        for record in records:
            for finding in spec.handler(ctx, record):
                ctx.sink.add(finding)
        ctx.sink.page_read(spec.name, len(records))
        if page_no >= pages or not records:
            break
        page_no += 1
        url = ctx.url(spec.url, **{page_param: page_no, size_param: size})
        total, pages, records = await _next_page(ctx, spec, columns, script, url, page_no)
    ctx.sink.close_list(spec.name)


# -- records → findings ------------------------------------------------------------------------


def _draft(ctx: FlowContext, category: Category, order_no: str) -> FindingDraft:
    return FindingDraft(platform=ctx.platform, account=ctx.account, category=category, order_no=order_no)


def _when(draft: FindingDraft, name: str, raw: str) -> datetime | None:
    value: datetime | None = draft.take(name, local_datetime(raw))
    return value


def _money(draft: FindingDraft, raw: str) -> None:
    parsed: Parsed[Any] = yuan(raw)
    draft.take("amount_yuan", parsed)


def rule_deadline(created: datetime) -> datetime:
    """Placed before 17:00 on day D → must leave by 16:00 on D+1."""
    days = 1 if created.hour < CUTOFF_HOUR else 2
    return (created + timedelta(days=days)).replace(hour=LEAVE_BY_HOUR, minute=0, second=0, microsecond=0)


def ship_category(ctx: FlowContext, deadline: datetime | None) -> Category | None:
    if deadline is None:
        return Category.AWAITING_SHIPMENT
    if deadline <= ctx.now:
        return Category.OVERDUE_SHIPMENT
    today = ctx.now.astimezone(ctx.tz).date()
    if deadline.astimezone(ctx.tz).date() == today or deadline - ctx.now <= ctx.options.ship_due_soon:
        return Category.SHIPMENT_DUE_SOON
    return None


def _order_draft(ctx: FlowContext, rec: Record, category: Category | None) -> FindingDraft:
    order_no = rec.head.get("label_order_no", "")
    draft = _draft(ctx, category or Category.AWAITING_SHIPMENT, order_no)
    created = _when(draft, "created_at", rec.head.get("label_created", ""))
    deadline = _when(draft, "deadline_at", rec.cell("col_ship_deadline"))
    if deadline is None and created is not None:
        draft.set(deadline_at=rule_deadline(created))
    _money(draft, rec.cell("col_amount"))
    draft.set(
        item=rec.cell("col_goods"), customer=rec.cell("col_consignee"), status_text=rec.cell("col_status"),
        buyer_memo=clean_text(rec.head.get("label_memo", "")),
        link=ctx.link("order_detail", order_no=order_no),
    )
    return draft


def order_findings(ctx: FlowContext, rec: Record) -> list[Finding]:
    findings: list[Finding] = []
    draft = _order_draft(ctx, rec, None)
    ctx.sink.fact(FactKind.AWAITING_SHIPMENT, draft.order_no)
    category = ship_category(ctx, draft.fields.get("deadline_at"))
    if category is not None:
        draft.category = category
        findings.append(draft.build())
    allocation = rec.cell("col_allocation")
    if allocation not in ctx.locators.text("allocated"):
        unallocated = _order_draft(ctx, rec, Category.UNALLOCATED)
        unallocated.set(status_text=allocation, detail=rec.cell("col_status"))
        findings.append(unallocated.build())
    return findings


def refund_findings(ctx: FlowContext, rec: Record) -> list[Finding]:
    refund_no = rec.head.get("label_refund_no", "")
    draft = _draft(ctx, Category.REFUND_WAITING, rec.head.get("label_order_no", "") or refund_no)
    _when(draft, "created_at", rec.head.get("label_applied", ""))
    deadline = _when(draft, "deadline_at", rec.cell("col_refund_deadline"))
    if deadline is not None and deadline - ctx.now <= ctx.options.aftersale_due_soon:
        draft.category = Category.AFTERSALE_DUE_SOON
    _money(draft, rec.cell("col_refund_amount"))
    kind, reason = rec.cell("col_refund_type"), rec.cell("col_refund_reason")
    draft.set(
        item=rec.cell("col_goods"), customer=rec.cell("col_buyer"), status_text=rec.cell("col_status"),
        detail=" · ".join(part for part in (kind, reason, refund_no) if part),
        link=ctx.link("refund_detail", refund_no=refund_no),
    )
    return [draft.build()]


def prescription_findings(ctx: FlowContext, rec: Record) -> list[Finding]:
    rx_no = rec.head.get("label_rx_no", "")
    draft = _draft(ctx, Category.PRESCRIPTION_REVIEW, rec.head.get("label_order_no", "") or rx_no)
    _when(draft, "created_at", rec.head.get("label_submitted", ""))
    _money(draft, rec.cell("col_rx_amount"))
    draft.set(
        item=rec.cell("col_drugs"), customer=rec.cell("col_patient"), status_text=rec.cell("col_status"),
        detail=" · ".join(part for part in (rx_no, rec.cell("col_doctor")) if part),
        link=ctx.link("prescription_detail", rx_no=rx_no),
    )
    return [draft.build()]


def message_findings(ctx: FlowContext, rec: Record) -> list[Finding]:
    msg_no = rec.head.get("label_msg_no", "")
    draft = _draft(ctx, Category.BUYER_MESSAGE, msg_no)
    _when(draft, "created_at", rec.head.get("label_msg_time", ""))
    draft.set(
        item=rec.cell("col_msg_goods"), customer=rec.cell("col_buyer"), status_text=rec.cell("col_status"),
        buyer_memo=rec.cell("col_message"), detail=clean_text(rec.head.get("label_order_no", "")),
        link=ctx.link("message_detail", msg_no=msg_no),
    )
    return [draft.build()]


LISTS = (
    ListSpec(
        "orders_to_ship", "orders_to_ship", ("label_order_no", "label_created", "label_memo"),
        ("col_goods", "col_amount", "col_consignee", "col_allocation", "col_ship_deadline", "col_status"),
        order_findings,
    ),
    ListSpec(
        "refunds", "refunds", ("label_refund_no", "label_order_no", "label_applied"),
        ("col_goods", "col_refund_amount", "col_refund_type", "col_refund_reason", "col_buyer",
         "col_refund_deadline", "col_status"),
        refund_findings,
    ),
    ListSpec(
        "prescriptions", "prescriptions", ("label_rx_no", "label_order_no", "label_submitted"),
        ("col_drugs", "col_patient", "col_doctor", "col_rx_amount", "col_status"),
        prescription_findings,
    ),
    ListSpec(
        "messages", "messages", ("label_msg_no", "label_msg_time", "label_order_no"),
        ("col_buyer", "col_msg_goods", "col_message", "col_status"),
        message_findings,
    ),
)


class YaofangwangFlow:
    key = "yaofangwang"
    required: Mapping[str, Sequence[str]] = MappingProxyType({
        "urls": ["home", *(s.url for s in LISTS), "order_detail", "refund_detail",
                 "prescription_detail", "message_detail"],
        "texts": sorted({
            "login_path", "rejected", "locked", "page_param", "page_size_param", "allocated",
            *(key for s in LISTS for key in (*s.labels, *s.columns)),
        }),
        "selectors.login": ["username", "password", "captcha", "submit", "error"],
        "selectors.home": ["logged_in", "notice", "notice_close"],
        "selectors.list": ["record_head", "column_titles", "pager_info", "page_size"],
        "selectors.common": ["server_error"],
    })

    async def open(self, ctx: FlowContext) -> None:
        await _load(ctx, ctx.url("home"), "home")
        await pageops.require(ctx.sel("home", "logged_in"), "home.logged_in", timeout_ms=PRESENT_MS)
        await _dismiss_notice(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        try:
            await _load(ctx, ctx.url("home"), "home")
        except SessionExpired:
            await self._fill_and_submit(ctx, creds, human)
        await pageops.require(ctx.sel("home", "logged_in"), "home.logged_in", timeout_ms=PRESENT_MS)
        await _dismiss_notice(ctx)

    async def _fill_and_submit(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        username = await pageops.require(
            ctx.sel("login", "username"), "login.username", timeout_ms=PRESENT_MS
        )
        await username.first.fill(creds.username)
        await ctx.sel("login", "password").fill(creds.password.get_secret_value())
        if await ctx.sel("login", "captcha").is_visible():
            await _human_step(ctx, human)
            return
        await _submit(ctx)
        if _on_login(ctx):
            await _login_outcome(ctx, human)

    async def collect(self, ctx: FlowContext) -> None:
        await side_by_side(ctx, each(_read_list, LISTS))


FLOW = YaofangwangFlow()
