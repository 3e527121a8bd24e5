"""Run every (platform, account) concurrently in one headless browser, each in its own context.

The runner is the only place that catches broadly: whatever a flow raises becomes a FlowResult
with a status and a reason, so one platform's failure never hides another's findings.

Hand-off: when a person is at the screen (`SweepPlan.person`), a platform whose login needs them
is retried once in a visible window (one at a time) while the others carry on headless; the wait
is bounded by `browser.login_wait_s`. Without a person (cron) nobody waits: `needs_login`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from time import monotonic
from typing import Any, Protocol

from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

from sweeper.browser import HeadedWindow, SharedBrowser, while_connected
from sweeper.crosscheck import with_cross_checks
from sweeper.errors import (
    AccountLocked,
    CredentialMissing,
    FlowError,
    LayoutChanged,
    LoginChallenge,
    LoginRejected,
    SessionExpired,
    SiteUnavailable,
)
from sweeper.evidence import save_evidence
from sweeper.flow import Flow, FlowContext, FlowOptions, HumanWait, Sink, lists_in_parallel
from sweeper.gc_policy import full_collections_held
from sweeper.lean_drawing import apply_lean_drawing
from sweeper.locators import Locators
from sweeper.log_config import get_logger
from sweeper.models import FlowResult, FlowStatus, RunResult
from sweeper.politeness import apply_politeness, site_hosts
from sweeper.rules import tally_problems, with_time_left
from sweeper.secrets import CredentialSource
from sweeper.sessions import SessionStore
from sweeper.settings import BrowserSettings, PlatformSettings
from sweeper.side_by_side import failed_page

_COUNTED_RESOURCES = frozenset({"document", "xhr", "fetch"})


@dataclass(frozen=True)
class Target:
    """One (platform, account) to sweep, with everything resolved from settings."""

    platform: str
    account: str
    flow: Flow
    locators: Locators
    base_url: str
    settings: PlatformSettings
    label: str = ""

    async def new_context(
        self, browser: Browser, storage_state: dict[str, Any] | None = None, *, lean: bool = False
    ) -> BrowserContext:
        """A context as a Chinese shop operator's browser looks, with this platform's action timeout.

        `lean`: nobody watches (a headless sweep), so what nobody looks at is not drawn
        (sweeper.lean_drawing), unless the platform's settings say otherwise.
        """
        context = await browser.new_context(
            storage_state=storage_state,  # type: ignore[arg-type]
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1366, "height": 900},
        )
        context.set_default_timeout(self.settings.action_timeout_s * 1000)
        await apply_politeness(context, self.settings, site_hosts(self.base_url))
        if lean and self.settings.lean_drawing:
            await apply_lean_drawing(context, self.locators.undrawn.css)
        return context

    def flow_context(
        self, page: Page, now: datetime, sink: Sink | None = None, log: Any = None
    ) -> FlowContext:
        """Everything the flow may use, with the thresholds from this platform's settings."""
        return FlowContext(
            platform=self.platform,
            account=self.account,
            page=page,
            locators=self.locators,
            base_url=self.base_url,
            now=now,
            options=FlowOptions(
                ship_due_soon=timedelta(hours=self.settings.ship_due_soon_hours),
                aftersale_due_soon=timedelta(hours=self.settings.aftersale_due_soon_hours),
                lists_in_parallel=lists_in_parallel(self.flow, self.settings.lists_in_parallel),
                fast_page_turns=self.settings.fast_page_turns,
                fetch_list_pages=self.settings.fetch_list_pages,
                action_timeout_s=self.settings.action_timeout_s,
            ),
            sink=sink or Sink(self.platform, self.account),
            log=log or get_logger(platform=self.platform, account=self.account),
        )


class Person(Protocol):
    """Whoever sits at the screen during a hand-off: told what to do in which window."""

    def tell(self, who: str, page: Page, message: str) -> None: ...


class ConsolePerson:
    """The operator at a terminal; stderr keeps stdout's last line the report path."""

    def tell(self, who: str, page: Page, message: str) -> None:
        print(f"[{who}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class SweepPlan:
    targets: list[Target]
    now: datetime
    run_id: str
    run_dir: Path
    browser: BrowserSettings
    sessions: SessionStore
    credentials: CredentialSource
    person: Person | None = None  # someone at the screen: a login that needs them opens a window
    slot: str = ""
    stop_at: float | None = None  # time.monotonic() by which every platform must have stopped

    def time_left(self) -> float | None:
        return None if self.stop_at is None else self.stop_at - monotonic()


@dataclass(frozen=True)
class _Outcome:
    status: FlowStatus
    reason: str = ""
    fix: str = ""
    transient: bool = False
    person_can_fix: bool = False  # a login a person at a window could finish
    evidence: tuple[str, ...] = ()


@dataclass
class _Attempt:
    """State of one platform's sweep that must survive a timeout or a crash."""

    sink: Sink = field(default_factory=Sink)
    requests: int = 0
    secrets: list[str] = field(default_factory=list)


async def run_sweep(plan: SweepPlan) -> RunResult:
    started = datetime.now(plan.now.tzinfo)
    with full_collections_held():  # what a sweep keeps would be walked again and again
        results = await _sweep_targets(plan)
        run = RunResult(
            run_id=plan.run_id,
            slot=plan.slot,
            now=plan.now,
            started_at=started,
            finished_at=datetime.now(plan.now.tzinfo),
            platforms=results,
        )
        return with_cross_checks(run)


async def _sweep_targets(plan: SweepPlan) -> list[FlowResult]:
    """Every target at once in one shared browser (and a window for hand-offs)."""
    async with async_playwright() as pw:
        browser = SharedBrowser(pw, plan.browser)
        await browser.start()
        window = HeadedWindow(pw, plan.browser) if plan.person is not None else None
        try:
            return list(await asyncio.gather(*(sweep_target(browser, plan, t, window) for t in plan.targets)))
        finally:
            await browser.close()
            if window is not None:
                await window.close()


async def sweep_target(
    browser: SharedBrowser, plan: SweepPlan, target: Target, window: HeadedWindow | None = None
) -> FlowResult:
    """Sweep one target with retries for transient errors, once more in a new browser if the
    browser died, then a hand-off if a person is needed; never raises."""
    log = get_logger(run_id=plan.run_id, platform=target.platform, account=target.account)
    started_at = datetime.now(plan.now.tzinfo)
    clock = monotonic()
    restarted = False
    number = 0
    while True:
        attempt = _Attempt(sink=Sink(target.platform, target.account))
        used = browser.current
        outcome = await _one_attempt(used, plan, target, attempt, log)
        died = not restarted and outcome.status is not FlowStatus.OK
        fresh = await browser.replacement_for(used) if died else None
        if fresh is not None:
            restarted = True
            log.warning("browser process died; retrying in a new browser", reason=outcome.reason)
            continue
        backoff = min(2.0**number, 10.0)
        left = plan.time_left()
        out_of_time = left is not None and left < backoff
        if not outcome.transient or number >= target.settings.retries or out_of_time:
            break
        number += 1
        log.info("retrying", attempt=number, reason=outcome.reason)
        await asyncio.sleep(backoff)  # back-off between attempts, not a page wait
    if outcome.person_can_fix and window is not None:
        async with window.turn:
            log.info("handing the login to a person", reason=outcome.reason)
            attempt = _Attempt(sink=Sink(target.platform, target.account))
            outcome = await _one_attempt(await window.browser(), plan, target, attempt, log, person=True)
    findings = [with_time_left(f, plan.now) for f in attempt.sink.findings]
    result = FlowResult(
        platform=target.platform,
        account=target.account,
        label=target.label or target.locators.site.name,
        role=getattr(target.flow, "role", "marketplace"),
        status=outcome.status,
        reason=outcome.reason,
        fix_command=outcome.fix,
        findings=findings,
        lists=list(attempt.sink.lists.values()),
        facts=list(attempt.sink.facts),
        evidence=list(outcome.evidence),
        started_at=started_at,
        duration_s=round(monotonic() - clock, 3),
        requests=attempt.requests,
        session_expiry=plan.sessions.expected_expiry(target.platform, target.account),
    )
    log.info(
        "flow finished",
        status=result.status.value,
        reason=result.reason,
        findings=len(result.findings),
        lists={t.name: f"{t.rows_read}/{t.expected}" for t in result.lists},
        requests=result.requests,
        duration_s=result.duration_s,
    )
    return result


async def _one_attempt(
    browser: Browser, plan: SweepPlan, target: Target, attempt: _Attempt, log: Any, *, person: bool = False
) -> _Outcome:
    # With a person at the window, start from the login page: the saved session just failed.
    saved = None if person else plan.sessions.load(target.platform, target.account)
    budget = target.settings.timeout_s + (plan.browser.login_wait_s if person else 0.0)
    left = plan.time_left()
    at_deadline = left is not None and left < budget  # the run's deadline, not the platform's, binds
    if left is not None:
        if left <= 0:
            return _Outcome(FlowStatus.FAILED, "not started: the run's deadline had already come")
        budget = left
    context = await target.new_context(browser, saved, lean=not person)
    context.on("request", lambda r: _count(attempt, r.resource_type))
    # Actions and console always; DOM snapshots and the network log only when asked: on pages of
    # 1,000 rows they cost more CPU than the sweep itself (bench/sweep.py --tracing).
    await context.tracing.start(screenshots=False, snapshots=plan.browser.trace_snapshots)
    page: Page | None = None
    completed = False  # the flow ran to its end: the session held, whatever the tallies say
    try:
        page = await context.new_page()
        sweep = _open_and_collect(
            plan, target, page, attempt, log, have_session=saved is not None, person=person
        )
        await asyncio.wait_for(while_connected(browser, sweep), timeout=budget)
        completed = True
        problems = tally_problems(attempt.sink.lists.values())
        outcome = _Outcome(FlowStatus.PARTIAL if problems else FlowStatus.OK, "; ".join(problems))
    except (SessionExpired, LoginChallenge, CredentialMissing) as exc:
        missing = isinstance(exc, CredentialMissing)
        fix = _fix_command(target, credential_missing=missing)
        outcome = _Outcome(FlowStatus.NEEDS_LOGIN, str(exc), fix, person_can_fix=not missing and not person)
    except (AccountLocked, LayoutChanged) as exc:  # a person acts on the site or the selectors file
        outcome = _Outcome(FlowStatus.FAILED, str(exc))
    except LoginRejected as exc:  # a wrong password: never retried, that could lock the account
        outcome = _Outcome(FlowStatus.FAILED, str(exc), _fix_command(target, credential_missing=True))
    except SiteUnavailable as exc:
        outcome = _Outcome(_after_failure(attempt), str(exc), transient=True)
    except TimeoutError:
        if at_deadline:
            done = sum(1 for t in attempt.sink.lists.values() if t.complete)
            reason = f"stopped at the run's deadline after {budget:.0f} s ({done} list(s) read to the end)"
        else:
            reason = f"timed out after {budget:.0f} s"
        outcome = _Outcome(_after_failure(attempt), reason, transient=not at_deadline)
    except (FlowError, PlaywrightError) as exc:
        outcome = _Outcome(_after_failure(attempt), f"{type(exc).__name__}: {_first_line(exc)}")
    except Exception as exc:  # the per-flow boundary: record, never let one platform sink the run
        log.exception("flow crashed")
        reason = f"internal error {type(exc).__name__}: {_first_line(exc)}"
        outcome = _Outcome(_after_failure(attempt), reason)
    keep = outcome.status is not FlowStatus.OK
    shown = failed_page(context) or page  # a list read in another tab failed there
    evidence = await _finish_context(
        plan, target, browser, context, shown, attempt, keep=keep, save=completed
    )
    return dataclasses.replace(outcome, evidence=tuple(evidence))


async def _open_and_collect(
    plan: SweepPlan, target: Target, page: Page, attempt: _Attempt, log: Any, *, have_session: bool,
    person: bool = False,
) -> None:
    ctx = target.flow_context(page, plan.now, attempt.sink, log)
    logged_in_now = False
    if not have_session:
        await _login(plan, target, ctx, attempt, person=person)
        logged_in_now = True
    try:
        await target.flow.open(ctx)
        await target.flow.collect(ctx)
    except SessionExpired:
        if not logged_in_now:
            plan.sessions.mark_expired(target.platform, target.account)  # learn the site's lifetime
        if logged_in_now or not target.settings.auto_login:
            raise
        log.info("session expired; logging in with the stored password")
        attempt.sink = Sink(target.platform, target.account)
        ctx = target.flow_context(page, plan.now, attempt.sink, log)
        await _login(plan, target, ctx, attempt)
        await target.flow.open(ctx)
        await target.flow.collect(ctx)


async def _login(
    plan: SweepPlan, target: Target, ctx: FlowContext, attempt: _Attempt, *, person: bool = False
) -> None:
    if not target.settings.auto_login and not person:
        raise SessionExpired(f"{target.platform}/{target.account}: no valid saved session")
    creds = plan.credentials.get(target.platform, target.account)
    attempt.secrets.append(creds.password.get_secret_value())
    human = None
    if person and plan.person is not None:
        who, page, someone = f"{target.label or target.platform} / {target.account}", ctx.page, plan.person
        human = HumanWait(timeout_s=plan.browser.login_wait_s, tell=lambda msg: someone.tell(who, page, msg))
    await target.flow.login(ctx, creds, human)


async def _finish_context(
    plan: SweepPlan, target: Target, browser: Browser, context: BrowserContext, page: Page | None,
    attempt: _Attempt, *, keep: bool, save: bool,
) -> list[str]:
    """Keep the evidence (`keep`: not ok), save the session (`save`: the flow ran to its end), close
    the context. Never raises: the status already says what happened, and a dead browser has
    nothing left to give."""
    if not browser.is_connected():
        return []
    log = get_logger(run_id=plan.run_id, platform=target.platform, account=target.account)
    evidence: list[str] = []
    try:
        if keep:
            folder = plan.run_dir / "evidence"
            stem = f"{target.platform}-{target.account}"
            written = await save_evidence(context, page, folder, stem, attempt.secrets)
            evidence = [str(p.relative_to(plan.run_dir)) for p in written]
        else:
            await context.tracing.stop()
    except Exception as exc:  # a full disk, a browser dying now: the flow's outcome stands
        log.warning("could not keep the evidence", error=f"{type(exc).__name__}: {_first_line(exc)}")
    try:
        if save:  # after the trace has stopped, so no trace could hold the cookies read here
            state = await context.storage_state()
            plan.sessions.save(target.platform, target.account, dict(state))
    except Exception as exc:
        log.warning("could not save the session", error=f"{type(exc).__name__}: {_first_line(exc)}")
    try:
        await context.close()  # also when saving failed: a context left open holds its renderer
    except Exception as exc:
        log.warning("could not close the browser context", error=f"{type(exc).__name__}: {_first_line(exc)}")
    return evidence


def _count(attempt: _Attempt, resource_type: str) -> None:
    if resource_type in _COUNTED_RESOURCES:
        attempt.requests += 1


def _after_failure(attempt: _Attempt) -> FlowStatus:
    """Some lists read to the end: partial (their findings are real). None: failed."""
    return FlowStatus.PARTIAL if any(t.complete for t in attempt.sink.lists.values()) else FlowStatus.FAILED


def _fix_command(target: Target, *, credential_missing: bool) -> str:
    account = f" --account {target.account}"
    if credential_missing:
        return f"sweeper credentials set {target.platform}{account}"
    return f"sweeper login {target.platform}{account}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else ""
