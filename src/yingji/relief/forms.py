"""Forms of the relief pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.relief.models import FIGURES, Availability, Stage


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
    name = forms.CharField(label=_("Volunteer's name"), max_length=60)
    phone = forms.CharField(label=_("Mobile phone"), max_length=40)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    availability = forms.ChoiceField(label=pgettext_lazy("volunteer", "Availability"), choices=Availability.choices)
    consent = forms.BooleanField(
        label=_("The volunteer agrees to be kept on file and called in emergencies"), required=True
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units


class DecideForm(forms.Form):
    note = forms.CharField(label=_("Decision note"), max_length=300, required=False)


class ReportForm(forms.Form):
    """A street's damage figures at the next stage, in the items of the statistics forms."""

    street = forms.ModelChoiceField(label=_("Street"), queryset=None)
    stage = forms.ChoiceField(label=_("Report stage"), choices=Stage.choices)
    affected_people = forms.IntegerField(label=_("people affected"), min_value=0, max_value=10**9, initial=0)
    deaths = forms.IntegerField(label=_("deaths"), min_value=0, max_value=10**9, initial=0)
    missing = forms.IntegerField(label=_("missing"), min_value=0, max_value=10**9, initial=0)
    relocated = forms.IntegerField(label=_("people relocated in an emergency"), min_value=0, max_value=10**9, initial=0)
    need_aid = forms.IntegerField(
        label=_("people needing emergency living aid"), min_value=0, max_value=10**9, initial=0
    )
    collapsed_houses = forms.IntegerField(label=_("houses collapsed (rooms)"), min_value=0, max_value=10**9, initial=0)
    severely_damaged_houses = forms.IntegerField(
        label=_("houses severely damaged (rooms)"), min_value=0, max_value=10**9, initial=0
    )
    generally_damaged_houses = forms.IntegerField(
        label=_("houses generally damaged (rooms)"), min_value=0, max_value=10**9, initial=0
    )
    crop_affected_ha = forms.DecimalField(
        label=_("crops affected (ha)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    crop_failed_ha = forms.DecimalField(
        label=_("crops lost (ha)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    direct_loss_10k_yuan = forms.DecimalField(
        label=_("direct economic loss (10,000 yuan)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    notes = forms.CharField(label=_("notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, streets, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        for name in FIGURES:
            self.fields[name].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        # An item left empty is nothing to report: zero.
        for name in FIGURES:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned


class CallOutForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Calling unit"), queryset=None)
    title = forms.CharField(label=_("Call-out title"), max_length=200)
    message = forms.CharField(label=_("Call-out message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    volunteers = forms.ModelMultipleChoiceField(label=_("Volunteers to call"), queryset=None)
    wecom = forms.ModelChoiceField(label=_("WeChat Work group (optional)"), queryset=None, required=False)

    def __init__(self, *args, units, volunteers, robots, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units
        self.fields["volunteers"].queryset = volunteers
        self.fields["wecom"].queryset = robots


class ReplyForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)
    answer = forms.ChoiceField(label=_("Answer"), choices=[("yes", _("Yes, coming")), ("no", _("No, cannot come"))])

    def __init__(self, *args, volunteers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
