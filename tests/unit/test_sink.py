"""The sink's page tally: a row repeated by a list that shifted is counted as read, kept once."""

from __future__ import annotations

from sweeper.flow import Sink


def test_a_row_repeated_on_the_next_page_is_read_twice_and_kept_once() -> None:
    sink = Sink("pdd", "default")
    sink.open_list("orders", 4)
    first = sink.fresh_rows("orders", [{"no": "A"}, {"no": "B"}], lambda r: r["no"])
    second = sink.fresh_rows("orders", [{"no": "B"}, {"no": "C"}], lambda r: r["no"])
    assert [r["no"] for r in first + second] == ["A", "B", "C"]
    tally = sink.lists["orders"]
    assert (tally.pages, tally.rows_read, tally.rows_kept) == (2, 4, 3)


def test_rows_without_a_key_are_always_kept_and_lists_do_not_share_keys() -> None:
    sink = Sink()
    sink.open_list("a")
    sink.open_list("b")
    assert len(sink.fresh_rows("a", ["", "", "x"], lambda r: r)) == 3
    assert sink.fresh_rows("b", ["x"], lambda r: r) == ["x"]
    assert sink.fresh_rows("a", ["x"], lambda r: r) == []
