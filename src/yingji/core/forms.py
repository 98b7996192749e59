from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgKind
from yingji.core.services import is_locked_out


class SignInForm(AuthenticationForm):
    """Django's sign-in form, telling a locked-out user why they cannot sign in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-ins: this account is locked for %(minutes)d minutes."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            username = self.cleaned_data.get("username")
            if username and is_locked_out(username):
                from django.conf import settings

                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": settings.LOCKOUT_MINUTES}
                ) from None
            raise


class OrgFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrgKind.choices])


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), required=False, max_length=80)
