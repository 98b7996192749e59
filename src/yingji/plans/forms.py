"""Forms of the plans pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgUnit
from yingji.plans.models import (
    Conclusion,
    DrillContent,
    DrillForm,
    Plan,
    PlanLevel,
    PlanStatus,
    ResponseLevel,
    Scenario,
)
from yingji.resources.models import Expert


def choose_from(form: forms.BaseForm, **rows: QuerySet[Any]) -> None:
    """Limit a form's model choice fields to the given rows (what the user's scope holds)."""
    for name, queryset in rows.items():
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Plan level"), required=False, choices=[("", _("All levels")), *PlanLevel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PlanStatus.choices]
    )


class CodesField(forms.CharField):
    """Comma- or space-separated codes as a list."""

    def to_python(self, value: str | None) -> list[str]:  # type: ignore[override]  # a list where CharField gives str
        text = super().to_python(value) or ""
        return [code for code in text.replace("，", ",").replace(" ", ",").split(",") if code]


class PlanForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Plan owner"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Designation"), max_length=200)
    level = forms.ChoiceField(label=_("Plan level"), choices=PlanLevel.choices)
    incident_types = CodesField(
        label=_("Incident types covered"), required=False, max_length=500, help_text=_("Type codes, comma-separated.")
    )
    scope = forms.CharField(label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, org=orgs)


class ImportForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Plan owner"), queryset=OrgUnit.objects.none())
    level = forms.ChoiceField(label=_("Plan level"), choices=PlanLevel.choices)
    file = forms.FileField(label=_("Word file (.docx)"))

    def __init__(self, *args: Any, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, org=orgs)


class ReviewForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(label=_("Experts"), queryset=Expert.objects.none(), required=False)
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label=_("Conclusion"), required=False, choices=[("", "—"), *Conclusion.choices])

    def __init__(self, *args: Any, experts: QuerySet[Expert], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, experts=experts)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Original file (Word or PDF)"))


class StepForm(forms.Form):
    """One more response step, for finishing a draft on the page."""

    level = forms.ChoiceField(label=_("Response level"), choices=ResponseLevel.choices)
    role = forms.CharField(label=_("Role"), max_length=80)
    action = forms.CharField(label=_("Response action"), max_length=300)
    due_minutes = forms.IntegerField(label=_("Due within (minutes)"), required=False, min_value=1, max_value=100_000)


class RoleForm(forms.Form):
    """A role of the plan's organisation."""

    name = forms.CharField(label=_("Role"), max_length=80)
    duties = forms.CharField(label=_("Duties"), required=False, max_length=2000)
    org = forms.ModelChoiceField(label=_("Unit responsible"), queryset=OrgUnit.objects.none(), required=False)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=60)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def __init__(self, *args: Any, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, org=orgs)


class TierForm(forms.Form):
    """The trigger of one response level."""

    level = forms.ChoiceField(label=_("Response level"), choices=ResponseLevel.choices)
    trigger = forms.CharField(label=_("Trigger"), max_length=2000)


class DrillCreateForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organiser"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Designation"), max_length=200)
    plan = forms.ModelChoiceField(label=_("Plan drilled"), queryset=Plan.objects.none(), required=False)
    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=Scenario.objects.none(), required=False)
    content = forms.ChoiceField(label=_("Content"), choices=DrillContent.choices)
    form = forms.ChoiceField(label=_("Form"), choices=DrillForm.choices)
    scheduled_for = forms.DateTimeField(label=_("Scheduled for"), widget=DateTimeLocal())
    participants = forms.CharField(label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        orgs: QuerySet[OrgUnit],
        plans: QuerySet[Plan],
        scenarios: QuerySet[Scenario],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, org=orgs, plan=plans, scenario=scenarios)


class ReadinessForm(forms.Form):
    minutes = forms.IntegerField(label=_("Within (minutes)"), min_value=1, max_value=1440, initial=30)
