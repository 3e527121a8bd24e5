"""Property tests: every flow's row reader takes whatever a site's row may hold, without a crash.

Each flow turns one scraped row (a JSON record or a table row's cells) into findings and facts in
pure functions. Here they get rows whose fields, named as the flows read them, hold arbitrary
Unicode, markup, very long strings, odd dates and amounts, wrong types and nothing at all. A
finding that comes out is a valid Finding whose every unparseable field kept its raw text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.async_api import Page

import flows
from flows import admin, hupun_rows, jiage315, jiage315_rows, pdd, pingan, suning, xywy_rows, yaofangwang
from sweeper.flow import FlowContext, FlowOptions, Sink
from sweeper.locators import default_selectors_dir, load_locators
from sweeper.log_config import get_logger
from sweeper.models import Finding
from sweeper.parsing import FindingDraft, Parsed

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
FLOWS_DIR = Path(flows.__file__).parent

ODD = st.sampled_from([
    "2026-11-26 09:20:00", "2026/11/26 9:20:05", "26/11/2026 09:20", "明天", "1795694800", "1795694800000",
    "¥12.50", "12.5元", "1e309", "NaN", "-0", "已超时", "—", "6天23时59分59秒", "处方药", "货到付款", "待发货",
    "<script>alert(1)</script>", "", " ", "\u3000", "null", "9" * 60,
])
TEXT = st.text(max_size=40) | ODD | st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(500, 2500))
SCALAR = TEXT | st.none() | st.booleans() | st.integers() | st.floats() | st.decimals(allow_nan=True)
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                     max_leaves=5)


def _names(*files: str) -> list[str]:
    """The field names the flows read, taken from their source (`row.get("x")`, `row["x"]`, quoted keys)."""
    source = "".join((FLOWS_DIR / f).read_text(encoding="utf-8") for f in files)
    return sorted(set(re.findall(r"""(?:\.get|\[)\(?\s*["']([A-Za-z_][\w]*)["']""", source)))


def rows(names: list[str], values: st.SearchStrategy[Any] = VALUE) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(names) | TEXT, values, max_size=len(names) + 2)


def context(key: str) -> FlowContext:
    """What the runner hands a flow; row readers never touch the page."""
    return FlowContext(
        platform=key, account="default", page=cast(Page, None),
        locators=load_locators(default_selectors_dir() / f"{key}.toml"), base_url=f"https://{key}.example",
        now=NOW, options=FlowOptions(), sink=Sink(key, "default"), log=get_logger(platform=key),
    )


def _valid(out: Any) -> list[Finding]:
    items = out if isinstance(out, list) else [] if out is None else [out]
    found = [i.build() if isinstance(i, FindingDraft) else i for i in items]
    for finding in found:
        assert isinstance(finding, Finding) and finding.order_no
        assert finding.problems or not finding.raw, finding.raw  # raw text is kept for a flagged field
        if finding.amount_yuan is not None:
            assert isinstance(finding.amount_yuan, Decimal) and finding.amount_yuan.is_finite()
    return found


JSON_READERS: dict[str, tuple[list[Callable[[FlowContext, dict[str, Any]], Any]], list[str]]] = {
    "pdd": ([pdd._order_finding, pdd._aftersale_finding, pdd._work_order_finding, pdd._prescription_finding],
            _names("pdd.py")),
    "pingan": ([pingan._order_reader(accept=True), pingan._order_reader(accept=False), pingan._refund,
                pingan._prescription, pingan._complaint], _names("pingan.py")),
    "xywy": ([xywy_rows.to_ship_findings, xywy_rows.refund_findings, xywy_rows.consult_findings],
             _names("xywy_rows.py")),
    "admin": ([lambda c, r: admin._to_ship_findings(c, r, {}), admin._rx_finding, admin._cod_finding,
               admin._reship_finding], _names("admin.py")),
}


@FUZZ
@given(st.sampled_from(sorted(JSON_READERS)), st.data())
def test_json_row_readers_take_any_record(key: str, data: st.DataObject) -> None:
    readers, names = JSON_READERS[key]
    ctx = context(key)
    for read in readers:
        _valid(read(ctx, data.draw(rows(names), label=read.__name__ if hasattr(read, "__name__") else key)))


@FUZZ
@given(st.data())
def test_hupun_rows_take_any_record(data: st.DataObject) -> None:
    ctx = context("hupun")
    vocab = hupun_rows.Vocab.of(ctx.locators)
    names = _names("hupun_rows.py", "hupun.py")
    row = data.draw(rows(names))
    assert isinstance(hupun_rows.remark_fact_fields(row, vocab), dict)
    assert isinstance(hupun_rows.wms_fact_fields(row, 30.0), dict)
    _valid(hupun_rows.remark_findings(ctx, vocab, row))
    _valid(hupun_rows.wms_finding(ctx, vocab, row, 30.0))


CELL_TEXT = TEXT  # a table cell's innerText: always a string


@FUZZ
@given(st.data())
def test_table_row_readers_take_any_cells(data: st.DataObject) -> None:
    jiage = context("jiage315")
    columns = sorted({c for spec in jiage315.LISTS for c in spec.columns})
    for read in (jiage315_rows.order_findings, jiage315_rows.refund_findings, jiage315_rows.message_findings):
        _valid(read(jiage, data.draw(rows(columns, CELL_TEXT))))
    sun = context("suning")
    for spec in suning.LISTS:
        cells = list(suning.CELLS[spec.cells])
        _valid(spec.to_finding(sun, data.draw(rows(cells, CELL_TEXT | st.none()))))
    yfw = context("yaofangwang")
    for spec in yaofangwang.LISTS:
        record = yaofangwang.Record(head=data.draw(rows(list(spec.labels), CELL_TEXT)),
                                    cells=data.draw(rows(list(spec.columns), CELL_TEXT)))
        _valid(spec.handler(yfw, record))


def test_the_field_names_come_from_the_flows() -> None:
    assert {"order_sn", "promise_shipping_time"} <= set(_names("pdd.py"))
    assert {"promiseShipTime", "handleDeadline"} <= set(_names("xywy_rows.py"))
    assert isinstance(Parsed(None, "x", "y"), Parsed)
