"""Queries over the org tree and tokens; every one takes the user and applies the data scope."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from yingji.core.access import get_scoped_or_404, scoped
from yingji.core.models import ApiToken, OrgUnit, User

M = TypeVar("M", bound=Model)


def matching(rows: QuerySet[M], *, q: str | None = None, fields: Iterable[str] = (), **equal: Any) -> QuerySet[M]:
    """A list selector's filters: rows where any of `fields` contains `q` (case-insensitive), and equal to every
    keyword value given; a filter left empty (None or "") filters nothing, so False and 0 still filter."""
    if q:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": q})
        rows = rows.filter(condition)
    given = {name: value for name, value in equal.items() if value is not None and value != ""}
    return rows.filter(**given) if given else rows


def org_list(
    *,
    user: User,
    kind: str | None = None,
    parent: int | None = None,
    q: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[OrgUnit]:
    orgs = scoped(OrgUnit.objects.all(), user, org_field="")
    if not include_inactive:
        orgs = orgs.filter(active=True)
    if kind:
        orgs = orgs.filter(kind=kind)
    if parent is not None:
        orgs = orgs.filter(parent_id=parent)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(address__icontains=q))
    return orgs.select_related("parent").annotate(children_count=Count("children")).order_by("path")


def org_get(*, user: User, org_id: int) -> OrgUnit:
    return get_scoped_or_404(OrgUnit.objects.select_related("parent"), user, org_field="", pk=org_id)


def org_counts(*, user: User) -> dict[str, int]:
    rows = scoped(OrgUnit.objects.filter(active=True), user, org_field="").values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """A user's own tokens; whoever may view tokens (security and audit administrators) sees everyone's."""
    tokens = ApiToken.objects.select_related("user")
    return tokens if user.has_perm("core.view_apitoken") else tokens.filter(user=user)


def token_get(*, user: User, token_id: int) -> ApiToken:
    try:
        return token_list(user=user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
