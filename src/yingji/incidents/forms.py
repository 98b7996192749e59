"""Forms of the duty-desk pages; they only parse input, the services hold the rules."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.scopes import scoped
from yingji.incidents.models import Category, Grade, IncidentType, ReportKind, ResponseLevel, Source, Status, TaskStatus
from yingji.resources.models import MaterialItem, StockBalance, Warehouse

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TypeSelect(forms.Select):
    """The incident-type list grouped by category (readable without JavaScript); each option carries its category
    in `data-category` so incidents/intake.js can show only the chosen category's types."""

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        groups: dict[str, list] = {}
        labels = dict(Category.choices)
        for index, (option_value, option_label) in enumerate(self.choices):
            instance = getattr(option_value, "instance", None)
            category = instance.category if instance is not None else ""
            selected = str(option_value) in value
            # A model choice's label is its text (label_from_instance); this widget has no nested groups.
            option = self.create_option(name, option_value, str(option_label), selected, index, attrs=attrs)
            if category:
                option["attrs"]["data-category"] = category
            groups.setdefault(category, []).append(option)
        return [(str(labels.get(c, "")) or None, options, i) for i, (c, options) in enumerate(groups.items())]


class IncidentForm(forms.Form):
    """Intake (接报登记)."""

    title = forms.CharField(label=pgettext_lazy("incident", "Title"), max_length=200)
    category = forms.ChoiceField(
        label=pgettext_lazy("incident", "Category"), choices=Category.choices, initial=Category.ACCIDENT
    )
    type = forms.ModelChoiceField(
        label=pgettext_lazy("incident", "Type"),
        queryset=IncidentType.objects.filter(active=True).order_by("category", "code"),
        to_field_name="code",
        widget=TypeSelect,
    )
    source = forms.ChoiceField(label=pgettext_lazy("incident", "Source"), choices=Source.choices, initial=Source.PHONE)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DATETIME)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Reporter"), max_length=60, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=40, required=False)
    enterprise = forms.ModelChoiceField(label=_("Enterprise involved"), queryset=OrgUnit.objects.none(), required=False)
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0, initial=0)
    missing = forms.IntegerField(label=_("Missing"), min_value=0, initial=0)
    serious_injuries = forms.IntegerField(
        label=_("Serious injuries"), min_value=0, initial=0, help_text=_("Including acute industrial poisoning.")
    )
    minor_injuries = forms.IntegerField(label=_("Minor injuries"), min_value=0, initial=0)
    direct_loss_yuan = forms.IntegerField(label=_("Direct economic loss (yuan)"), min_value=0, initial=0)
    description = forms.CharField(
        label=pgettext_lazy("incident", "Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = scoped(
            OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True), user, org_field=""
        ).order_by("name")


class CasualtyForm(forms.Form):
    deaths = forms.IntegerField(label=_("Deaths"), min_value=0)
    missing = forms.IntegerField(label=_("Missing"), min_value=0)
    serious_injuries = forms.IntegerField(label=_("Serious injuries"), min_value=0)
    minor_injuries = forms.IntegerField(label=_("Minor injuries"), min_value=0)
    direct_loss_yuan = forms.IntegerField(label=_("Direct economic loss (yuan)"), min_value=0)


class CommandForm(forms.Form):
    commander = forms.ModelChoiceField(
        label=_("Incident commander"), queryset=User.objects.filter(is_active=True), required=False
    )
    response_level = forms.ChoiceField(
        label=_("Response level"), choices=[("", "—"), *ResponseLevel.choices], required=False
    )
    post_address = forms.CharField(label=pgettext_lazy("incident", "Command post"), max_length=200, required=False)
    post_lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    post_lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee_org = forms.ModelChoiceField(label=_("Assigned unit"), queryset=OrgUnit.objects.none(), required=False)
    assignee_user = forms.ModelChoiceField(
        label=_("Assigned person"), queryset=User.objects.filter(is_active=True), required=False
    )
    due_at = forms.DateTimeField(label=_("Due at"), widget=DATETIME, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee_org"]).queryset = scoped(
            OrgUnit.objects.filter(active=True), user, org_field=""
        )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=500)


class ReportAddForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k, label) for k, label in ReportKind.choices if k != ReportKind.INITIAL]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into incident number"), max_length=20)


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    officer = forms.ModelChoiceField(label=_("Duty officer"), queryset=User.objects.filter(is_active=True))
    leader = forms.ModelChoiceField(label=_("Duty leader"), queryset=User.objects.filter(is_active=True))
    phone = forms.CharField(label=_("Duty phone"), max_length=40, required=False)


class HandoverForm(forms.Form):
    notes = forms.CharField(label=_("Handover notes"), widget=forms.Textarea(attrs={"rows": 3}))
    open_items = forms.CharField(label=_("Open items"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewForm(forms.Form):
    findings = forms.CharField(
        label=pgettext_lazy("after-action review", "Findings"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    improvements = forms.CharField(
        label=_("Improvement actions"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    category = forms.ChoiceField(
        label=pgettext_lazy("incident", "Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", _("All")), *Grade.choices])
    received_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class StockItemSelect(forms.Select):
    """An item picker whose options name the warehouses holding the item, so the page offers only what the
    chosen warehouse has in stock."""

    holders: dict[int, list[int]] = {}  # noqa: RUF012 — replaced per form, never mutated

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-warehouses"] = " ".join(str(w) for w in self.holders.get(int(str(value)), []))
        return option


class MaterialForm(forms.Form):
    """Request materials for an incident from a warehouse of the user's area."""

    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    item = forms.ModelChoiceField(label=_("Material"), queryset=MaterialItem.objects.none(), widget=StockItemSelect)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**9)
    reason = forms.CharField(label=pgettext_lazy("material request", "Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, stock: list[StockBalance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holders: dict[int, list[int]] = {}
        for balance in stock:
            self.holders.setdefault(balance.item_id, []).append(balance.warehouse_id)
        cast(forms.ModelChoiceField, self.fields["warehouse"]).queryset = Warehouse.objects.filter(
            pk__in={b.warehouse_id for b in stock}
        )
        cast(StockItemSelect, self.fields["item"].widget).holders = self.holders
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = MaterialItem.objects.filter(
            pk__in=self.holders.keys()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean answers cleaned_data
        warehouse, item = data.get("warehouse"), data.get("item")
        if warehouse and item and warehouse.pk not in self.holders.get(item.pk, []):
            self.add_error("item", _("This warehouse has none of this material in stock."))
        return data


RESOURCE_STATUSES = [
    ("", _("Any status")),
    ("standby", _("Standby")),
    ("deployed", _("Deployed")),
    ("ready", _("Ready")),
    ("in_use", _("In use")),
    ("available", _("Available")),
    ("on_call", _("On call")),
]


class ResourceSearchForm(forms.Form):
    """Search every resource of a kind by travel time to the incident (the "all resources" list)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("team", _("Teams")), ("equipment", _("Equipment")), ("expert", _("Experts"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=RESOURCE_STATUSES)
    max_minutes = forms.IntegerField(label=_("Within (min)"), required=False, min_value=1, max_value=600)
