"""Commands that change the org tree, users, tokens and sign-in state. One transaction each."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core import totp
from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import ApiToken, LoginAttempt, OrgUnit, PasswordHistory, RecoveryCode, TotpDevice, User
from yingji.core.roles import GROUP_NAMES, MFA_ROLES, mfa_required, role_group, user_roles

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
    audit_append(
        actor=by, action="core.org.create", obj=org, summary=f"新建组织 {org.name}", payload=_org_snapshot(org)
    )
    return org


@transaction.atomic
def org_update(*, by: User | None, org: OrgUnit, **changes: Any) -> OrgUnit:
    """Change a unit; moving it to another parent moves its whole subtree with it."""
    org = OrgUnit.objects.select_for_update().get(pk=org.pk)
    before = _org_snapshot(org)
    for field, value in changes.items():
        if field not in ORG_FIELDS:
            raise ValidationFailed(_("unknown field %(field)s") % {"field": field}, {field: [_("unknown field")]})
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
        audit_append(actor=by, action="core.org.update", obj=org, summary=f"修改组织 {org.name}", payload=changed)
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
    temporary_password: bool | None = None,
) -> User:
    """Create a user in an org unit with the given roles; the password must pass the validators.

    A password chosen by someone else (`temporary_password`; by default when an administrator creates the user)
    must be changed at the first sign-in. The platform itself (`by=None`: the CLI, the demo) sets passwords the
    person chose or was given on purpose."""
    unknown = [r for r in roles if r not in GROUP_NAMES]
    if unknown:
        raise _unknown_roles(unknown)
    user = User(
        username=username,
        org=org,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        is_superuser=is_superuser,
        is_staff=is_superuser or any(role in MFA_ROLES for role in roles),
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], {"password": list(exc.messages)}) from None
    user.set_password(password)
    temporary = by is not None if temporary_password is None else temporary_password
    user.password_changed_at = None if temporary else timezone.now()
    clean_or_fail(user, exclude=["password"])
    user.save()
    PasswordHistory.objects.create(user=user, password=user.password)
    user.groups.set([role_group(r) for r in roles])
    audit_append(
        actor=by,
        action="core.user.create",
        obj=user,
        summary=f"新建用户 {username}",
        payload={"org": org.pk if org else None, "roles": sorted(roles), "superuser": is_superuser},
    )
    return user


def _unknown_roles(unknown: list[str]) -> ValidationFailed:
    messages = [_("unknown role %(role)s") % {"role": role} for role in unknown]
    return ValidationFailed(messages[0], {"roles": messages})


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue an API token; returns the row and the token itself, which is not stored and shown once."""
    raw = "yj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=raw[:10], key_hash=_token_digest(raw))
    audit_append(actor=user, action="core.token.issue", obj=token, summary=f"签发 API 令牌 {token.prefix}…")
    return token, raw


@transaction.atomic
def token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner or whoever manages tokens may."""
    if token.user_id != by.pk and not by.has_perm("core.change_apitoken"):
        raise NotAllowed(_("only the token's owner or an administrator may revoke it"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_append(
            actor=by,
            action="core.token.revoke",
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


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def _pair_failures(username: str, ip: str | None) -> int:
    """Failures for this username from this address since its last success there, within the window."""
    attempts = LoginAttempt.objects.filter(username=username, at__gte=_window_start())
    attempts = attempts.filter(ip=ip) if ip else attempts.filter(ip__isnull=True)
    last_success = attempts.filter(succeeded=True).order_by("-at").values_list("at", flat=True).first()
    failures = attempts.filter(succeeded=False)
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    return failures.count()


def _address_failures(ip: str | None) -> int:
    """Failures from this address for any usernames within the window (a success does not reset them: an
    attacker with one account of their own must not be able to clear the count)."""
    if not ip:
        return 0
    return LoginAttempt.objects.filter(ip=ip, succeeded=False, at__gte=_window_start()).count()


def is_locked_out(username: str, ip: str | None = None) -> bool:
    """GB/T 22239-2019 (level 3) 8.1.4.1 b: after LOCKOUT_ATTEMPTS failures within LOCKOUT_MINUTES the username
    refuses every sign-in from that address, right password included, and after LOCKOUT_ADDRESS_ATTEMPTS failures
    the address refuses every username, until the window has passed. The lock is per (username, address) so that
    someone guessing cannot lock `admin` out from every address."""
    if _address_failures(ip) >= settings.LOCKOUT_ADDRESS_ATTEMPTS:
        return True
    return _pair_failures(username, ip) >= settings.LOCKOUT_ATTEMPTS


@transaction.atomic
def login_attempt_record(*, username: str, ip: str | None, succeeded: bool, factor: str = "password") -> LoginAttempt:
    """Record one sign-in attempt; failures and lockouts go to the audit chain with the source address."""
    attempt = LoginAttempt.objects.create(username=username[:150], ip=ip, at=timezone.now(), succeeded=succeeded)
    if succeeded:
        return attempt
    payload = {"username": username[:150], "ip": ip, "factor": factor}
    audit_append(actor=None, action="core.user.signin_fail", summary=f"账户 {username[:100]} 登录失败", payload=payload)
    if _pair_failures(username, ip) == settings.LOCKOUT_ATTEMPTS:
        audit_append(
            actor=None,
            action="core.user.lockout",
            summary=f"账户 {username[:100]} 因连续登录失败被锁定（来源 {ip}）",
            payload=payload,
        )
    if _address_failures(ip) == settings.LOCKOUT_ADDRESS_ATTEMPTS:
        audit_append(
            actor=None,
            action="core.user.lockout_address",
            summary=f"来源地址 {ip} 因连续登录失败被锁定",
            payload=payload,
        )
    return attempt


@transaction.atomic
def signin_record(*, user: User, ip: str | None, method: str) -> None:
    """A completed sign-in (password, and the second factor where there is one)."""
    audit_append(
        actor=user,
        action="core.user.signin",
        obj=user,
        summary=f"{user.get_username()} 登录",
        payload={"ip": ip, "method": method},
    )


@transaction.atomic
def signout_record(*, user: User, ip: str | None) -> None:
    audit_append(
        actor=user, action="core.user.signout", obj=user, summary=f"{user.get_username()} 退出", payload={"ip": ip}
    )


# --- passwords ----------------------------------------------------------------------------------------------


def _remember_password(user: User) -> None:
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[: settings.PASSWORD_HISTORY]
    PasswordHistory.objects.filter(user=user).exclude(pk__in=[row.pk for row in keep]).delete()


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A user changes their own password: the old one proves it is them; the new one passes the policy
    (length, character classes, none of the last PASSWORD_HISTORY)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ValidationFailed(_("Your current password is wrong."), {"old_password": [_("Wrong password.")]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], {"new_password": list(exc.messages)}) from None
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    _remember_password(user)
    audit_append(actor=user, action="core.user.password_change", obj=user, summary=f"{user.get_username()} 修改密码")
    return user


@transaction.atomic
def password_reset_record(*, by: User, user: User) -> User:
    """Someone else has set a user's password (the admin's password form, which checks the policy): it is
    temporary, so the user must change it at the next sign-in; remembered and audited."""
    if by.pk == user.pk:
        raise NotAllowed(_("Change your own password on your account page."))
    if not by.has_perm("core.change_user"):
        raise NotAllowed(_("Your role may not do this."))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.password_changed_at = None
    user.save(update_fields=["password_changed_at"])
    _remember_password(user)
    audit_append(
        actor=by, action="core.user.password_reset", obj=user, summary=f"重置用户 {user.get_username()} 的密码"
    )
    return user


# --- rights -------------------------------------------------------------------------------------------------


ACCESS_FIELDS = ("roles", "is_superuser", "is_staff", "user_permissions")


@transaction.atomic
def user_change_access(
    *,
    by: User | None,
    user: User,
    roles: list[str] | None = None,
    is_superuser: bool | None = None,
    is_staff: bool | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a user's roles, superuser and staff status or activation (三权分立).

    Nobody changes their own rights; only whoever holds `core.grant_role` (the security administrator) grants roles
    or staff status, and only a superuser makes another superuser. Every change is audited with before and after."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {
        "roles": sorted(user_roles(user)),
        "is_superuser": user.is_superuser,
        "is_staff": user.is_staff,
        "is_active": user.is_active,
    }
    wanted: dict[str, Any] = {"roles": sorted(roles) if roles is not None else None, "is_superuser": is_superuser}
    wanted |= {"is_staff": is_staff, "is_active": is_active}
    changes = {k: v for k, v in wanted.items() if v is not None and v != before[k]}
    if not changes:
        return user
    if by is not None:
        if by.pk == user.pk:
            raise NotAllowed(
                _("Nobody changes their own rights."), {"__all__": [_("Nobody changes their own rights.")]}
            )
        if set(changes) & {"roles", "is_superuser", "is_staff"} and not by.has_perm("core.grant_role"):
            raise NotAllowed(_("Only a security administrator grants roles and rights."))
        if "is_superuser" in changes and not by.is_superuser:
            raise NotAllowed(_("Only a superuser makes another superuser."))
        if "is_active" in changes and not by.has_perm("core.change_user"):
            raise NotAllowed(_("Your role may not do this."))
    if "roles" in changes:
        unknown = [r for r in changes["roles"] if r not in GROUP_NAMES]
        if unknown:
            raise _unknown_roles(unknown)
        user.groups.set([role_group(r) for r in changes["roles"]])
    for field in ("is_superuser", "is_staff", "is_active"):
        if field in changes:
            setattr(user, field, changes[field])
    user.save(update_fields=["is_superuser", "is_staff", "is_active"])
    audit_append(
        actor=by,
        action="core.user.access",
        obj=user,
        summary=f"变更用户 {user.get_username()} 的权限",
        payload={k: [before[k], v] for k, v in changes.items()},
    )
    return user


# --- second factor ------------------------------------------------------------------------------------------

RECOVERY_CODES = 10


def _code_digest(code: str) -> str:
    normalised = code.strip().replace("-", "").replace(" ", "").upper()
    return hmac.new(settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def mfa_enabled(user: User) -> bool:
    """Whether the user signs in with a second factor (a confirmed authenticator)."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def totp_begin(*, user: User) -> TotpDevice:
    """Start enrolling an authenticator: a fresh secret, not used until a first code confirms it."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise Conflict(_("An authenticator is already set up."))
    if device is None:
        return TotpDevice.objects.create(user=user, secret=totp.new_secret())
    return device


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the authenticator with a first code; returns new recovery codes (shown once, stored hashed)."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise Conflict(_("Start setting up an authenticator first."))
    step = totp.matching_step(device.secret, code, timezone.now().timestamp())
    if step is None:
        raise ValidationFailed(_("Wrong code."), {"code": [_("Wrong code: type the six digits the app shows now.")]})
    device.confirmed_at, device.last_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])
    audit_append(actor=user, action="core.user.mfa_enrol", obj=user, summary=f"{user.get_username()} 启用双因素认证")
    return _new_recovery_codes(user)


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_code_digest(c)) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    if not mfa_enabled(user):
        raise Conflict(_("Set up an authenticator first."))
    audit_append(actor=user, action="core.user.mfa_recovery_renew", obj=user, summary="重新生成恢复码")
    return _new_recovery_codes(user)


@transaction.atomic
def mfa_verify(*, user: User, code: str, ip: str | None) -> bool:
    """Check a second-factor code: a TOTP code not used before, or an unused recovery code (used up by this).
    A wrong code counts as a failed sign-in towards the lockout."""
    code = (code or "").strip()[:40]
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    ok = False
    if device is not None and code:
        step = totp.matching_step(device.secret, code, timezone.now().timestamp(), after_step=device.last_step)
        if step is not None:
            device.last_step = step
            device.save(update_fields=["last_step"])
            ok = True
        else:
            recovery = (
                RecoveryCode.objects.select_for_update()
                .filter(user=user, used_at__isnull=True, code_hash=_code_digest(code))
                .first()
            )
            if recovery is not None:
                recovery.used_at = timezone.now()
                recovery.save(update_fields=["used_at"])
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                audit_append(
                    actor=user,
                    action="core.user.mfa_recovery_used",
                    obj=user,
                    summary=f"{user.get_username()} 使用恢复码登录（剩余 {left} 个）",
                    payload={"ip": ip, "left": left},
                )
                ok = True
    login_attempt_record(username=user.get_username(), ip=ip, succeeded=ok, factor="otp")
    return ok


@transaction.atomic
def mfa_reset(*, by: User, user: User) -> None:
    """Remove a user's authenticator and recovery codes: a security administrator for someone who lost their
    phone, or the user themselves when their role does not require a second factor."""
    if by.pk == user.pk:
        if mfa_required(user):
            raise NotAllowed(_("Your role requires a second factor."))
    elif not by.has_perm("core.grant_role"):
        raise NotAllowed(_("Only a security administrator resets another person's second factor."))
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_append(
        actor=by, action="core.user.mfa_reset", obj=user, summary=f"移除用户 {user.get_username()} 的双因素认证"
    )
