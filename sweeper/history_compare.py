"""What changed since the previous sweep: pure functions, no database (sweeper/history.py stores).

A finding's identity (`Finding.identity`: platform/account/category/order number) says whether two
runs saw "the same case". Against the previous run's *open* findings, each finding of this run is
`new` or `still_open` (with the time it was first seen). A previous finding this run did not see is

- `gone` (resolved) only when its platform/account was read to the end now (`ok`), and, for a
  cross-check finding, when its check compared that platform again;
- otherwise `not_rechecked`: carried forward with its first-seen time, across as many failed runs
  as it takes, and never counted as resolved ("could not look" is not "nothing found").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sweeper.models import CheckStatus, Finding, FlowStatus, RunResult
from sweeper.rules import by_urgency, with_time_left

State = Literal["new", "still_open"]
Rechecked = Callable[[Finding], bool]


@dataclass(frozen=True)
class OpenFinding:
    """A finding that was open after some run, and when it was first seen."""

    finding: Finding
    first_seen: datetime


@dataclass(frozen=True)
class Changes:
    """This run against the previous one (in time). Keys are `Finding.identity`."""

    state: dict[str, State] = field(default_factory=dict)
    since: dict[str, datetime] = field(default_factory=dict)  # first seen; also for gone / carried
    gone: list[Finding] = field(default_factory=list)
    not_rechecked: list[Finding] = field(default_factory=list)
    previous_run_id: str | None = None

    @property
    def new(self) -> int:
        return sum(1 for s in self.state.values() if s == "new")

    @property
    def still_open(self) -> int:
        return sum(1 for s in self.state.values() if s == "still_open")

    def open_after(self, current: Iterable[Finding]) -> list[OpenFinding]:
        """What is open once this run is known: what it saw, plus what it could not re-check."""
        seen = {f.identity: f for f in current}
        kept = [*seen.values(), *self.not_rechecked]
        return [OpenFinding(f, self.since[f.identity]) for f in kept]


def rechecked_in(run: RunResult) -> Rechecked:
    """Whether `run` looked again where a finding came from (so its absence means "resolved")."""
    ok = {(p.platform, p.account) for p in run.platforms if p.status is FlowStatus.OK}
    checks = {c.name: c for c in run.checks}

    def rechecked(finding: Finding) -> bool:
        if (finding.platform, finding.account) not in ok:
            return False
        if not finding.check:
            return True
        check = checks.get(finding.check)
        return (
            check is not None and check.status is not CheckStatus.NOT_CHECKED
            and finding.platform in check.compared
        )

    return rechecked


def compare(
    previous_open: Iterable[OpenFinding],
    current: Iterable[Finding],
    *,
    rechecked: Rechecked,
    now: datetime,
    previous_run_id: str | None = None,
) -> Changes:
    """Mark `current` against `previous_open`; `now` is the current run's clock (first seen of new)."""
    previous = {o.finding.identity: o for o in previous_open}
    state: dict[str, State] = {}
    since: dict[str, datetime] = {}
    for finding in current:
        old = previous.get(finding.identity)
        state[finding.identity] = "still_open" if old else "new"
        since[finding.identity] = old.first_seen if old else now
    gone: list[Finding] = []
    carried: list[Finding] = []
    for identity, old in previous.items():
        if identity in state:
            continue
        since[identity] = old.first_seen
        if rechecked(old.finding):
            gone.append(old.finding)
        else:
            carried.append(with_time_left(old.finding, now))  # its deadline, against today's clock
    return Changes(
        state=state, since=since, gone=by_urgency(gone), not_rechecked=by_urgency(carried),
        previous_run_id=previous_run_id,
    )
