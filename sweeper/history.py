"""The local history of runs: one SQLite file (stdlib sqlite3), by default in the state folder.

Tables (queryable with any SQLite tool):

    runs       one row per run: its clock, slot, counts and the whole run JSON (zlib-compressed)
    platforms  one row per (run, platform, account): status and reason
    findings   one row per (run, identity): what was open after the run (`new`, `still_open`,
               `not_rechecked`) and what it resolved (`gone`), each with its first-seen time

Runs are ordered by their clock (`RunResult.now`): a run is compared with the run before it in
time, whatever order they were recorded in (recording an old run late does not rewrite the
marks already stored for the runs after it). The file holds scraped customer data (unmasked, like
run.json), so it is created mode 0600; by default it is in the state folder, outside the repository.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sweeper.errors import ConfigError, SweeperError
from sweeper.history_compare import Changes, OpenFinding, compare, rechecked_in
from sweeper.models import Finding, FlowStatus, RunResult
from sweeper.settings import Settings

__all__ = ["Changes", "History", "HistoryError", "RunSummary", "UnknownRun", "history_file"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    at REAL NOT NULL,
    now TEXT NOT NULL,
    slot TEXT NOT NULL,
    all_ok INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    overdue INTEGER NOT NULL,
    new INTEGER NOT NULL,
    gone INTEGER NOT NULL,
    not_rechecked INTEGER NOT NULL,
    previous_run TEXT,
    run_json BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_at ON runs (at);
CREATE TABLE IF NOT EXISTS platforms (
    run_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    findings INTEGER NOT NULL,
    PRIMARY KEY (run_id, platform, account)
);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL,
    identity TEXT NOT NULL,
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    category TEXT NOT NULL,
    order_no TEXT NOT NULL,
    check_name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new', 'still_open', 'not_rechecked', 'gone')),
    first_seen TEXT NOT NULL,
    finding_json TEXT NOT NULL,
    PRIMARY KEY (run_id, identity)
);
CREATE INDEX IF NOT EXISTS findings_identity ON findings (identity);
PRAGMA user_version = 1;
"""


class HistoryError(SweeperError):
    """The history file cannot be read or written. The run's report is still on disk."""


class UnknownRun(ConfigError):
    """No run with that id in the history (a usage error: exit 2)."""


@dataclass(frozen=True)
class RunSummary:
    """One line of `sweeper history`."""

    run_id: str
    now: datetime
    slot: str
    all_ok: bool
    statuses: tuple[tuple[str, FlowStatus], ...]  # ("pdd", ok), ("hupun/shop2", failed), ...
    findings: int
    overdue: int
    new: int
    gone: int
    not_rechecked: int


def history_file(settings: Settings) -> Path:
    return (settings.history_path or settings.state_dir / "history.sqlite3").expanduser()


def _overdue(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.seconds_left is not None and f.seconds_left < 0)


class History:
    """Runs, platform statuses and findings of past sweeps, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.touch(mode=0o600, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"cannot create the history file {path}: {exc.strerror}") from None
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot open the history file {self.path}: {exc}") from None
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        except sqlite3.Error as exc:
            raise HistoryError(f"history file {self.path}: {exc}") from None
        finally:
            db.close()

    def record(self, run: RunResult) -> Changes:
        """Store the run (replacing an earlier copy of it) and return what changed since the last."""
        with self._db() as db:
            changes = self._changes(db, run)
            for table in ("runs", "platforms", "findings"):
                db.execute(f"DELETE FROM {table} WHERE run_id = ?", (run.run_id,))
            self._insert_run(db, run, changes)
            db.executemany(
                "INSERT INTO platforms VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(run.run_id, p.platform, p.account, p.label, p.status.value, p.reason, len(p.findings))
                 for p in run.platforms],
            )
            db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           self._finding_rows(run, changes))
        return changes

    def changes(self, run: RunResult) -> Changes:
        """The run against the run before it in time (the run itself need not be stored)."""
        with self._db() as db:
            return self._changes(db, run)

    def load(self, run_id: str) -> RunResult:
        with self._db() as db:
            row = db.execute("SELECT run_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise UnknownRun(f"no run {run_id!r} in the history ({self.path}); see `sweeper history`")
        return RunResult.model_validate_json(zlib.decompress(row[0]))

    def latest(self) -> str | None:
        with self._db() as db:
            row = db.execute("SELECT run_id FROM runs ORDER BY at DESC, run_id DESC LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    def runs(self, limit: int = 20) -> list[RunSummary]:
        """The newest `limit` runs, newest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT run_id, now, slot, all_ok, findings, overdue, new, gone, not_rechecked FROM runs "
                "ORDER BY at DESC, run_id DESC LIMIT ?", (limit,)
            ).fetchall()
            statuses = {run_id: self._statuses(db, run_id) for run_id, *_ in rows}
        return [
            RunSummary(run_id=r[0], now=datetime.fromisoformat(r[1]), slot=r[2], all_ok=bool(r[3]),
                       statuses=statuses[r[0]], findings=r[4], overdue=r[5], new=r[6], gone=r[7],
                       not_rechecked=r[8])
            for r in rows
        ]

    # -- internals --------------------------------------------------------------------------------

    @staticmethod
    def _statuses(db: sqlite3.Connection, run_id: str) -> tuple[tuple[str, FlowStatus], ...]:
        rows = db.execute(
            "SELECT platform, account, status FROM platforms WHERE run_id = ? ORDER BY rowid", (run_id,)
        ).fetchall()
        return tuple(
            (platform if account == "default" else f"{platform}/{account}", FlowStatus(status))
            for platform, account, status in rows
        )

    @staticmethod
    def _previous(db: sqlite3.Connection, run: RunResult) -> str | None:
        at = run.now.timestamp()
        row = db.execute(
            "SELECT run_id FROM runs WHERE run_id != ? AND (at < ? OR (at = ? AND run_id < ?)) "
            "ORDER BY at DESC, run_id DESC LIMIT 1",
            (run.run_id, at, at, run.run_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def _changes(self, db: sqlite3.Connection, run: RunResult) -> Changes:
        previous = self._previous(db, run)
        rows = [] if previous is None else db.execute(
            "SELECT finding_json, first_seen FROM findings WHERE run_id = ? AND state != 'gone'",
            (previous,),
        ).fetchall()
        previous_open = [
            OpenFinding(Finding.model_validate_json(blob), datetime.fromisoformat(first))
            for blob, first in rows
        ]
        return compare(previous_open, run.findings, rechecked=rechecked_in(run), now=run.now,
                       previous_run_id=previous)

    @staticmethod
    def _insert_run(db: sqlite3.Connection, run: RunResult, changes: Changes) -> None:
        findings = run.findings
        db.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run.run_id, run.now.timestamp(), run.now.isoformat(), run.slot, int(run.all_ok),
             len(findings), _overdue(findings), changes.new, len(changes.gone),
             len(changes.not_rechecked), changes.previous_run_id,
             zlib.compress(run.model_dump_json().encode("utf-8"))),
        )

    @staticmethod
    def _finding_rows(run: RunResult, changes: Changes) -> list[tuple[str, ...]]:
        states: dict[str, tuple[str, Finding]] = {
            f.identity: (changes.state[f.identity], f) for f in run.findings
        }
        states.update({f.identity: ("not_rechecked", f) for f in changes.not_rechecked})
        states.update({f.identity: ("gone", f) for f in changes.gone})
        return [
            (run.run_id, identity, f.platform, f.account, f.category.value, f.order_no, f.check, state,
             changes.since[identity].isoformat(), f.model_dump_json())
            for identity, (state, f) in states.items()
        ]
