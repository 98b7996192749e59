"""The pieces every service is made of: permission checks, validation, audited updates and lifecycle moves.

HackSoft's `model_update` idea: a service names the fields it may set, `apply_changes` sets them, validates,
saves only what changed and appends the diff to the audit chain, so no service writes that loop again.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from yingji.core.audit import audit_append
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import User

M = TypeVar("M", bound=models.Model)

__all__ = ["Transitions", "apply_changes", "clean_or_fail", "require_perm", "snapshot", "validation_failed"]


def require_perm(by: User | AnonymousUser | None, permission: str) -> None:
    """The actor must hold `permission` ("app_label.codename"); `by=None` is the platform itself and may do anything."""
    if by is not None and not by.has_perm(permission):
        raise NotAllowed(_("Your role may not do this."), {"__all__": [_("Your role may not do this.")]})


def _condition_fields(condition: Any) -> list[str]:
    """The model fields a check constraint's Q condition reads, in order ("lat__gte" reads `lat`)."""
    names: list[str] = []
    for child in getattr(condition, "children", []):
        for name in [child[0].split("__")[0]] if isinstance(child, tuple) else _condition_fields(child):
            if name not in names:
                names.append(name)
    return names


def _coordinate_errors(instance: models.Model) -> dict[str, list[str]]:
    """What is wrong with a record's lat/lon, field by field (the check constraint only says "invalid")."""
    lat, lon = getattr(instance, "lat", None), getattr(instance, "lon", None)
    if (lat is None) != (lon is None):
        missing = "lat" if lat is None else "lon"
        return {missing: [_("Give both latitude and longitude, or neither.")]}
    errors: dict[str, list[str]] = {}
    if lat is not None and not -90 <= lat <= 90:
        errors["lat"] = [_("Latitude must lie between -90 and 90 degrees (%(value)s given).") % {"value": lat}]
    if lon is not None and not -180 <= lon <= 180:
        errors["lon"] = [_("Longitude must lie between -180 and 180 degrees (%(value)s given).") % {"value": lon}]
    return errors


def _constraint_errors(message: str, instance: models.Model) -> dict[str, list[str]] | None:
    """A database constraint's default message names the constraint ("约束 … 是无效的"); say which field is wrong
    and why instead. None when the message is not a constraint's."""
    from yingji.core.models import VALID_COORDINATES

    for constraint in getattr(instance._meta, "constraints", []):
        if constraint.name not in message:
            continue
        condition = getattr(constraint, "condition", None)
        if condition is not None and condition == VALID_COORDINATES:
            errors = _coordinate_errors(instance)
            if errors:
                return errors
        custom = getattr(constraint, "violation_error_message", None)
        default = getattr(type(constraint), "default_violation_error_message", None)
        text = str(custom) if custom and custom != default else _("The values given do not fit together.")
        fields = list(getattr(constraint, "fields", ()) or ()) or _condition_fields(condition)
        known = {f.name for f in instance._meta.get_fields()}
        fields = [f for f in fields if f in known]
        return {fields[0] if len(fields) == 1 else "__all__": [text]}
    return None


def validation_failed(exc: ValidationError, instance: models.Model | None = None) -> ValidationFailed:
    """Turn Django's ValidationError into our field-level error; a constraint's message becomes the field it
    guards and the reason, never the constraint's name."""
    if hasattr(exc, "error_dict"):
        raw = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        raw = {"__all__": [str(m) for m in exc.messages]}
    errors: dict[str, list[str]] = {}
    for field, messages in raw.items():
        for message in messages:
            mapped = _constraint_errors(message, instance) if instance is not None else None
            for name, texts in (mapped or {field: [message]}).items():
                errors.setdefault(name, []).extend(t for t in texts if t not in errors.get(name, []))
    return ValidationFailed(next(iter(errors.values()))[0], errors)


def clean_or_fail(instance: models.Model, **kwargs: Any) -> None:
    """`full_clean()` the instance, raising ValidationFailed with each field's messages."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise validation_failed(exc, instance) from None


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` as stored (foreign keys as their ids), for an audit payload."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = (
            getattr(instance, field.attname)
            if isinstance(field, models.Field) and field.is_relation and field.many_to_one
            else getattr(instance, name)
        )
    return values


def refuse_nulls(instance: models.Model, changes: Mapping[str, Any]) -> None:
    """`ValidationFailed` naming each field of `changes` set to None that the model does not allow to be null (a
    PATCH with `null` for a required field is the client's mistake, not a database error)."""
    fields = {f.name: f for f in instance._meta.get_fields() if hasattr(f, "null")}
    required = sorted(
        name for name, value in changes.items() if value is None and name in fields and not fields[name].null
    )
    if required:
        raise ValidationFailed(
            _("%(field)s may not be empty.") % {"field": required[0]},
            {name: [_("This field may not be null.")] for name in required},
        )


def apply_changes(
    *,
    by: User | None,
    instance: M,
    changes: Mapping[str, Any],
    fields: Iterable[str],
    action: str,
    summary: str = "",
    clean: bool = True,
) -> tuple[M, dict[str, list[Any]]]:
    """Set the allowed `fields` found in `changes`, validate, save what changed and audit the diff.

    Returns the instance and the diff `{field: [old, new]}` (empty when nothing changed, and then nothing is
    saved or audited). A key of `changes` outside `fields` is refused: a caller never sets what it may not.
    """
    allowed = tuple(fields)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]},
            {name: [_("This field cannot be changed here.")] for name in unknown},
        )
    refuse_nulls(instance, changes)
    before = snapshot(instance, changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    after = snapshot(instance, changes)
    diff = {name: [before[name], after[name]] for name in changes if before[name] != after[name]}
    if not diff:
        return instance, {}
    if clean:
        clean_or_fail(instance)
    instance.save(update_fields=[instance._meta.get_field(name).name for name in diff])
    audit_append(
        actor=by,
        action=action,
        obj=instance,
        summary=summary or f"{instance._meta.verbose_name} {instance}",
        payload={"changes": diff},
    )
    return instance, diff


class Transitions:
    """A lifecycle as data: which states each state may move to. `check` raises the 409 naming the allowed moves."""

    def __init__(self, table: Mapping[str, Iterable[str]], *, field: str = "status") -> None:
        self.table = {str(state): tuple(str(t) for t in targets) for state, targets in table.items()}
        self.field = field

    def allowed(self, current: str) -> tuple[str, ...]:
        return self.table.get(str(current), ())

    def can(self, current: str, target: str) -> bool:
        return str(target) in self.allowed(current)

    def check(self, current: str, target: str) -> None:
        if self.can(current, target):
            return
        names = ", ".join(self.allowed(current)) or _("none")
        detail = _("cannot go from %(current)s to %(target)s; allowed: %(allowed)s") % {
            "current": current,
            "target": target,
            "allowed": names,
        }
        raise Conflict(detail, {self.field: [detail]}, extra={"allowed": list(self.allowed(current))})
