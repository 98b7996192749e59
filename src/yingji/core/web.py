"""Page plumbing: run a service from a view, one pager and one filter bar for every list."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest

from yingji.core.errors import NotAllowed, YingjiError

T = TypeVar("T")

__all__ = ["Outcome", "page_of", "run_service"]

PAGE_SIZE = 50


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a service call from a page came to: `ok` and its return value."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    request: HttpRequest,
    form: BaseForm | None,
    fn: Callable[[], T],
    *,
    field_map: dict[str, str] | None = None,
    success: str = "",
) -> Outcome[T]:
    """Call a service; its refusal becomes form errors (on the named fields) and a message, never a crash page.

    `NotAllowed` becomes a 403 page. An error naming a field the form lacks (or no field at all) is shown as a
    message; `field_map` renames a service's field to the form's (e.g. `{"area_streets": "streets"}`).
    """
    try:
        value = fn()
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except YingjiError as exc:
        placed = False
        if form is not None:
            for field, errors in exc.errors.items():
                target = (field_map or {}).get(field, field)
                if target in form.fields:
                    for error in errors:
                        form.add_error(target, error)
                    placed = True
        if not placed:
            if form is not None:
                form.add_error(None, exc.detail)
            else:
                messages.error(request, exc.detail)
        return Outcome(False)
    if success:
        messages.success(request, success)
    return Outcome(True, value)


def page_of(request: HttpRequest, rows: QuerySet | list, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The page the request asks for (out-of-range numbers give the nearest page) and the query string
    without `page`, for the `core/_pager.html` include."""
    page = Paginator(rows, per_page).get_page(_page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _page_number(raw: Any) -> int:
    # Paginator.get_page copes with text, but a number past the database's integer range must not reach a query.
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 10**9)
