"""Lay a run's findings out along the slot's checklist: what each paper line now says.

Every finding lands under exactly one line (the first that claims it, this slot's lines first);
a line with nothing under it says "none" only when every system it depends on was read to the
end, and "could not check" otherwise. Findings no line claims are kept in a last group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sweeper.checklist import Group, Line, Slot, ordered_groups
from sweeper.models import CheckResult, CheckStatus, Finding, FlowResult, FlowStatus, RunResult
from sweeper.report.labels import (
    LINE_DISABLED,
    LINE_INCOMPLETE,
    LINE_MANUAL,
    LINE_NONE,
    LINE_NOT_CHECKED,
)


@dataclass
class LineView:
    line: Line
    findings: list[Finding] = field(default_factory=list)
    state: str = ""
    why: str = ""
    tone: str = "ok"  # ok | todo | bad | muted: a CSS class
    rows: list[dict[str, Any]] = field(default_factory=list)  # the findings as the template shows them
    more: int = 0  # findings of this line not shown as rows (the report caps rows per line)


@dataclass
class GroupView:
    title: str
    lines: list[LineView]
    this_slot: bool


def _claims(line: Line, finding: Finding) -> bool:
    if line.manual or finding.category not in line.categories:
        return False
    if line.check and finding.check == line.check:
        return True
    return not line.platforms or finding.platform in line.platforms


ERP_LABEL = "万里牛（ERP）"  # how the report names the ERP when it was not swept at all


def system_label(key: str, platforms: Sequence[FlowResult]) -> str:
    named = {p.platform: p.label or p.platform for p in platforms}
    return named.get(key, ERP_LABEL if key == "erp" else key)


def _state(view: LineView, platforms: Sequence[FlowResult], check: CheckResult | None) -> None:
    line = view.line
    if line.manual:
        view.state, view.why, view.tone = LINE_MANUAL, line.manual, "todo"
        return
    relevant = [p for p in platforms if not line.platforms or p.platform in line.platforms]
    not_read = [p.label or p.platform for p in relevant if p.status is not FlowStatus.OK]
    if check is not None and check.status is not CheckStatus.CHECKED:
        not_read += [
            system_label(k, platforms) for k in check.unchecked if k not in {p.platform for p in relevant}
        ]
    if not relevant and check is None:
        view.state, view.tone = LINE_DISABLED, "muted"
    elif view.findings:
        view.state, view.tone = f"{len(view.findings)} 项", "bad"
        if not_read:
            view.why = f"{LINE_INCOMPLETE}：{'、'.join(not_read)} 未能完整检查"
    elif not_read or (check is not None and check.status is CheckStatus.NOT_CHECKED):
        view.state, view.tone = LINE_NOT_CHECKED, "bad"
        view.why = f"{'、'.join(not_read)} 未能完整检查" if not_read else ""
    else:
        view.state, view.tone = LINE_NONE, "ok"


def checklist_groups(run: RunResult, slot: Slot, findings: Sequence[Finding]) -> list[GroupView]:
    """`findings` in urgency order; each keeps that order under its line."""
    checks = {c.name: c for c in run.checks}
    left = list(findings)
    groups: list[GroupView] = []
    for group in ordered_groups(slot):
        this_slot = group in slot.groups
        views = []
        for line in group.lines:
            view = LineView(line, [f for f in left if _claims(line, f)])
            claimed = {id(f) for f in view.findings}
            left = [f for f in left if id(f) not in claimed]
            _state(view, run.platforms, checks.get(line.check))
            if this_slot or view.findings:
                views.append(view)
        if views:
            groups.append(GroupView(_title(group, this_slot), views, this_slot))
    if left:
        rest = LineView(Line("other", "其他待处理事项"), left, f"{len(left)} 项", tone="bad")
        groups.append(GroupView("其他", [rest], this_slot=False))
    return groups


def _title(group: Group, this_slot: bool) -> str:
    return group.title if this_slot else f"{group.title}（其他班次）"
