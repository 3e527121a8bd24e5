"""Which browser a run launches: a headless shell for headless sweeps when one is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from playwright.async_api import Playwright

from sweeper import browser
from sweeper.browser import _bundled_shell_installed, choose_browser
from sweeper.settings import BrowserSettings

NO_PLAYWRIGHT = cast(Playwright, object())  # the "system" kind never asks Playwright


def _on_path(monkeypatch: pytest.MonkeyPatch, folder: Path, *names: str) -> None:
    """Only `names` exist, on PATH (the machine's own /usr/lib/chromium is out of the picture)."""
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_SHELL", ("chromium-headless-shell",))
    folder.mkdir()
    for name in names:
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def _choose(**settings: Any) -> str:
    headed = settings.pop("headed", False)
    choice = choose_browser(NO_PLAYWRIGHT, BrowserSettings(kind="system", **settings), headed=headed)
    return choice.executable.name if choice.executable else ""


def test_headless_runs_take_the_headless_shell_and_headed_logins_the_full_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_path(monkeypatch, tmp_path / "bin", "chromium", "chromium-headless-shell")
    assert _choose() == "chromium-headless-shell"
    assert _choose(headed=True) == "chromium"
    assert _choose(headless_shell=False) == "chromium"


def test_without_a_shell_headless_runs_take_the_full_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_path(monkeypatch, tmp_path / "bin", "chromium")
    assert _choose() == "chromium"


def test_playwrights_own_shell_is_found_beside_its_chromium(tmp_path: Path) -> None:
    chromium = tmp_path / "ms-playwright" / "chromium-1200" / "chrome-linux" / "chrome"
    chromium.parent.mkdir(parents=True)
    assert not _bundled_shell_installed(chromium)
    (tmp_path / "ms-playwright" / "chromium_headless_shell-1200").mkdir()
    assert _bundled_shell_installed(chromium)
    assert not _bundled_shell_installed(tmp_path / "elsewhere" / "chrome")


def test_debians_shell_binary_comes_before_its_wrapper_script() -> None:
    # /usr/bin/chromium-headless-shell runs the binary as a child of `sh`: Playwright would hold the shell.
    assert browser.SYSTEM_HEADLESS_SHELL[0] == "/usr/lib/chromium/chromium-headless-shell"
