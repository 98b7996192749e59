"""Warnings' to-dos on the workbench: drafts waiting for the user's approval."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from yingji.core.models import User
from yingji.core.notify import exercise_title
from yingji.core.todos import Todo
from yingji.warnings import selectors
from yingji.warnings.models import Status


def warning_todos(user: User) -> Iterable[Todo]:
    if not user.has_perm("warnings.approve_earlywarning"):
        return []
    drafts = selectors.warning_list(user=user).filter(status=Status.DRAFT).exclude(created_by=user)[:20]
    return [
        Todo(
            kind=_("Warning to approve"),
            title=exercise_title(f"{w.get_level_display()} {w.headline}", w.exercise),
            url=reverse("warnings:detail", args=[w.pk]),
            due=w.created_at,
            urgent=w.level in ("red", "orange"),
        )
        for w in drafts
    ]
