"""系统任务: background jobs of the WMS, above all the wave job "生成波次".

Facts (docs/platforms.md §8): wave jobs run as background 系统任务 whose status the user checks in
a task panel; once a wave is generated its orders leave 待分配 for the picking steps.
[I] The replica starts one wave job over the orders marked `wms.job` the first time the WMS page is
opened (so a sweep always meets a running job: the worst case for the flow). The job stays
处理中 for `fault_args.job.delay_s` seconds of real time (default 3), then 已完成 and its orders
move 待分配 -> 待拣货 with a wave number. Fault `job_stuck`: the job never finishes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from replicas.hupun import vocab

RUNNING, DONE = "处理中", "已完成"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass
class Task:
    task_no: str
    name: str
    created: datetime
    order_count: int
    started: float  # time.monotonic() when it started
    delay_s: float
    stuck: bool = False
    applied: bool = False

    def running(self) -> bool:
        return self.stuck or time.monotonic() - self.started < self.delay_s

    def row(self) -> dict[str, Any]:
        done = not self.running()
        finished = self.created + timedelta(seconds=self.delay_s) if done else None
        return {
            "taskNo": self.task_no, "taskName": self.name, "status": DONE if done else RUNNING,
            "orderCount": self.order_count, "creator": "系统", "created": self.created.strftime(TIME_FORMAT),
            "finished": finished.strftime(TIME_FORMAT) if finished else "",
        }


class Tasks:
    """The task list of the WMS: finished history plus, once started, the wave job."""

    def __init__(self, start: datetime, *, delay_s: float, stuck: bool) -> None:
        self.delay_s = delay_s
        self.stuck = stuck
        self.wave: Task | None = None
        earlier = start - timedelta(hours=3)
        self.history = [
            Task(f"RW{earlier:%y%m%d}0007", "生成截单波次", earlier, 18, 0.0, 0.0),
            Task(f"RW{earlier:%y%m%d}0008", "重新匹配波次", earlier + timedelta(minutes=20), 5, 0.0, 0.0),
        ]

    def start_wave(self, orders: list[dict[str, Any]], now: datetime) -> None:
        """Start the wave job once, over the 待分配 orders marked for it (none: no job)."""
        if self.wave is not None:
            return
        members = [o for o in orders if _in_job(o)]
        if members:
            self.wave = Task(f"RW{now:%y%m%d}0009", "生成波次", now, len(members), time.monotonic(),
                             self.delay_s, stuck=self.stuck)

    def settle(self, orders: list[dict[str, Any]], start: datetime) -> None:
        """Once the wave job is done, its orders are in a wave and wait for picking."""
        wave = self.wave
        if wave is None or wave.applied or wave.running():
            return
        wave.applied = True
        wave_no = f"BC{start:%y%m%d}9001"
        for order in orders:
            if _in_job(order):
                order["wms"].update(state=vocab.WMS_TO_PICK, reason="", waveNo=wave_no, job=False)

    def running_task_no(self) -> str:
        return self.wave.task_no if self.wave is not None and self.wave.running() else ""

    def rows(self) -> list[dict[str, Any]]:
        tasks = [*self.history, *([self.wave] if self.wave else [])]
        return [t.row() for t in reversed(tasks)]


def _in_job(order: dict[str, Any]) -> bool:
    wms = order.get("wms")
    return isinstance(wms, dict) and bool(wms.get("job")) and wms.get("state") == vocab.WMS_POOL
