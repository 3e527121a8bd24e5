"""Render a RunResult as one self-contained HTML page (CSS inline, no script, no external request).

Pure: the same run renders to the same bytes (golden tests pin it). Autoescape is on for every
template; scraped text is never marked safe.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sweeper.checklist import get_slot, next_slot
from sweeper.history_compare import Changes
from sweeper.models import Category, CheckResult, Finding, FlowResult, FlowStatus, RunResult
from sweeper.report.checklist_view import GroupView, checklist_groups, system_label
from sweeper.report.labels import (
    CATEGORY_LABELS,
    CHECK_LABELS,
    CHECK_STATUS_LABELS,
    STATUS_LABELS,
    STATUS_MEANING,
)
from sweeper.report.mask import mask_customer, mask_phones
from sweeper.rules import CATEGORY_PRIORITY, by_urgency


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sweeper.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["time_left"] = format_time_left
    env.filters["yuan"] = format_yuan
    env.filters["hm"] = lambda d: d.strftime("%m-%d %H:%M") if isinstance(d, datetime) else ""
    return env


# Our own stylesheet, not scraped text: the one thing rendered unescaped (entities break CSS).
_CSS = Markup(files("sweeper.report").joinpath("templates/report.css").read_text(encoding="utf-8"))


def format_time_left(seconds: int | None) -> str:
    if seconds is None:
        return ""
    prefix = "已超时 " if seconds < 0 else "剩 "
    rest = abs(seconds)
    days, rest = divmod(rest, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{prefix}{days}天{hours}小时"
    if hours:
        return f"{prefix}{hours}小时{minutes}分"
    return f"{prefix}{minutes}分"


def format_yuan(amount: Decimal | None) -> str:
    return "" if amount is None else f"¥{amount:,.2f}"


def verdict(run: RunResult, changes: Changes | None = None) -> str:
    """The one line a reader sees first."""
    findings = run.findings
    overdue = sum(1 for f in findings if f.seconds_left is not None and f.seconds_left < 0)
    not_ok = [p for p in run.platforms if p.status is not FlowStatus.OK]
    parts = [f"待处理 {len(findings)} 项"]
    if overdue:
        parts.append(f"其中已超时 {overdue} 项")
    if changes is not None and changes.previous_run_id is not None:
        parts.append(f"比上次新增 {changes.new} 项、解决 {len(changes.gone)} 项")
    if not_ok:
        parts.append(f"{len(not_ok)} 个平台未能完整检查")
    elif not findings:
        parts = ["全部平台已检查，没有待处理事项"]
    return "，".join(parts)


def change_mark(finding: Finding, changes: Changes | None) -> str:
    """新增 / 自 <first seen> 起 — only once there is a previous sweep to compare with."""
    if changes is None or changes.previous_run_id is None:
        return ""
    state = changes.state.get(finding.identity)
    since = changes.since.get(finding.identity)
    if state == "new":
        return "新增"
    return f"自 {since.strftime('%m-%d %H:%M')} 起" if since else ""


def _finding_view(
    finding: Finding, mask: bool, labels: dict[str, str], changes: Changes | None = None
) -> dict[str, Any]:
    def shown(text: str) -> str:
        return mask_phones(text) if mask else text

    return {
        "mark": change_mark(finding, changes),
        "f": finding,
        "category": CATEGORY_LABELS[finding.category],
        "platform": labels.get(finding.platform, finding.platform),
        "overdue": finding.seconds_left is not None and finding.seconds_left < 0,
        "customer": mask_customer(finding.customer) if mask else finding.customer,
        "memo": shown(finding.buyer_memo),
        "detail": shown(finding.detail),
        "item": shown(finding.item),
        "status_text": shown(finding.status_text),
        "link": finding.link if finding.link.startswith(("https://", "http://")) else "",  # never javascript:
    }


def session_warning(result: FlowResult, now: datetime) -> str:
    """A login that will likely lapse before the next slot, said while there is time to renew it."""
    if result.session_expiry is None or result.status is FlowStatus.NEEDS_LOGIN:
        return ""
    _slot, at = next_slot(now)
    if result.session_expiry > at:
        return ""
    when = result.session_expiry.astimezone(at.tzinfo).strftime("%m-%d %H:%M")
    return (f"登录预计在 {when} 失效，早于下个班次（{at:%H:%M}）："
            f"请提前运行 sweeper login {result.platform} --account {result.account}")


def _platform_view(result: FlowResult, now: datetime) -> dict[str, Any]:
    return {
        "p": result,
        "status": STATUS_LABELS[result.status],
        "meaning": STATUS_MEANING[result.status],
        "count": len(result.findings),
        "session_warning": session_warning(result, now),
    }


def category_counts(run: RunResult) -> list[tuple[str, int]]:
    counts = Counter(f.category for f in run.findings)
    order: list[Category] = [c for c in CATEGORY_PRIORITY if counts[c]]
    return [(CATEGORY_LABELS[c], counts[c]) for c in order]


def _check_view(check: CheckResult, platforms: list[FlowResult]) -> dict[str, Any]:
    return {
        "c": check,
        "label": CHECK_LABELS.get(check.name, check.name),
        "status": CHECK_STATUS_LABELS[check.status],
        "compared": [system_label(k, platforms) for k in check.compared],
        "unchecked": [(system_label(k, platforms), why) for k, why in check.unchecked.items()],
    }


URGENT_SECONDS = 2 * 3600  # the top block: overdue, or due before the next slot is likely over
URGENT_ROWS = 15  # the top block is a glance; the findings are listed under their checklist lines
# Findings listed in one report. Up to this many, every finding is a row (10,000 rows: ~2.6 MB, a
# browser opens it in ~1.5 s). Beyond it (a browser needs ~20 s to lay out 100,000 rows) each
# checklist line lists its most urgent ones, at least LINE_ROWS, about ROW_BUDGET in all, and counts
# the rest; run.json keeps every finding.
ROW_BUDGET = 10_000
LINE_ROWS = 200


def line_cap(groups: list[GroupView]) -> int | None:
    """Rows per checklist line: None (all) while the run's findings fit ROW_BUDGET."""
    sizes = [len(line.findings) for group in groups for line in group.lines if line.findings]
    if sum(sizes) <= ROW_BUDGET:
        return None
    return max(LINE_ROWS, ROW_BUDGET // len(sizes))


def render_report(
    run: RunResult, *, mask: bool = True, limit: int | None = None, changes: Changes | None = None
) -> str:
    """The report HTML: the most urgent first, then the slot's checklist line by line.

    `limit` keeps only the most urgent findings (e-mail bodies); the rest are counted. A run with
    more than ROW_BUDGET findings lists the most urgent of each line and counts the rest. With
    `changes` (from the history) each finding says new / open since when, and the cases resolved
    or not re-checked since the previous sweep get their own sections."""
    ordered = by_urgency(run.findings)
    labels = {p.platform: p.label or p.platform for p in run.platforms}
    shown = ordered if limit is None else ordered[:limit]
    slot = get_slot(run.slot or None, run.now)

    def views(findings: list[Finding]) -> list[dict[str, Any]]:
        return [_finding_view(f, mask, labels, changes) for f in findings]

    groups = checklist_groups(run, slot, shown)
    cap = line_cap(groups)
    for group in groups:
        for line in group.lines:
            line.rows = views(line.findings[:cap])
            line.more = len(line.findings) - len(line.rows)
    urgent = [f for f in shown if f.seconds_left is not None and f.seconds_left < URGENT_SECONDS]
    return _environment().get_template("report.html.j2").render(
        run=run,
        css=_CSS,
        verdict=verdict(run, changes),
        platforms=[_platform_view(p, run.now) for p in run.platforms],
        counts=category_counts(run),
        urgent=views(urgent[:URGENT_ROWS]),
        urgent_more=max(0, len(urgent) - URGENT_ROWS),
        urgent_hours=URGENT_SECONDS // 3600,
        checks=[_check_view(c, run.platforms) for c in run.checks],
        slot_title=slot.title,
        groups=groups,
        hidden=len(ordered) - len(shown),
        compared=changes is not None and changes.previous_run_id is not None,
        gone=views(changes.gone[:cap]) if changes else [],
        gone_total=len(changes.gone) if changes else 0,
        carried=views(changes.not_rechecked[:cap]) if changes else [],
        carried_total=len(changes.not_rechecked) if changes else 0,
        not_ok=[p for p in run.platforms if p.status is not FlowStatus.OK],
    )
