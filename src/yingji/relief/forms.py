"""Forms of the relief pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import ChannelConfig, OrgUnit
from yingji.relief.models import FIGURES, Availability, Hazard, Household, Stage, Volunteer
from yingji.resources.models import MaterialItem, Warehouse


class EventForm(forms.Form):
    """Start the relief response to a disaster (启动响应): the event the streets then report on."""

    org = forms.ModelChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    hazard = forms.ChoiceField(label=pgettext_lazy("disaster", "Hazard"), choices=Hazard.choices)
    started_on = forms.DateField(label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Event summary"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "org", units)


class CloseEventForm(forms.Form):
    """End the relief response (结束响应) on a day, by default today."""

    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Give a model choice field the rows it offers (known only per request: the user's scope)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class DistributionForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none())
    material = forms.ModelChoiceField(label=_("Material"), queryset=MaterialItem.objects.none())
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**9)
    signed_by = forms.CharField(label=_("Signed for by"), max_length=60)
    override_reason = forms.CharField(label=_("Reason for a repeat"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        households: QuerySet[Household],
        materials: QuerySet[MaterialItem],
        warehouses: QuerySet[Warehouse],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "household", households)
        _choices(self, "material", materials)
        _choices(self, "warehouse", warehouses)


class VolunteerForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Registered with"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Volunteer's name"), max_length=60)
    phone = forms.CharField(label=_("Mobile phone"), max_length=40)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    availability = forms.ChoiceField(label=pgettext_lazy("volunteer", "Availability"), choices=Availability.choices)
    consent = forms.BooleanField(
        label=_("The volunteer agrees to be kept on file and called in emergencies"), required=True
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "org", units)


class DecideForm(forms.Form):
    note = forms.CharField(label=_("Decision note"), max_length=300, required=False)


class ReportForm(forms.Form):
    """A street's damage figures at the next stage, in the items of the statistics forms."""

    street = forms.ModelChoiceField(label=_("Street"), queryset=OrgUnit.objects.none())
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

    def __init__(self, *args: Any, streets: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "street", streets)
        for name in FIGURES:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # An item left empty is nothing to report: zero.
        for name in FIGURES:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned


class CallOutForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Calling unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Call-out title"), max_length=200)
    message = forms.CharField(label=_("Call-out message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    volunteers = forms.ModelMultipleChoiceField(label=_("Volunteers to call"), queryset=Volunteer.objects.none())
    wecom = forms.ModelChoiceField(
        label=_("WeChat Work group (optional)"), queryset=ChannelConfig.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        volunteers: QuerySet[Volunteer],
        robots: QuerySet[ChannelConfig],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "org", units)
        _choices(self, "volunteers", volunteers)
        _choices(self, "wecom", robots)


class ReplyForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())
    answer = forms.ChoiceField(label=_("Answer"), choices=[("yes", _("Yes, coming")), ("no", _("No, cannot come"))])

    def __init__(self, *args: Any, volunteers: QuerySet[Volunteer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "volunteer", volunteers)
