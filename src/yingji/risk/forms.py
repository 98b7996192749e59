"""Forms of the prevention pages; the services validate, the forms only shape input."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit
from yingji.risk.lec import C_VALUES, E_VALUES, L_VALUES, LIKELIHOOD_LABELS, SEVERITY_LABELS
from yingji.risk.models import (
    ControlLevel,
    DangerGrade,
    DangerStatus,
    DocumentKind,
    IndustrySection,
    Method,
    PhotoStage,
    RiskFlag,
    Scale,
    UnitKind,
)


class DangerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *DangerStatus.choices])
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", "—"), *DangerGrade.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class DangerForm(forms.Form):
    org: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    title = forms.CharField(label=_("What was found"), max_length=200)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("Details"), max_length=4000, required=False, widget=forms.Textarea)
    grade = forms.ChoiceField(label=_("Grade"), choices=DangerGrade.choices, initial=DangerGrade.GENERAL)

    def __init__(self, *args: Any, enterprises: QuerySet[OrgUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = enterprises


class AssignForm(forms.Form):
    measures = forms.CharField(label=_("Rectification measures"), max_length=4000, widget=forms.Textarea)
    responsible = forms.CharField(label=_("Responsible person"), max_length=60)
    funds = forms.DecimalField(label=_("Funds (yuan)"), min_value=0, max_value=10**12, decimal_places=2)
    deadline = forms.DateTimeField(label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    interim_measures = forms.CharField(label=_("Interim safety measures"), max_length=2000, widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo"))
    stage = forms.ChoiceField(label=_("Photo stage"), choices=PhotoStage.choices)


class CommitmentForm(forms.Form):
    major_hazards_controlled = forms.BooleanField(label=_("Major hazards under control"), required=False)
    key_equipment_normal = forms.BooleanField(label=_("Key equipment working normally"), required=False)
    special_operations_controlled = forms.BooleanField(label=_("Special operations under control"), required=False)
    exceptions = forms.CharField(
        label=_("Exceptions"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChecklistForm(forms.Form):
    """One checkbox (passed) and one note per checklist item, then free findings, a summary and a re-inspection date."""

    summary = forms.CharField(
        label=pgettext_lazy("inspection", "Summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    extra = forms.CharField(
        label=_("Other findings (one per line)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: list[str], with_reinspection: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items):
            self.fields[f"ok_{index}"] = forms.BooleanField(label=item, required=False, initial=True)
            self.fields[f"note_{index}"] = forms.CharField(label=_("Note"), max_length=500, required=False)
        if with_reinspection:
            self.fields["reinspect_by"] = forms.DateField(
                label=_("Re-inspect by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(item, its passed checkbox, its note) for the template."""
        return [(item, self[f"ok_{i}"], self[f"note_{i}"]) for i, item in enumerate(self.items)]

    def checklist(self) -> list[dict]:
        data = self.cleaned_data
        return [{"item": item, "ok": data[f"ok_{i}"], "note": data[f"note_{i}"]} for i, item in enumerate(self.items)]

    def extra_findings(self) -> list[str]:
        return [line.strip()[:200] for line in self.cleaned_data["extra"].splitlines() if line.strip()]


class ProfileForm(forms.Form):
    """The profile fields an enterprise keeps itself (and the authorities for it)."""

    uscc = forms.CharField(label=_("Credit code"), max_length=40, required=False)
    industry_section = forms.ChoiceField(label=_("Industry section"), choices=[("", "—"), *IndustrySection.choices],
                                         required=False)  # fmt: skip
    industry_division = forms.CharField(label=_("Industry division (two digits)"), max_length=2, required=False)
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=60, required=False)
    safety_manager = forms.CharField(label=_("Safety manager"), max_length=60, required=False)
    safety_phone = forms.CharField(label=_("Safety manager's phone"), max_length=40, required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, max_value=10**9)
    hazardous_chemicals = forms.CharField(label=_("Hazardous chemicals"), max_length=2000, required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    high_risk = forms.BooleanField(label=_("High risk"), required=False)
    risk_flags = forms.MultipleChoiceField(label=_("High-risk features"), choices=RiskFlag.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    has_emergency_org = forms.BooleanField(label=_("Emergency organisation in place"), required=False)
    emergency_staff = forms.IntegerField(label=_("Full-time emergency staff"), min_value=0, max_value=10**9)
    has_plan = forms.BooleanField(label=_("Emergency plan in place"), required=False)
    has_drills = forms.BooleanField(label=_("Drills held this year"), required=False)
    has_materials = forms.BooleanField(label=_("Emergency materials in place"), required=False)


def _factor_choices(table: dict) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (format(v.normalize(), "f"), f"{format(v.normalize(), 'f')} {label}") for v, label in table.items()
    ]


def _level_choices(labels: dict[int, str]) -> list[tuple[str, str]]:
    return [("", "—"), *((str(k), f"{k} {v}") for k, v in labels.items())]


class RiskPointForm(forms.Form):
    """A risk point and its assessment; the colour is computed, never chosen."""

    name = forms.CharField(label=_("Risk point"), max_length=120)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    hazard = forms.CharField(label=_("Hazard"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    accident_types = forms.CharField(label=_("Possible accidents"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    l_value = forms.TypedChoiceField(label="L", choices=_factor_choices(L_VALUES), required=False, coerce=Decimal,
                                     empty_value=None)  # fmt: skip
    e_value = forms.TypedChoiceField(label="E", choices=_factor_choices(E_VALUES), required=False, coerce=Decimal,
                                     empty_value=None)  # fmt: skip
    c_value = forms.TypedChoiceField(label="C", choices=_factor_choices(C_VALUES), required=False, coerce=Decimal,
                                     empty_value=None)  # fmt: skip
    likelihood = forms.TypedChoiceField(label=_("Likelihood (1-5)"), required=False, coerce=int, empty_value=None,
                                        choices=_level_choices(LIKELIHOOD_LABELS))  # fmt: skip
    severity = forms.TypedChoiceField(label=_("Severity (1-5)"), required=False, coerce=int, empty_value=None,
                                      choices=_level_choices(SEVERITY_LABELS))  # fmt: skip
    control_measures = forms.CharField(label=_("Control measures"), max_length=4000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    control_level = forms.ChoiceField(label=_("Control level"), choices=ControlLevel.choices)
    responsible = forms.CharField(label=_("Responsible"), max_length=60)
    responsible_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    emergency_measures = forms.CharField(label=_("Emergency measures"), max_length=2000, required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        unused = ("likelihood", "severity") if data["method"] == Method.LEC else ("l_value", "e_value", "c_value")
        for name in unused:
            data.pop(name)
        return data


CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")


class HazardUnitForm(forms.Form):
    """A production or storage unit with its substances, one per line: "name or CAS, Table 2 category, tonnes"."""

    name = forms.CharField(label=_("Unit name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type of unit"), choices=UnitKind.choices)
    exposed_people = forms.IntegerField(label=_("People within 500 m"), min_value=0, max_value=10**9, initial=0)
    items = forms.CharField(
        label=_("Substances (one per line: name or CAS, category, maximum tonnes)"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "液氯, , 30\n液化石油气, W2, 120"}),
    )

    def clean_items(self) -> list[dict]:
        rows = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"[,，\t]", line)]
            if len(parts) != 3:
                raise forms.ValidationError(_("Line %(n)d: write name or CAS, category, tonnes.") % {"n": number})
            what, category, quantity = parts
            row = {"cas": what} if CAS.match(what) else {"name": what}
            if category:
                row["category"] = [c for c in re.split(r"[\s/、]+", category) if c]
            row["quantity_t"] = quantity
            rows.append(row)
        if not rows:
            raise forms.ValidationError(_("Give at least one substance."))
        return rows


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    body = forms.CharField(label=_("Text"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))
    deadline = forms.DateField(label=_("Rectify by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
