"""Data scopes: what part of the org tree a user may see.

District staff (district, bureau, departments) see everything; anyone else sees their own unit and
what lies under it: a street officer their street, its communities and enterprises; an enterprise
manager their enterprise. "Not yours" and "not found" are the same 404.
"""

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from yingji.core.models import DISTRICT_WIDE_KINDS, OrgUnit, User

M = TypeVar("M", bound=Model)


def scope_root(user: User) -> OrgUnit | None:
    """The unit whose subtree the user sees, or None when the user sees the whole district."""
    if user.is_superuser:
        return None
    if user.org_id is None:
        raise PermissionError("user has no org unit")
    org = user.org
    assert org is not None  # org_id is set
    if org.kind in DISTRICT_WIDE_KINDS:
        return None
    return org


def scoped(queryset: QuerySet[M], user: User | AnonymousUser | None, *, org_field: str = "org") -> QuerySet[M]:
    """Filter `queryset` to the rows the user may see; `org_field` leads to each row's OrgUnit
    ("" when the queryset is of OrgUnit itself)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:  # AnonymousUser: never authenticated
        return queryset.none()
    try:
        root = scope_root(user)
    except PermissionError:
        return queryset.none()
    if root is None:
        return queryset
    lookup = f"{org_field}__path__startswith" if org_field else "path__startswith"
    return queryset.filter(**{lookup: root.path})
