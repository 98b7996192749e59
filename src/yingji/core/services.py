"""Commands that change the org tree, users, tokens and sign-in state. One transaction each."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail
from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.core.models import ApiToken, LoginAttempt, OrgUnit, User
from yingji.core.roles import GROUP_NAMES, is_system_admin, role_group

ORG_FIELDS = (
    "code",
    "name",
    "kind",
    "parent",
    "lat",
    "lon",
    "area",
    "address",
    "contact",
    "phone",
    "industry",
    "illustrative",
    "active",
)


def _org_snapshot(org: OrgUnit) -> dict[str, Any]:
    return {f: getattr(org, f"{f}_id" if f == "parent" else f) for f in ORG_FIELDS if f != "area"}


@transaction.atomic
def org_create(*, by: User | None, **fields: Any) -> OrgUnit:
    """Create a unit of the org tree under its parent."""
    org = OrgUnit(**fields)
    clean_or_fail(org)
    org.save()
    org.path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit_append(actor=by, action="org.create", obj=org, summary=f"新建组织 {org.name}", payload=_org_snapshot(org))
    return org


@transaction.atomic
def org_update(*, by: User | None, org: OrgUnit, **changes: Any) -> OrgUnit:
    """Change a unit; moving it to another parent moves its whole subtree with it."""
    org = OrgUnit.objects.select_for_update().get(pk=org.pk)
    before = _org_snapshot(org)
    for field, value in changes.items():
        if field not in ORG_FIELDS:
            raise ValidationFailed(f"unknown field {field}", {field: ["unknown field"]})
        setattr(org, field, value)
    clean_or_fail(org)
    old_path = org.path
    new_path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
    org.path = new_path
    org.save()
    if new_path != old_path:
        OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
        )
    after = _org_snapshot(org)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed or "area" in changes:
        audit_append(actor=by, action="org.update", obj=org, summary=f"修改组织 {org.name}", payload=changed)
    return org


@transaction.atomic
def user_create(
    *,
    by: User | None,
    username: str,
    password: str,
    org: OrgUnit | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a user in an org unit with the given roles; the password must pass the validators."""
    unknown = [r for r in roles if r not in GROUP_NAMES]
    if unknown:
        raise ValidationFailed(f"unknown role {unknown[0]}", {"roles": [f"unknown role {r}" for r in unknown]})
    user = User(
        username=username,
        org=org,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        is_superuser=is_superuser,
        is_staff=is_superuser or "admin" in roles,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], {"password": list(exc.messages)}) from None
    user.set_password(password)
    clean_or_fail(user, exclude=["password"])
    user.save()
    user.groups.set([role_group(r) for r in roles])
    audit_append(
        actor=by,
        action="user.create",
        obj=user,
        summary=f"新建用户 {username}",
        payload={"org": org.pk if org else None, "roles": sorted(roles), "superuser": is_superuser},
    )
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue an API token; returns the row and the token itself, which is not stored and shown once."""
    raw = "yj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=raw[:10], key_hash=_token_digest(raw))
    audit_append(actor=user, action="token.issue", obj=token, summary=f"签发 API 令牌 {token.prefix}…")
    return token, raw


@transaction.atomic
def token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner or an admin may."""
    if token.user_id != by.pk and not is_system_admin(by):
        raise NotAllowed("only the token's owner or an administrator may revoke it")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_append(
            actor=by,
            action="token.revoke",
            obj=token,
            summary=f"吊销 API 令牌 {token.prefix}…",
            payload={"owner": token.user.get_username()},
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user", "user__org")
        .filter(key_hash=_token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy integration must not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _failures_since_last_success(username: str) -> int:
    window_start = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    attempts = LoginAttempt.objects.filter(username=username, at__gte=window_start)
    last_success = attempts.filter(succeeded=True).order_by("-at").values_list("at", flat=True).first()
    failures = attempts.filter(succeeded=False)
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    return failures.count()


def is_locked_out(username: str) -> bool:
    """GB/T 22239-2019 (level 3) 8.1.4.1: after LOCKOUT_ATTEMPTS failures within LOCKOUT_MINUTES the
    account refuses every sign-in, right password included, until the window has passed."""
    return _failures_since_last_success(username) >= settings.LOCKOUT_ATTEMPTS


@transaction.atomic
def login_attempt_record(*, username: str, ip: str | None, succeeded: bool) -> LoginAttempt:
    attempt = LoginAttempt.objects.create(username=username[:150], ip=ip, at=timezone.now(), succeeded=succeeded)
    if not succeeded and _failures_since_last_success(username) == settings.LOCKOUT_ATTEMPTS:
        audit_append(
            actor=None,
            action="auth.lockout",
            summary=f"账户 {username} 因连续登录失败被锁定",
            payload={"username": username, "ip": ip},
        )
    return attempt
