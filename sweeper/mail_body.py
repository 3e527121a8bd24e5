"""The two bodies of the report mail: CSS-inlined HTML and a plain-text alternative.

Both show the same thing, masked the same way: the verdict, every platform's status, the most
urgent `limit` findings, what changed since the last sweep, and a note about the attachment.
E-mail clients drop `<style>`, so the report's stylesheet is moved into `style=""` attributes
(css-inline, with the CSS variables resolved); `@media` rules stay in a `<style>` for the clients
that honour them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import css_inline
from markupsafe import Markup

from sweeper.checklist import get_slot
from sweeper.history_compare import Changes
from sweeper.models import Finding, FlowStatus, RunResult
from sweeper.report.labels import CATEGORY_LABELS, STATUS_LABELS, STATUS_MEANING
from sweeper.report.mask import mask_customer, mask_phones
from sweeper.report.render import category_counts, format_time_left, format_yuan, render_report, verdict
from sweeper.rules import by_urgency

_INLINER = css_inline.CSSInliner(
    keep_at_rules=True, load_remote_stylesheets=False, resolve_css_variables=True
)
LISTED_CHANGES = 20  # gone / not re-checked findings named in the mail; the rest are counted


def _labels(run: RunResult) -> Callable[[Finding], str]:
    names = {p.platform: p.label or p.platform for p in run.platforms}

    def label(f: Finding) -> str:
        name = names.get(f.platform, f.platform)
        return name if f.account == "default" else f"{name} · {f.account}"

    return label


def changes_summary(changes: Changes) -> str:
    parts = [f"新增 {changes.new} 项", f"仍未处理 {changes.still_open} 项", f"已解决 {len(changes.gone)} 项"]
    if changes.not_rechecked:
        parts.append(f"未能复查 {len(changes.not_rechecked)} 项（仍视为未处理）")
    return "与上次巡检相比：" + "，".join(parts)


def _change_lists(run: RunResult, changes: Changes) -> list[tuple[str, list[str]]]:
    """("上次之后已解决（3）", [line, ...]), ("未能复查 …", [...]) — non-empty sections only."""
    label = _labels(run)

    def line(f: Finding) -> str:
        since = changes.since.get(f.identity)
        start = f"（自 {since.strftime('%m-%d %H:%M')} 起）" if since else ""
        return f"{label(f)} | {CATEGORY_LABELS[f.category]} | {f.order_no}{start}"

    sections = []
    for title, findings in (
        (f"上次之后已解决（{len(changes.gone)} 项）", changes.gone),
        (f"未能复查，仍视为未处理（{len(changes.not_rechecked)} 项）", changes.not_rechecked),
    ):
        if findings:
            lines = [line(f) for f in findings[:LISTED_CHANGES]]
            if len(findings) > LISTED_CHANGES:
                lines.append(f"另有 {len(findings) - LISTED_CHANGES} 项，见 sweeper history")
            sections.append((title, lines))
    return sections


def html_body(run: RunResult, *, mask: bool, limit: int, changes: Changes | None, note: str) -> str:
    """The report itself (its `limit` most urgent findings, marked against the last sweep), CSS inlined."""
    # The report marks new / open-since and lists resolved and not re-checked cases itself.
    html = render_report(run, mask=mask, limit=limit, changes=changes)
    block = Markup('<p class="muted">{}</p>').format(note)
    html = html.replace("</header>", f"</header>\n{block}", 1)
    return _INLINER.inline(_STYLE.sub(lambda m: resolve_variables(m.group(0)), html, count=1))


_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_ROOT = re.compile(r":root\s*\{([^}]*)\}")
_DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;]+)")
_VAR = re.compile(r"var\((--[\w-]+)\)")


def resolve_variables(css: str) -> str:
    """`var(--x)` replaced by the value `:root` gives it, everywhere, @media rules included."""
    values = {
        name: value.strip() for block in _ROOT.findall(css) for name, value in _DECLARATION.findall(block)
    }
    return _VAR.sub(lambda m: values.get(m.group(1), m.group(0)), css)


def _finding_lines(f: Finding, index: int, label: str, mask: bool, changes: Changes | None) -> list[str]:
    def shown(text: str) -> str:
        return mask_phones(text) if mask else text

    cells = [format_time_left(f.seconds_left) or "—", label, CATEGORY_LABELS[f.category], f.order_no,
             shown(f.item), format_yuan(f.amount_yuan), shown(f.status_text)]
    if changes is not None and f.identity in changes.state:
        since = changes.since[f.identity].strftime("%m-%d %H:%M")
        cells.append("新增" if changes.state[f.identity] == "new" else f"自 {since} 起未处理")
    lines = [f"{index:>3}. " + " | ".join(c for c in cells if c)]
    extra = [("留言", shown(f.buyer_memo)), ("说明", shown(f.detail)),
             ("客户", mask_customer(f.customer) if mask else f.customer)]
    extra += [("无法解析", p) for p in f.problems]
    lines += [f"     {name}：{text}" for name, text in extra if text]
    return lines


def text_body(run: RunResult, *, mask: bool, limit: int, changes: Changes | None, note: str) -> str:
    slot = get_slot(run.slot or None, run.now)
    label = _labels(run)
    lines = [
        f"店铺巡检报告（{slot.title}） {run.now.strftime('%Y-%m-%d %H:%M')}（北京时间）",
        f"运行编号 {run.run_id}",
        "",
        verdict(run),
    ]
    if changes is not None:
        lines.append(changes_summary(changes))
    lines += ["", "平台状态"]
    for p in run.platforms:
        name = p.label or p.platform
        name = name if p.account == "default" else f"{name} · {p.account}"
        why = f"：{p.reason}" if p.reason and p.status is not FlowStatus.OK else ""
        fix = f"（处理方法：运行 {p.fix_command}）" if p.fix_command else ""
        lines.append(f"  {name}：{STATUS_LABELS[p.status]}，{STATUS_MEANING[p.status]}{why}，"
                     f"{len(p.findings)} 项{fix}")
    counts = category_counts(run)
    if counts:
        lines += ["", "分类统计：" + " · ".join(f"{name} {n}" for name, n in counts)]
    ordered = by_urgency(run.findings)
    shown = ordered[:limit]
    if shown:
        lines += ["", f"最紧急的 {len(shown)} 项（共 {len(ordered)} 项）"]
        for i, f in enumerate(shown, 1):
            lines += _finding_lines(f, i, label(f), mask, changes)
    if len(ordered) > len(shown):
        lines.append(f"另有 {len(ordered) - len(shown)} 项见附件中的完整报告。")
    if changes is not None:
        for title, items in _change_lists(run, changes):
            lines += ["", title, *(f"  - {item}" for item in items)]
    lines += ["", note, ""]
    return "\n".join(lines)
