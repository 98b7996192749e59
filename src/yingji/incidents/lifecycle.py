"""The incident desk's three lifecycles as data: incidents, command tasks and dispatch orders."""

from yingji.core.commands import Transitions
from yingji.incidents.models import DispatchStatus, Status, TaskStatus

# Status changes a person may make directly; closing goes through `incident_close`, merging through `incident_merge`.
INCIDENT = Transitions(
    {
        Status.OPEN: (Status.RESPONDING, Status.CLOSED),
        Status.RESPONDING: (Status.CLOSED,),
        Status.CLOSED: (),
        Status.MERGED: (),
    }
)

TASK = Transitions(
    {
        TaskStatus.OPEN: (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED),
        TaskStatus.IN_PROGRESS: (TaskStatus.DONE, TaskStatus.CANCELLED),
        TaskStatus.DONE: (),
        TaskStatus.CANCELLED: (),
    }
)

# A dispatch order moves one step at a time; a resource may be released (recalled) at any step.
DISPATCH = Transitions(
    {
        DispatchStatus.DISPATCHED: (DispatchStatus.ACKNOWLEDGED, DispatchStatus.RELEASED),
        DispatchStatus.ACKNOWLEDGED: (DispatchStatus.EN_ROUTE, DispatchStatus.RELEASED),
        DispatchStatus.EN_ROUTE: (DispatchStatus.ON_SCENE, DispatchStatus.RELEASED),
        DispatchStatus.ON_SCENE: (DispatchStatus.RELEASED,),
        DispatchStatus.RELEASED: (),
    }
)
# The time stamp each dispatch status sets.
DISPATCH_STAMPS: dict[str, str] = {
    DispatchStatus.ACKNOWLEDGED: "acknowledged_at",
    DispatchStatus.EN_ROUTE: "en_route_at",
    DispatchStatus.ON_SCENE: "on_scene_at",
    DispatchStatus.RELEASED: "released_at",
}


def dispatch_allowed(status: str) -> tuple[str, ...]:
    """The statuses a dispatch order may move to from `status`."""
    return DISPATCH.allowed(status)
