"""The pieces every service is made of: permission checks, validation, audited updates and lifecycle moves.

HackSoft's `model_update` idea: a service names the fields it may set, `apply_changes` sets them, validates,
saves only what changed and appends the diff to the audit chain, so no service writes that loop again.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from yingji.core.audit import audit_append
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed

M = TypeVar("M", bound=models.Model)

__all__ = ["Transitions", "apply_changes", "clean_or_fail", "require_perm", "snapshot", "validation_failed"]


def require_perm(by: Any, permission: str) -> None:
    """The actor must hold `permission` ("app_label.codename"); `by=None` is the platform itself and may do anything."""
    if by is not None and not by.has_perm(permission):
        raise NotAllowed(_("Your role may not do this."), {"__all__": [_("Your role may not do this.")]})


def _constraint_message(message: str, instance: models.Model) -> str:
    # A database constraint's default message names the constraint ("约束 … 是无效的"); say what it guards instead.
    for constraint in getattr(instance._meta, "constraints", []):
        if constraint.name in message:
            custom = getattr(constraint, "violation_error_message", None)
            default = getattr(type(constraint), "default_violation_error_message", None)
            if custom and custom != default:
                return str(custom)
            return _("The values given do not fit together.")
    return message


def validation_failed(exc: ValidationError, instance: models.Model | None = None) -> ValidationFailed:
    """Turn Django's ValidationError into our field-level error."""
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    if instance is not None:
        errors = {field: [_constraint_message(m, instance) for m in ms] for field, ms in errors.items()}
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
            getattr(instance, field.attname) if field.is_relation and field.many_to_one else getattr(instance, name)
        )
    return values


def apply_changes(
    *,
    by: Any,
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
