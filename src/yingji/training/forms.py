"""Forms of the training, base and hall pages; the services validate, these only parse."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.training.models import GroupKind

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BookingForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=None, label=_("Facility"))
    start = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    end = forms.DateTimeField(label=_("End"), widget=LOCAL)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=10_000, initial=10)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class HallBookingForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Time slot"), coerce=int)
    group_name = forms.CharField(label=_("Group (school, enterprise, community)"), max_length=120)
    group_kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    contact = forms.CharField(label=_("Contact person"), max_length=60)
    phone = forms.RegexField(label=_("Phone"), regex=r"^[0-9+\- ]{5,40}$", max_length=40)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=1, max_value=10_000)

    def __init__(self, *args: Any, slots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots


class EnrollForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label=pgettext_lazy("organisation", "Unit"))
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    position = forms.CharField(label=_("Position"), max_length=60, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units


class SignInForm(forms.Form):
    phone = forms.CharField(label=_("Phone you enrolled with"), max_length=40, required=False)


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=pgettext_lazy("exam", "Score"), min_value=0, max_value=100)
