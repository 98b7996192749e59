"""Forms of the relief pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.relief.models import Availability


class DistributionForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=None)
    material = forms.ModelChoiceField(label=_("Material"), queryset=None)
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**9)
    signed_by = forms.CharField(label=_("Signed for by"), max_length=60)
    override_reason = forms.CharField(label=_("Reason for a repeat"), max_length=200, required=False)

    def __init__(self, *args, households, materials, warehouses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["material"].queryset = materials
        self.fields["warehouse"].queryset = warehouses


class VolunteerForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Registered with"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)
    consent = forms.BooleanField(
        label=_("The volunteer agrees to be kept on file and called in emergencies"), required=True
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units


class DecideForm(forms.Form):
    note = forms.CharField(label=_("Decision note"), max_length=300, required=False)
