"""Property tests: whatever a site prints ends up in the history, the report and the mail intact
and inert. Scraped text of any script, markup, control characters and very long strings, odd
amounts and dates: no crash, every row kept, no tag or event handler of theirs in the HTML."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sweeper.history import History
from sweeper.mail import compose
from sweeper.mail_body import text_body
from sweeper.models import Category, Finding, FlowResult, FlowStatus, ListTally, RunResult
from sweeper.report.render import render_report
from sweeper.rules import with_time_left
from sweeper.settings import EmailSettings

FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
MARK = "x-fuzz"  # a tag name no template uses: if it ever parses as a tag, scraped markup got through
INJECTIONS = st.sampled_from([
    f"<{MARK}>", f"<{MARK} onload=alert(1)>", f"</td><{MARK}>", f'"><{MARK} a="', f"'><{MARK} a='",
    f"<!--<{MARK}>-->", f"<script><{MARK}></script>", f"<![CDATA[<{MARK}>]]>", f"&lt;{MARK}&gt;",
    f"<{MARK}/onclick=alert(1)>", f"<svg><{MARK}>", "\u202e\u200b", "\x00\x07\x1b[31m",
])
LONG = st.builds(lambda part, n: part * n, st.text(min_size=1, max_size=5), st.integers(300, 1500))  # cheap to draw
SCRAPED = st.lists(st.text(max_size=40) | INJECTIONS | LONG, max_size=3).map("".join)
ODD_TIMES = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1),
                         timezones=st.sampled_from([UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/Lima")]))
AMOUNTS = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)
LINKS = st.sampled_from(["", "https://mms.pinduoduo.com/orders/detail?sn=1", "javascript:alert(1)",
                         " JavaScript:alert(1)", "data:text/html,<x-fuzz>", 'https://x/"onmouseover="alert(1)'])


@st.composite
def findings(draw: Any, platform: str) -> Finding:
    raw = draw(st.dictionaries(st.sampled_from(["deadline_at", "created_at", "amount_yuan"]), SCRAPED, max_size=2))
    finding = Finding(
        platform=platform, account="default", category=draw(st.sampled_from(list(Category))),
        order_no=draw(SCRAPED.filter(lambda s: s.strip()) | st.just("261126-000000000000001")),
        item=draw(SCRAPED), amount_yuan=draw(st.none() | AMOUNTS), created_at=draw(st.none() | ODD_TIMES),
        deadline_at=draw(st.none() | ODD_TIMES), status_text=draw(SCRAPED), buyer_memo=draw(SCRAPED),
        customer=draw(SCRAPED), detail=draw(SCRAPED), link=draw(LINKS),
        problems=[f"{k}: time unparseable: {v[:80]!r}" for k, v in raw.items()], raw=raw,
    )
    return with_time_left(finding, NOW)


@st.composite
def runs(draw: Any) -> RunResult:
    platforms = []
    for key in draw(st.lists(st.sampled_from(["pdd", "suning", "hupun", "xywy"]), min_size=1, max_size=3,
                             unique=True)):
        found = draw(st.lists(findings(key), max_size=6))
        status = draw(st.sampled_from(list(FlowStatus)))
        platforms.append(FlowResult(
            platform=key, account="default", label=draw(SCRAPED), status=status,
            reason=draw(SCRAPED) if status is not FlowStatus.OK else "", findings=found, started_at=NOW,
            lists=[ListTally(name=draw(SCRAPED), pages=1, rows_read=len(found), rows_kept=len(found),
                             expected=len(found), complete=True)],
        ))
    return RunResult(run_id="20261126-092000-f00d", slot="0930", now=NOW, started_at=NOW, finished_at=NOW,
                     platforms=platforms)


class _Tags(HTMLParser):
    """Every start tag and attribute the browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]


def _inert(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    problems = [f"tag <{t}>" for t in parser.tags if t == MARK]
    problems += [f"attribute {n}={v!r}" for n, v in parser.attrs if n.startswith("on") or n == "a"]
    problems += [f"link {v!r}" for n, v in parser.attrs
                 if n in ("href", "src") and v.strip().lower().startswith(("javascript:", "data:"))]
    return problems


@FUZZ
@given(runs())
def test_the_report_keeps_every_finding_and_no_scraped_markup_is_live(run: RunResult) -> None:
    for mask in (True, False):
        html = render_report(run, mask=mask)
        assert not _inert(html), _inert(html)
        assert html.count('data-label="订单号"') >= len(run.findings)  # every finding has its row


@FUZZ
@given(runs())
def test_the_history_stores_and_gives_back_the_run_as_it_was(run: RunResult) -> None:
    with tempfile.TemporaryDirectory() as folder:
        history = History(Path(folder) / "history.sqlite3")
        history.record(run)
        # Compared as stored (JSON, times with their UTC offset): `==` on a datetime in a DST fold of
        # America/Lima is never equal across zones (PEP 495), though the instant is the same.
        assert history.load(run.run_id).model_dump_json() == run.model_dump_json()
        later = run.model_copy(update={"run_id": "20261126-100000-beef", "now": NOW + timedelta(hours=1)})
        changes = history.record(later)
        assert changes.previous_run_id == run.run_id
        assert history.runs()[0].run_id == later.run_id


@FUZZ
@given(runs())
def test_the_mail_is_built_and_its_html_is_inert(run: RunResult) -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        report.write_text(render_report(run), encoding="utf-8")
        message = compose(run, report, EmailSettings(sender="sweeper@example.com", recipients=["ops@example.com"]))
    assert message.as_bytes()
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert not _inert(html), _inert(html)
    assert text_body(run, mask=True, limit=50, changes=None, note="")
