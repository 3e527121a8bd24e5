"""A list's last query and its matching records, reused while paging through it.

A real back-end answers page N of a query from a database index. A replica that filters every
record again for each page costs the square of its records: measured in the benchmark's
10,000-item run, 200 CPU-seconds of the replicas' own process, nearly all in 万里牛's and the
admin's list filters. Paging one query now filters once; a new filter or changed data filters again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

Record = dict[str, Any]


class QueryMemo:
    """Per list: the key of the last query (its filters and the data's version) and its matches."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[Hashable, ...], list[Record]]] = {}

    def rows(self, name: str, key: tuple[Hashable, ...], pick: Callable[[], list[Record]]) -> list[Record]:
        """The records `pick()` returns for `key`; computed again only when `key` changed."""
        kept = self._kept.get(name)
        if kept is None or kept[0] != key:
            kept = (key, pick())
            self._kept[name] = kept
        return list(kept[1])  # a copy: the list_shift fault inserts into the rows it is given
