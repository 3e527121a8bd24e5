"""Launch one browser for the whole run: Playwright's Chromium, Chrome, Edge or the system's.

`auto` prefers Playwright's bundled Chromium when it is installed, then Google Chrome, then
Microsoft Edge, then a system Chromium (Debian's /usr/bin/chromium). Settings may name a kind or
an executable.

A headless run prefers a *headless shell* of the chosen Chromium when one is installed
(Playwright's own `chromium_headless_shell`, which Playwright itself launches for headless by
default, or Debian's `chromium-headless-shell`): the same Blink without the desktop browser around
it. Measured on a 100-order server-rendered list page: 103 ms of CPU per page against 152 ms for
the full browser in headless mode (browser process 14 vs 39 ms, renderer 72 vs 93 ms).
`browser.headless_shell = false` turns that off; headed runs always use the full browser.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from playwright.async_api import Browser, Playwright

from sweeper.errors import ConfigError, SiteUnavailable
from sweeper.settings import BrowserSettings

T = TypeVar("T")

# Without these, Chromium keeps calling home; on a closed network each attempt is refused noisily.
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
)
SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
# Debian's /usr/bin/chromium-headless-shell is a `sh` wrapper that does not exec: launching it would
# leave a shell as the "browser" process Playwright signals, so the binary itself is preferred.
SYSTEM_HEADLESS_SHELL = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell",
                         "chrome-headless-shell")
CHANNEL_PATHS = {
    "chrome": (
        "/opt/google/chrome/chrome",
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ),
    "msedge": (
        "/opt/microsoft/msedge/msedge",
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    ),
}


@dataclass(frozen=True)
class BrowserChoice:
    """How to launch: a Playwright channel, an executable, or Playwright's own build."""

    description: str
    executable: Path | None = None
    channel: str | None = None


def choose_browser(pw: Playwright, settings: BrowserSettings, *, headed: bool = False) -> BrowserChoice:
    if settings.executable is not None:
        if not settings.executable.exists():
            raise ConfigError(f"browser.executable does not exist: {settings.executable}")
        return BrowserChoice(f"configured {settings.executable}", executable=settings.executable)
    order = ("bundled", "chrome", "msedge", "system") if settings.kind == "auto" else (settings.kind,)
    shell = settings.headless_shell and not headed
    for kind in order:
        choice = _try_kind(pw, kind, shell=shell)
        if choice is not None:
            return choice
    raise ConfigError(
        "no browser found: install Chromium (Debian: apt-get install chromium), Chrome or Edge, "
        "or set browser.executable"
    )


def _try_kind(pw: Playwright, kind: str, *, shell: bool) -> BrowserChoice | None:
    if kind == "bundled":
        path = Path(pw.chromium.executable_path)
        if shell and _bundled_shell_installed(path):
            # No executable: Playwright then launches its own headless shell for a headless run.
            return BrowserChoice("Playwright Chromium headless shell")
        return BrowserChoice("Playwright Chromium", executable=path) if path.exists() else None
    if kind in CHANNEL_PATHS:
        if any(Path(p).exists() for p in CHANNEL_PATHS[kind]):
            return BrowserChoice(kind, channel=kind)
        return None
    names = (*SYSTEM_HEADLESS_SHELL, *SYSTEM_CHROMIUM) if shell else SYSTEM_CHROMIUM
    found = next((path for path in map(shutil.which, names) if path), None)
    return BrowserChoice(f"system {found}", executable=Path(found)) if found else None


def _bundled_shell_installed(chromium: Path) -> bool:
    """Whether `playwright install` put its headless shell beside its Chromium (ms-playwright/…)."""
    for folder in chromium.parents:
        if folder.name == "ms-playwright":
            return any(folder.glob("chromium_headless_shell-*"))
    return False


def launch_args(settings: BrowserSettings) -> list[str]:
    args = list(QUIET_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start sandboxed as root
    return args + list(settings.extra_args)


async def launch(pw: Playwright, settings: BrowserSettings, *, headed: bool = False) -> Browser:
    choice = choose_browser(pw, settings, headed=headed)
    return await pw.chromium.launch(
        headless=not headed,
        executable_path=choice.executable,
        channel=choice.channel,
        args=launch_args(settings),
    )


class HeadedWindow:
    """A visible browser, opened only when a login needs a person, for one login at a time.

    The sweep itself stays headless; a platform whose session expired borrows this window, so the
    person sees exactly one login page and the other platforms never wait for them.
    """

    def __init__(self, pw: Playwright, settings: BrowserSettings) -> None:
        self._pw = pw
        self._settings = settings
        self._browser: Browser | None = None
        self.turn = asyncio.Lock()  # one person, one login page at a time

    async def browser(self) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            self._browser = await launch(self._pw, self._settings, headed=True)
        return self._browser

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()


class SharedBrowser:
    """The run's one headless browser, with one replacement if its process dies mid-run.

    A killed or crashed Chromium takes every platform's context with it; the platforms are then
    retried once each in a single new browser (not one each: contexts, not browsers).
    """

    def __init__(self, pw: Playwright, settings: BrowserSettings) -> None:
        self._pw = pw
        self._settings = settings
        self._browser: Browser | None = None
        self._replaced = False
        self._lock = asyncio.Lock()

    async def start(self) -> Browser:
        self._browser = await launch(self._pw, self._settings)
        return self._browser

    @property
    def current(self) -> Browser:
        if self._browser is None:
            raise RuntimeError("SharedBrowser.start() was not awaited")
        return self._browser

    async def replacement_for(self, dead: Browser) -> Browser | None:
        """A live browser to retry in, if `dead` has died and the run's one replacement is unused."""
        if dead.is_connected():
            return None
        async with self._lock:
            if self._browser is not dead:
                return self._browser  # another platform already replaced it
            if self._replaced:
                return None
            self._replaced = True
            self._browser = await launch(self._pw, self._settings)
            return self._browser

    async def close(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            await self._browser.close()


async def while_connected(browser: Browser, work: Awaitable[T]) -> T:
    """Await `work`, but give up the moment `browser` disconnects (its process died).

    Why not rely on Playwright raising: with a route handler installed (the politeness gate), a
    `Page.goto` in flight when Chromium was killed was seen waiting forever instead of failing.
    """
    lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_lost(_: Browser) -> None:
        if not lost.done():
            lost.set_result(None)

    browser.on("disconnected", on_lost)
    task = asyncio.ensure_future(work)
    try:
        if not browser.is_connected():
            on_lost(browser)
        either: set[asyncio.Future[Any]] = {task, lost}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        raise SiteUnavailable("the browser process died")
    finally:
        browser.remove_listener("disconnected", on_lost)
        if not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=5)  # let it unwind; a stuck driver call cannot block us
