from django import forms
from django.utils.translation import gettext_lazy as _


class NetworkFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    active = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Not active"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )
