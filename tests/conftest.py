"""Shared fixtures: an in-memory keyring, an isolated home, and Debian Chromium for Playwright.

Browser fixtures come from pytest-playwright-asyncio (`context`, `page`, ...); `browser` is
overridden to launch exactly what sweeper itself would choose, with the same arguments.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import keyring
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Playwright

from sweeper.browser import launch
from sweeper.settings import BrowserSettings
from tests.memkeyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, state and config dirs of the code under test live in a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(__import__("os").environ):
        if var.startswith("SWEEPER_"):
            monkeypatch.delenv(var)
    return home


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    """The browser sweeper itself would pick, launched with sweeper's own arguments."""
    launched = await launch(playwright, BrowserSettings())
    yield launched
    await launched.close()
