"""Forms of the relief pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
