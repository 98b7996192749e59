"""The worker's periodic jobs. Each app declares its jobs in its `tasks.py` with `@periodic`."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger("yingji.worker")


@dataclass
class Job:
    name: str
    every_s: int
    func: Callable[[], object]
    next_at: float = field(default=0.0)


JOBS: dict[str, Job] = {}


def periodic(*, every_s: int) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Run the decorated function in the worker every `every_s` seconds."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        name = f"{func.__module__}.{func.__name__}"
        JOBS[name] = Job(name=name, every_s=every_s, func=func)
        return func

    return register


def discover() -> dict[str, Job]:
    autodiscover_modules("tasks")
    return JOBS


def run_due(now: float | None = None) -> list[str]:
    """Run every job that is due; a failing job is logged and retried at its next turn."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in discover().values():
        if job.next_at > now:
            continue
        try:
            job.func()
        except Exception:
            log.exception("job %s failed", job.name)
        job.next_at = now + job.every_s
        ran.append(job.name)
    return ran


def run_forever(*, tick_s: float = 1.0, should_stop: Callable[[], bool] = lambda: False) -> None:
    log.info("worker started with jobs: %s", ", ".join(sorted(discover())))
    while not should_stop():
        # Like a request: drop a connection the database has closed or that is past its age.
        close_old_connections()
        run_due()
        time.sleep(tick_s)
