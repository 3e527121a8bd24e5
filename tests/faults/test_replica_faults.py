"""The fault helpers the replicas share, and every replica declaring the matrix's faults."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from replicas import available
from replicas.common.faults import ListShift, new_date_style, restyle_fields
from sweeper.parsing import local_datetime, unix_millis, unix_seconds
from tests.faults.matrix import ROWS

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize("value", [NOW, NOW.replace(tzinfo=None), int(NOW.timestamp()),
                                   int(NOW.timestamp()) * 1000, "2026-11-26 09:20:00", "2026/11/26 09:20"])
def test_the_new_date_style_is_day_first_and_no_flow_parser_reads_it(value: object) -> None:
    text = new_date_style(value)
    assert text == "26/11/2026 09:20"
    assert not local_datetime(text).ok and not unix_seconds(text).ok and not unix_millis(text).ok


def test_values_that_are_not_times_pass_through() -> None:
    assert [new_date_style(v) for v in ("", None, "明天", "—")] == ["", None, "明天", "—"]
    assert restyle_fields({"a": NOW, "b": NOW}, ("a",)) == {"a": "26/11/2026 09:20", "b": NOW}


def test_a_list_shift_adds_one_record_on_top_between_page_1_and_page_2_once() -> None:
    table = [{"no": str(n)} for n in range(5)]
    shift = ListShift()
    fresh = lambda top: {"no": top["no"] + "new"}  # noqa: E731
    rows = table[1:]  # a filtered view of the table
    shift.before_page(1, rows, table, fresh)
    assert len(table) == 5
    shift.before_page(2, rows, table, fresh)
    assert table[0] == rows[0] == {"no": "1new"} and len(table) == 6 and len(rows) == 5
    shift.before_page(1, rows, table, fresh)
    shift.before_page(2, rows, table, fresh)
    assert len(table) == 6  # once per replica


def test_a_list_shift_over_the_table_itself_inserts_once() -> None:
    table = [{"no": "1"}, {"no": "2"}]
    shift = ListShift()
    shift.before_page(1, table, table, lambda top: {"no": "0"})
    shift.before_page(2, table, table, lambda top: {"no": "0"})
    assert [r["no"] for r in table] == ["0", "1", "2"]


def test_every_replica_declares_the_faults_its_matrix_cells_switch_on() -> None:
    specs = available()
    for row in ROWS:
        for platform, table in row.scenario.items():
            for fault in table.get("faults", []):
                assert fault in specs[platform].faults, (row.name, platform, fault)
