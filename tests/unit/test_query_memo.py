"""Paging one query filters the replica's records once; new filters or changed data filter again."""

from __future__ import annotations

from typing import Any

from replicas.common.query_memo import QueryMemo


def test_one_query_is_filtered_once_and_a_new_key_filters_again() -> None:
    table: list[dict[str, Any]] = [{"n": i, "odd": i % 2 == 1} for i in range(10)]
    calls: list[bool] = []

    def odd() -> list[dict[str, Any]]:
        calls.append(True)
        return [r for r in table if r["odd"]]

    memo = QueryMemo()
    first = memo.rows("orders", (("odd", True), len(table)), odd)
    first.insert(0, {"n": -1})  # what list_shift does to the rows of a page: the memo keeps its own
    again = memo.rows("orders", (("odd", True), len(table)), odd)
    assert len(calls) == 1 and [r["n"] for r in again] == [1, 3, 5, 7, 9]
    table.append({"n": 11, "odd": True})
    grown = memo.rows("orders", (("odd", True), len(table)), odd)
    assert len(calls) == 2 and grown[-1]["n"] == 11
    memo.rows("refunds", (("odd", True), len(table)), odd)  # each list keeps its own query
    assert len(calls) == 3
