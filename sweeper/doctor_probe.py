"""The browser checks of `sweeper doctor`: find and launch the browser, then per saved session a
cheap logged-in probe (the flow's own `open`) and a selector-drift probe of the `[probe]` pages.

Each (platform, account) gets its own context from its saved session, all in one headless browser,
concurrently, like a sweep. Nothing is collected and no session is saved: the probe only looks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper.browser import choose_browser, launch
from sweeper.doctor_checks import Row, login_fix, subject
from sweeper.errors import ConfigError, LayoutChanged, LoginChallenge, SessionExpired, SiteUnavailable
from sweeper.flow import FlowContext
from sweeper.locators import Selector, default_selectors_dir
from sweeper.log_config import get_logger
from sweeper.pageops import goto
from sweeper.runner import Target
from sweeper.settings import BrowserSettings

Key = tuple[str, str]  # (platform, account)


@dataclass(frozen=True)
class Probe:
    """What the probes of one (platform, account) found."""

    session: Row
    drift: Row
    expired: bool = False  # the site refused the saved session
    logged_in: bool = False  # the site accepted it


async def browser_checks(
    settings: BrowserSettings,
    targets: Sequence[Target],
    sessions: Mapping[Key, dict[str, Any]],
    now: datetime,
    *,
    probe: bool,
) -> tuple[list[Row], dict[Key, Probe]]:
    """Browser rows ('browser found', 'browser launch') and a Probe per target that has a session."""
    async with async_playwright() as pw:
        try:
            choice = choose_browser(pw, settings)
            headed = choose_browser(pw, settings, headed=True)
        except ConfigError as exc:
            fix = "apt-get install chromium (Debian), or install Chrome/Edge, or set browser.executable"
            return [Row("browser found", settings.kind, "fail", str(exc), fix)], {}
        found = choice.description if headed == choice else (
            f"{choice.description}; headed logins: {headed.description}"
        )
        rows = [Row("browser found", settings.kind, "ok", found)]
        if not probe:
            return [*rows, Row("browser launch", choice.description, "skip", "--no-probe")], {}
        try:
            browser = await launch(pw, settings)
        except PlaywrightError as exc:
            detail = f"does not start: {_first_line(exc)}"
            return [*rows, Row("browser launch", choice.description, "fail", detail, _LAUNCH_FIX)], {}
        try:
            version = f"headless, version {browser.version}"
            rows.append(Row("browser launch", choice.description, "ok", version))
            chosen = [t for t in targets if (t.platform, t.account) in sessions]
            probes = await asyncio.gather(
                *(probe_target(browser, t, sessions[(t.platform, t.account)], now) for t in chosen)
            )
        finally:
            await browser.close()
    return rows, {(t.platform, t.account): p for t, p in zip(chosen, probes, strict=True)}


_LAUNCH_FIX = "see the message; on Linux a missing library is usually fixed by: playwright install-deps"


async def probe_target(browser: Browser, target: Target, state: dict[str, Any], now: datetime) -> Probe:
    """The session probe, then the drift probe if the site let us in. Never raises for one target."""
    log = get_logger(platform=target.platform, account=target.account, check="doctor")
    context = await target.new_context(browser, state)
    try:
        ctx = target.flow_context(await context.new_page(), now, log=log)
        return await asyncio.wait_for(_probe(target, ctx), timeout=target.settings.timeout_s)
    except TimeoutError:
        detail = f"no answer within {target.settings.timeout_s:.0f} s"
        return _unreachable(target, detail)
    except Exception as exc:  # the per-target boundary, as in the runner: one platform never sinks doctor
        log.exception("doctor probe crashed")
        row = Row("session valid", subject(target), "fail", f"internal error {type(exc).__name__}: {exc}")
        return Probe(row, _skipped(target, "the session probe crashed"))
    finally:
        with contextlib.suppress(PlaywrightError):  # the browser may be gone; the rows say why
            await context.close()


async def _probe(target: Target, ctx: FlowContext) -> Probe:
    check, who = "session valid", subject(target)
    try:
        await target.flow.open(ctx)
    except (SessionExpired, LoginChallenge) as exc:
        row = Row(check, who, "fail", f"the site wants a login again: {_first_line(exc)}", login_fix(target))
        return Probe(row, _skipped(target, "not logged in"), expired=True)
    except LayoutChanged as exc:
        # Logged in or not, the home page no longer matches the selectors: the drift probe says where.
        row = Row(check, who, "fail", f"the logged-in home was not recognised: {exc}", _drift_fix(target))
        return Probe(row, await drift_row(target, ctx))
    except (SiteUnavailable, PlaywrightError) as exc:
        return _unreachable(target, _first_line(exc))
    row = Row(check, who, "ok", "the saved session opens the logged-in home")
    return Probe(row, await drift_row(target, ctx), logged_in=True)


async def drift_row(target: Target, ctx: FlowContext) -> Row:
    """Open every `[probe]` page and look for each of its selectors; list the ones not found."""
    check, who = "selector drift", subject(target)
    probe = target.locators.probe
    if probe is None:
        fix = f"add a [probe] table to {default_selectors_dir() / target.platform}.toml"
        return Row(check, who, "warn", "no probe defined", fix)
    marker = next(iter(target.locators.texts.get("login_path", [])), None)
    timeout_ms = target.settings.action_timeout_s * 1000
    missing: list[str] = []
    try:
        for page in probe:
            await goto(ctx, ctx.url(page), login_marker=marker)
            absent = await _absent(ctx.page, target.locators.probe_refs(page), timeout_ms)
            missing += [f"{page}: {ref} [{sel.describe()}]" for ref, sel in absent]
    except SessionExpired as exc:
        return Row(check, who, "fail", f"sent to the login page while probing: {exc}", login_fix(target))
    except (SiteUnavailable, PlaywrightError) as exc:
        return Row(check, who, "fail", f"could not open every page: {_first_line(exc)}", "run doctor again")
    total = sum(len(refs) for refs in probe.values())
    if missing:
        detail = f"{len(missing)} of {total} not found: " + "; ".join(missing)
        return Row(check, who, "fail", detail, _drift_fix(target))
    return Row(check, who, "ok", f"all {total} selectors found on {len(probe)} pages")


Ref = tuple[str, Selector]  # ('page.name', the selector)


async def _absent(page: Page, refs: list[Ref], timeout_ms: float) -> list[Ref]:
    """The refs with no element on the page within the timeout (all waited for at once)."""

    async def present(sel: Selector) -> bool:
        try:
            await sel.resolve(page).first.wait_for(state="attached", timeout=timeout_ms)
        except PlaywrightTimeout:
            return False
        return True

    found = await asyncio.gather(*(present(sel) for _, sel in refs))
    return [ref for ref, ok in zip(refs, found, strict=True) if not ok]


def _unreachable(target: Target, why: str) -> Probe:
    fix = f"check the network and platforms.{target.platform}.base_url ({target.base_url})"
    row = Row("session valid", subject(target), "fail", f"site unreachable: {why}", fix)
    return Probe(row, _skipped(target, "the site is unreachable"))


def _skipped(target: Target, why: str) -> Row:
    return Row("selector drift", subject(target), "skip", why)


def _drift_fix(target: Target) -> str:
    return f"the site changed: update {default_selectors_dir() / target.platform}.toml"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__
