"""A report's lifecycle as data: queued → running → done or failed; a failed report may be queued again."""

from yingji.core.commands import Transitions

REPORT = Transitions(
    {
        "queued": ("running",),
        "running": ("done", "failed"),
        "failed": ("queued",),
        "done": (),
    }
)
