"""Scoped access: the one way to read a row, or accept an id from a payload, inside the user's part of the org tree.

Zulip's `access_*_by_id` idea: a missing row and a row that is not yours give the same answer, so an id never
tells an outsider that something exists. Pages and API get a 404; an id named in a payload gets a field error.
"""

from typing import Any, Literal, TypeVar, overload

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed
from yingji.core.inputs import MAX_ID
from yingji.core.models import OrgUnit, User
from yingji.core.scopes import scope_root, scoped

M = TypeVar("M", bound=Model)

# Who reads: a signed-in user, an anonymous visitor (sees nothing) or None, the platform itself where allowed.
Reader = User | AnonymousUser | None

__all__ = ["Reader", "get_scoped_or_404", "org_in_scope", "resolve_in_scope", "scope_root", "scoped", "under"]


def _queryset(model_or_qs: type[M] | QuerySet[M]) -> QuerySet[M]:
    return model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()


def _org_field(queryset: QuerySet[Any], org_field: str | None) -> str:
    # OrgUnit rows are their own scope; every other row names its owner in `org` unless told otherwise.
    if org_field is not None:
        return org_field
    return "" if queryset.model is OrgUnit else "org"


def _valid_id(pk: Any) -> bool:
    return isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk <= MAX_ID


def get_scoped_or_404(
    model_or_qs: type[M] | QuerySet[M], user: Reader, pk: Any = None, *, org_field: str | None = None, **lookup: Any
) -> M:
    """The row with `pk` (or matching `lookup`) that the user may see; anything else is Http404."""
    queryset = _queryset(model_or_qs)
    if pk is not None:
        if isinstance(pk, str) and pk.isdigit():
            pk = int(pk)
        if not _valid_id(pk):
            raise Http404
        lookup["pk"] = pk
    try:
        return scoped(queryset, user, org_field=_org_field(queryset, org_field)).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, TypeError):
        raise Http404 from None


@overload
def resolve_in_scope(
    model_or_qs: type[M] | QuerySet[M],
    user: Reader,
    pk: Any,
    *,
    field: str,
    org_field: str | None = None,
    required: Literal[True],
) -> M: ...


@overload
def resolve_in_scope(
    model_or_qs: type[M] | QuerySet[M],
    user: Reader,
    pk: Any,
    *,
    field: str,
    org_field: str | None = None,
    required: bool = False,
) -> M | None: ...


def resolve_in_scope(
    model_or_qs: type[M] | QuerySet[M],
    user: Reader,
    pk: Any,
    *,
    field: str,
    org_field: str | None = None,
    required: bool = False,
) -> M | None:
    """The row an id in a payload names, if the user may see it; else a ValidationFailed on `field`.

    `user=None` is the platform itself (an alarm rule, the worker) and sees everything. A model instance is
    accepted too and checked the same way.
    """
    if pk is None or pk == "":
        if required:
            message = _("This field is required.")
            raise ValidationFailed(f"{field}: {message}", {field: [message]})
        return None
    queryset = _queryset(model_or_qs)
    if isinstance(pk, Model):
        pk = pk.pk
    if isinstance(pk, str) and pk.isdigit():
        pk = int(pk)
    found = None
    if _valid_id(pk):
        rows = queryset if user is None else scoped(queryset, user, org_field=_org_field(queryset, org_field))
        found = rows.filter(pk=pk).first()
    if found is None:
        message = _("Not found.") if queryset.model is not OrgUnit else _("Unit not found.")
        raise ValidationFailed(f"{field}: {message}", {field: [message]})
    return found


@overload
def org_in_scope(user: Reader, org: Any, *, field: str = "org", required: Literal[True]) -> OrgUnit: ...


@overload
def org_in_scope(user: Reader, org: Any, *, field: str = "org", required: bool = False) -> OrgUnit | None: ...


def org_in_scope(user: Reader, org: Any, *, field: str = "org", required: bool = False) -> OrgUnit | None:
    """An org unit (instance or id) given in a payload, checked to lie inside the user's scope."""
    return resolve_in_scope(OrgUnit, user, org, field=field, required=required)


def under(rows: QuerySet[M], user: Reader, org: Any, *, org_field: str | None = None) -> QuerySet[M]:
    """Rows owned by the unit `org` or a unit below it; an org outside the user's scope matches nothing."""
    if org is None or org == "":
        return rows
    if isinstance(org, OrgUnit):
        org = org.pk
    unit = scoped(OrgUnit.objects.filter(pk=org), user, org_field="").first() if _valid_id(org) else None
    if unit is None:
        return rows.none()
    org_field = _org_field(rows, org_field)
    lookup = f"{org_field}__path__startswith" if org_field else "path__startswith"
    return rows.filter(**{lookup: unit.path})
