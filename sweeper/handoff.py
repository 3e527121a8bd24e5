"""`sweeper login`: a headed window where a person finishes what a robot may not (QR, slider, SMS).

The flow fills what it can from the keyring, tells the person what is left, and waits (bounded)
for the logged-in page; the session is then saved for headless runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from playwright.async_api import async_playwright

from sweeper.browser import launch
from sweeper.flow import HumanWait
from sweeper.runner import Target
from sweeper.secrets import CredentialSource
from sweeper.sessions import SessionStore
from sweeper.settings import BrowserSettings


async def interactive_login(
    target: Target,
    *,
    credentials: CredentialSource,
    sessions: SessionStore,
    browser_settings: BrowserSettings,
    now: datetime,
    tell: Callable[[str], None],
    headed: bool = True,
) -> Path:
    """Log in with a person's help and save the session; returns the session file."""
    creds = credentials.get(target.platform, target.account)
    async with async_playwright() as pw:
        browser = await launch(pw, browser_settings, headed=headed)
        try:
            context = await target.new_context(browser)
            ctx = target.flow_context(await context.new_page(), now)
            human = HumanWait(timeout_s=browser_settings.login_wait_s, tell=tell)
            await target.flow.login(ctx, creds, human)
            await target.flow.open(ctx)  # proves the session works before saving it
            state = await context.storage_state()
            return sessions.save(target.platform, target.account, dict(state))
        finally:
            await browser.close()
