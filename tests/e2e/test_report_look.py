"""The report in real Chromium: accessible (axe-core, offline), self-contained, readable at 360 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Request

from sweeper.crosscheck import with_cross_checks
from sweeper.report.render import render_report
from tests.unit.test_report_render import sample_run

WIDTHS = {"phone": 360, "desktop": 1280}
SERIOUS = {"serious", "critical"}


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_report(with_cross_checks(sample_run())), encoding="utf-8")
    return path


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
async def test_the_report_reads_at_phone_and_desktop_width(
    browser: Browser, report_file: Path, width: int, tmp_path: Path
) -> None:
    page = await browser.new_page(viewport={"width": width, "height": 800})
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))  # noqa: PLW0108 (Playwright wraps the handler; a bound builtin breaks it)
    await page.goto(report_file.as_uri())
    # Nothing but the file itself is fetched: no fonts, images, scripts or beacons.
    assert [r.url for r in requests] == [report_file.as_uri()]
    # No sideways scrolling: a phone shows every column stacked.
    overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px wider than a {width}px screen"
    # The verdict is the first thing read, above the fold.
    verdict = await page.locator(".verdict").bounding_box()
    assert verdict is not None and verdict["y"] + verdict["height"] < 800
    # On a phone a finding's cells carry their own labels (the header row is hidden).
    first_cell = page.locator("table.findings tbody td").first
    label = await first_cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert ("剩余时间" in label) is (width < 640)
    await page.screenshot(path=tmp_path / f"report-{width}.png", full_page=True)
    await page.close()


async def test_axe_finds_no_serious_violation(browser: Browser, report_file: Path) -> None:
    page = await browser.new_page()
    await page.goto(report_file.as_uri())
    results = await Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert serious == [], results.generate_report()
    await page.close()
