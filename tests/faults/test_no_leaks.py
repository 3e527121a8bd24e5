"""No artefact of a sweep holds a secret it used: passwords, session cookies, SMS codes.

One sweep of all eight replicas in which every platform logs in with the password and then hits
an HTTP 500 (so every platform ends `partial` and keeps a screenshot and a trace). Two of them
(拼多多, 苏宁) see an unknown device and ask for an SMS code, which a stand-in person types in the
hand-off window. Then every artefact is searched for every secret: run.json, report.html, each
evidence file (every member of each trace zip), the JSON log lines on stderr, the history SQLite
file (its compressed run copies too), and a composed mail.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from playwright.async_api import BrowserContext, Page

import sweeper.browser
import sweeper.runner
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD
from sweeper.history import History
from sweeper.locators import default_selectors_dir, load_locators
from sweeper.log_config import configure_logging
from sweeper.mail import compose
from sweeper.models import FlowStatus
from sweeper.settings import EmailSettings
from tests.faults.matrix import PAGE_500, PLATFORMS
from tests.faults.sweeping import scenario_of, sweep_row

pytestmark = pytest.mark.slow

SMS_PLATFORMS = ("pdd", "suning")  # an unknown device: the login asks for an SMS code
ROW = dataclasses.replace(
    PAGE_500,
    name="no_leaks",
    scenario={p: {**PAGE_500.scenario[p], **({"known_device": False} if p in SMS_PLATFORMS else {})}
              for p in PLATFORMS},
)
# Cookies that carry a login. Others (a shop number, a UI flag) are not secrets and may show.
SESSION_COOKIE_WORDS = ("sess", "token", "auth", "pass", "sid", "ticket", "wtk")


class SmsPerson:
    """The person at the hand-off window: asks for the SMS code, reads it from the replica's
    outbox (their phone) and types it."""

    def __init__(self, running: RunningReplicas) -> None:
        self.running = running
        self.done: list[asyncio.Task[None]] = []

    def tell(self, who: str, page: Page, message: str) -> None:
        key = next(k for k in SMS_PLATFORMS if k in who or _label(k) in who)
        self.done.append(asyncio.ensure_future(self._type_code(key, page)))

    async def _type_code(self, key: str, page: Page) -> None:
        sel = load_locators(default_selectors_dir() / f"{key}.toml")
        if key == "pdd":
            button, code, confirm = (page.get_by_role("button", name="获取验证码"), page.locator("#mobileVerifyCode"),
                                     page.get_by_role("button", name="确定"))
            outbox_url = f"{self.running.base_url('pdd')}/__replica__/sms"
        else:
            button, code, confirm = (sel.selector("sms", n).resolve(page) for n in ("get_code", "code", "confirm"))
            outbox_url = f"{self.running.host_url('suning', 'masc')}/__replica__/sms"
        async with page.expect_response(lambda r: r.request.method == "POST"):  # the code is on its way
            await button.click()
        async with httpx.AsyncClient() as client:
            sent = (await client.get(outbox_url)).json()
        messages = sent if isinstance(sent, list) else sent["messages"]
        await code.fill(messages[-1]["code"])
        await confirm.click()


def _label(key: str) -> str:
    return load_locators(default_selectors_dir() / f"{key}.toml").site.name


@pytest.fixture
def headless_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-off window without a display: the same browser, launched headless."""
    launch = sweeper.browser.launch

    async def headless(pw: Any, settings: Any, *, headed: bool = False) -> Any:
        return await launch(pw, settings)

    monkeypatch.setattr(sweeper.browser, "launch", headless)


@pytest.fixture
def cookies_seen(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every cookie of every context whose evidence is kept, taken just before it is saved."""
    seen: list[dict[str, Any]] = []
    save = sweeper.runner.save_evidence

    async def recording(context: BrowserContext, *args: Any, **kwargs: Any) -> Any:
        seen.extend(dict(c) for c in await context.cookies())
        return await save(context, *args, **kwargs)

    monkeypatch.setattr(sweeper.runner, "save_evidence", recording)
    return seen


def _session_cookies(cookies: list[dict[str, Any]]) -> set[str]:
    return {
        str(c["value"]) for c in cookies
        if len(str(c.get("value", ""))) >= 6
        and (c.get("httpOnly") or any(w in str(c["name"]).lower() for w in SESSION_COOKIE_WORDS))
    }


def _saved_cookies(state_dir: Path) -> list[dict[str, Any]]:
    cookies: list[dict[str, Any]] = []
    for path in (state_dir / "sessions").glob("*/*.json"):
        cookies += json.loads(path.read_text(encoding="utf-8")).get("cookies", [])
    return cookies


def _sms_codes(running: RunningReplicas) -> set[str]:
    pdd = httpx.get(f"{running.base_url('pdd')}/__replica__/sms").json()
    suning = httpx.get(f"{running.host_url('suning', 'masc')}/__replica__/sms").json()["messages"]
    return {str(m["code"]) for m in [*pdd, *suning]}


def _artefacts(run_dir: Path, history: Path, mail: bytes, log: str) -> Iterator[tuple[str, bytes]]:
    """(name, content) of everything the sweep left behind, trace zips and history opened up."""
    for path in sorted(run_dir.rglob("*")):
        if not path.is_file():
            continue
        yield str(path.relative_to(run_dir)), path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.name}!{member}", archive.read(member)
    yield "history.sqlite3", history.read_bytes()
    with sqlite3.connect(history) as db:
        for table in ("runs", "platforms", "findings"):
            for row in db.execute(f"SELECT * FROM {table}"):
                for n, value in enumerate(row):
                    data = value if isinstance(value, bytes) else str(value).encode()
                    if isinstance(value, bytes) and data[:1] == b"x":
                        data = zlib.decompress(data)
                    yield f"history {table}[{n}]", data
    yield "mail", mail
    yield "log (stderr)", log.encode()


def _leaks(artefacts: Iterator[tuple[str, bytes]], secrets: dict[str, set[str]]) -> list[str]:
    found: list[str] = []
    for name, data in artefacts:
        text = data.decode("utf-8", "replace")
        latin = data.decode("latin-1")
        for kind, values in secrets.items():
            found += [f"{kind} {value!r} in {name}" for value in values if value in text or value in latin]
    return found


async def test_no_artefact_holds_a_password_a_session_cookie_or_an_sms_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], headless_window: None,
    cookies_seen: list[dict[str, Any]],
) -> None:
    configure_logging("json")
    try:
        with serve_replicas(scenario_of(ROW), ROW.platforms) as running:
            person = SmsPerson(running)
            # Traces with DOM snapshots and the network log: the richest a trace gets, the most to leak.
            swept = await sweep_row(ROW, tmp_path, person=person, running=running, trace_snapshots=True)
            await asyncio.gather(*person.done)
            codes = _sms_codes(running)
    finally:
        structlog.reset_defaults()
    log = capsys.readouterr().err
    statuses = {p.platform: p.status for p in swept.run.platforms}
    assert statuses == dict.fromkeys(PLATFORMS, FlowStatus.PARTIAL), [(p.platform, p.reason) for p in swept.run.platforms]
    assert all(len(p.evidence) == 2 for p in swept.run.platforms), [p.evidence for p in swept.run.platforms]
    history = tmp_path / "history.sqlite3"
    History(history).record(swept.run)
    mail = compose(swept.run, swept.report, EmailSettings(sender="sweeper@example.com", recipients=["ops@example.com"]))
    secrets = {
        "password": {DEMO_PASSWORD},
        "session cookie": _session_cookies(cookies_seen + _saved_cookies(swept.state_dir)),
        "SMS code": codes,
    }
    assert len(codes) == len(SMS_PLATFORMS) and secrets["session cookie"], secrets
    assert '"event"' in log and DEMO_PASSWORD not in log
    leaks = _leaks(_artefacts(swept.run_dir, history, mail.as_bytes(), log), secrets)
    assert not leaks, "\n".join(leaks[:40])
    for trace in swept.run_dir.glob("evidence/*-trace.zip"):
        _still_a_trace(trace)


def _still_a_trace(path: Path) -> None:
    """Scrubbed, the trace still opens: JSON events, the pages' snapshots and the network log."""
    with zipfile.ZipFile(path) as archive:
        events = [json.loads(line) for name in ("trace.trace", "trace.network")
                  for line in archive.read(name).decode("utf-8").splitlines() if line.strip()]
    kinds = {e.get("type") for e in events}
    assert {"frame-snapshot", "resource-snapshot", "before", "after"} <= kinds, (path.name, kinds)
