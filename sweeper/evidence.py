"""Screenshots and Playwright traces of a platform that did not end `ok`, with secrets scrubbed.

A trace records request headers (cookies are credentials) and typed values. Before a trace is
kept, every text entry in its zip is rewritten: cookie headers and known secret strings become
"***". Traces of `ok` platforms are discarded.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

_COOKIE_HEADER = re.compile(
    r'("name":\s*"(?:cookie|set-cookie|anti-content|authorization)",\s*"value":\s*)"(?:[^"\\]|\\.)*"',
    re.IGNORECASE,
)


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    text = _COOKIE_HEADER.sub(r'\1"***"', text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def scrub_trace(path: Path, secrets: Iterable[str]) -> None:
    """Rewrite a trace zip in place with secrets removed from every text member."""
    secret_list = [s for s in secrets if s]
    tmp = path.with_suffix(".scrub.zip")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith((".trace", ".network", ".json", ".html", ".txt", ".css")) or (
                info.filename.startswith("resources/") and _looks_textual(data)
            ):
                data = scrub_text(data.decode("utf-8", "replace"), secret_list).encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)


def _looks_textual(data: bytes) -> bool:
    head = data[:512]
    return b"\x00" not in head


async def save_evidence(
    context: BrowserContext, page: Page | None, folder: Path, stem: str, secrets: Iterable[str]
) -> list[Path]:
    """Screenshot (if the page is alive) and the scrubbed trace; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if page is not None and not page.is_closed():
        shot = folder / f"{stem}.png"
        try:
            await page.screenshot(path=shot, full_page=False, timeout=5_000)
            written.append(shot)
        except PlaywrightError:
            pass  # a crashed page has nothing to show; the trace still tells the story
    trace = folder / f"{stem}-trace.zip"
    try:
        await context.tracing.stop(path=trace)
    except PlaywrightError:
        return written
    scrub_trace(trace, secrets)
    written.append(trace)
    return written
