"""What the benchmark ran on, and what starting the browser costs there."""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from playwright.async_api import async_playwright

from sweeper.browser import launch
from sweeper.settings import BrowserSettings


@dataclass
class Machine:
    cores: int
    cpu: str
    memory_gib: float
    load: str  # 1/5/15-minute load averages when the benchmark started: others share the machine
    python: str
    playwright: str

    def summary(self) -> str:
        return (f"{self.cores} cores ({self.cpu}), {self.memory_gib:.0f} GiB, load {self.load} at start; "
                f"Python {self.python}, Playwright {self.playwright}")


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def describe_machine() -> Machine:
    mem_kib = _first("/proc/meminfo", "MemTotal").split()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return Machine(
        cores=os.cpu_count() or 0,
        cpu=_first("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        memory_gib=int(mem_kib[0]) / 1024 / 1024 if mem_kib else 0.0,
        load=" ".join(f"{x:.1f}" for x in load),
        python=platform.python_version(),
        playwright=version("playwright"),
    )


async def _start_once() -> tuple[float, str]:
    """Driver start, browser launch, a context and a page: what a sweep pays before its first request."""
    started = time.monotonic()
    async with async_playwright() as pw:
        browser = await launch(pw, BrowserSettings())
        context = await browser.new_context()
        await context.new_page()
        elapsed = time.monotonic() - started
        name = f"{browser.browser_type.name} {browser.version}"
        await browser.close()
    return elapsed, name


def measure_startup(times: int = 3) -> tuple[float, str]:
    """The median start-up over `times` tries, and the browser's name and version."""
    results = [asyncio.run(_start_once()) for _ in range(times)]
    return statistics.median(r[0] for r in results), results[0][1]
