"""Forms of monitoring's pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.scopes import scoped
from yingji.monitoring.hydrology import STATION_FIELDS
from yingji.monitoring.metrics import METRICS, DeviceType
from yingji.monitoring.models import AlarmStatus, Device, DeviceStatus, HydroStation, Level, Rule, Verification
from yingji.monitoring.plan_links import plan_choices
from yingji.monitoring.services import DEVICE_FIELDS, RULE_FIELDS


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A model form's field that chooses among rows (its queryset is narrowed to the user's scope)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


METRIC_CHOICES = [(code, f"{m.label} ({m.unit})") for code, m in METRICS.items()]


class DeviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *DeviceType.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DeviceStatus.choices]
    )


class AlarmFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open (active or acknowledged)")), ("", _("All")), *AlarmStatus.choices],
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class AckForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class DeviceForm(forms.ModelForm):
    metrics = forms.MultipleChoiceField(
        label=_("Metrics"), required=False, choices=METRIC_CHOICES, help_text=_("Empty: the type's usual metrics.")
    )

    class Meta:
        model = Device
        fields = list(DEVICE_FIELDS)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = scoped(OrgUnit.objects.filter(active=True), user, org_field="")
        _choices(self, "org").queryset = units
        _choices(self, "installation_org").queryset = units.filter(kind=OrgKind.ENTERPRISE)


class RuleForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("Metric"), required=False, choices=[("", "—"), *METRIC_CHOICES])
    plan = forms.TypedChoiceField(
        label=_("Emergency plan"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The plan whose activation the duty desk is asked for when this rule alarms."),
    )

    class Meta:
        model = Rule
        fields = list(RULE_FIELDS)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "device").queryset = scoped(Device.objects.filter(active=True), user)
        plans = [(p.id, p.title) for p in plan_choices()]
        named = self.instance.plan
        if named is not None and named not in {pk for pk, _title in plans}:
            plans.append((named, _("Plan %(id)s (no longer in force)") % {"id": named}))
        plan_field = self.fields["plan"]
        assert isinstance(plan_field, forms.TypedChoiceField)
        plan_field.choices = [("", "—"), *plans]


class VerifyForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Verification.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class StationForm(forms.ModelForm):
    """A device's hydrological role: kind, streets served, levels or depth threshold, responsible person."""

    class Meta:
        model = HydroStation
        fields = ["kind", "serves", *[f for f in STATION_FIELDS if f != "kind"]]
        widgets = {"serves": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "serves").queryset = scoped(
            OrgUnit.objects.filter(kind=OrgKind.STREET, active=True), user, org_field=""
        )
