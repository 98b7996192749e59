"""The password policy beyond Django's validators: character classes, no reuse, expiry.

GB/T 22239-2019 (level 3) 8.1.4.1 a): identities are unique and passwords are complex and changed regularly.
"""

import secrets
import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    found = {name for ch in password for name, test in CLASSES if test(ch)}
    if any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password):
        found.add("other")
    return len(found)


class CharacterClassValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(n)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"n": self.min_classes}


class HistoryValidator:
    """None of the user's last PASSWORD_HISTORY passwords again."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from yingji.core.models import PasswordHistory

        count = settings.PASSWORD_HISTORY
        recent = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[:count]
        if any(check_password(password, old.password) for old in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        n = settings.PASSWORD_HISTORY
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(n)d passwords.",
            n,
        ) % {"n": n}


def password_expired(user: Any) -> bool:
    """Whether the user must choose a new password: it was set by someone else, or it is too old."""
    if not user.is_authenticated:
        return False
    if user.password_changed_at is None:
        return True
    days = settings.PASSWORD_MAX_AGE_DAYS
    return bool(days) and timezone.now() - user.password_changed_at > timedelta(days=days)


def generate_password(length: int = 20) -> str:
    """A random password that passes the policy (every character class present)."""
    alphabet = string.ascii_letters + string.digits + "-_"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if character_classes(candidate) >= 3 and any(c.isdigit() for c in candidate):
            return candidate
