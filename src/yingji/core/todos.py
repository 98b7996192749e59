"""Each user's to-dos on the workbench (待办): warnings to approve, reports due, incidents regraded, dispatch orders
to acknowledge… Apps above core register a source in their AppConfig.ready(); core only collects and orders."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from yingji.core.models import User
from yingji.core.requests import Text


@dataclass(frozen=True)
class Todo:
    """One thing waiting for the user: what, where to do it, by when."""

    kind: Text  # a short label of the kind: 待审批预警, 待报送报告, …
    title: Text
    url: str
    due: datetime | None = None
    urgent: bool = False


# Later apps append functions of the user that return their to-dos.
TODO_SOURCES: list[Callable[[User], Iterable[Todo]]] = []


def todos_for(user: User, *, limit: int = 30) -> list[Todo]:
    """The user's to-dos from every app, urgent and earliest-due first."""
    found = [todo for source in TODO_SOURCES for todo in source(user)]
    far = datetime.max.replace(tzinfo=None)
    found.sort(key=lambda t: (not t.urgent, t.due.replace(tzinfo=None) if t.due else far))
    return found[:limit]
