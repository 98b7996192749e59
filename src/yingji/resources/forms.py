"""Forms of the resource pages: filters, registry edit forms and stock movements. They validate input;
the services decide and write."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgUnit, User
from yingji.core.requests import Text
from yingji.resources import selectors
from yingji.resources.models import (
    Availability,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
    Expert,
    ExpertField,
    Facility,
    MaterialCategory,
    MaterialItem,
    Shelter,
    ShelterClass,
    ShelterKind,
    Team,
    TeamKind,
    TeamMember,
    TeamStatus,
    Warehouse,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _all(label: Text, choices: Sequence[tuple[str, Text]]) -> list[tuple[str, Text]]:
    return [("", label), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class TeamFilterForm(SearchForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_all(_("All kinds"), TeamKind.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_all(_("Any status"), TeamStatus.choices))


class ExpertFilterForm(SearchForm):
    field = forms.ChoiceField(label=_("Field"), required=False, choices=_all(_("All fields"), ExpertField.choices))
    availability = forms.ChoiceField(
        label=_("Availability"), required=False, choices=_all(_("Any availability"), Availability.choices)
    )


class EquipmentFilterForm(SearchForm):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_all(_("All categories"), EquipmentCategory.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_all(_("Any status"), EquipmentStatus.choices)
    )
    overdue = forms.BooleanField(label=_("Maintenance overdue"), required=False)


class MaterialFilterForm(SearchForm):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_all(_("All categories"), MaterialCategory.choices)
    )


class WarehouseFilterForm(SearchForm):
    active = forms.NullBooleanField(
        label=_("Active"),
        required=False,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Active")), ("false", _("Closed"))]),
    )


class ShelterFilterForm(SearchForm):
    kind = forms.ChoiceField(label=_("Indoor or outdoor"), required=False, choices=_all(_("All"), ShelterKind.choices))
    shelter_class = forms.ChoiceField(
        label=_("Class"), required=False, choices=_all(_("All classes"), ShelterClass.choices)
    )
    is_open = forms.NullBooleanField(
        label=_("Open"),
        required=False,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Open")), ("false", _("Closed"))]),
    )


class OwnedForm(forms.ModelForm):
    """A registry form whose owner unit is chosen from the user's scope."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "org" in self.fields:
            cast(forms.ModelChoiceField, self.fields["org"]).queryset = selectors.org_choices(user=user)


class TeamForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=TeamStatus.choices)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0)
    on_duty = forms.IntegerField(label=_("On duty"), min_value=0)
    leader = forms.CharField(label=_("Leader"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Base address"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, instance: Team | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            org = instance.org
            kwargs["initial"] = {
                "code": org.code,
                "name": org.name,
                "parent": org.parent_id,
                "leader": org.contact,
                "phone": org.phone,
                "address": org.address,
                "lat": org.lat,
                "lon": org.lon,
                **{f: getattr(instance, f) for f in ("kind", "status", "headcount", "on_duty", "skills", "notes")},
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = selectors.org_choices(user=user)


class MemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "position", "phone", "certificate", "certificate_no", "certificate_expiry"]
        widgets = {"certificate_expiry": DATE}


class ExpertForm(OwnedForm):
    class Meta:
        model = Expert
        fields = [
            "code",
            "name",
            "field",
            "title",
            "organisation",
            "phone",
            "availability",
            "org",
            "lat",
            "lon",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class EquipmentForm(OwnedForm):
    class Meta:
        model = Equipment
        fields = [
            "code",
            "name",
            "category",
            "model",
            "quantity",
            "status",
            "next_maintenance",
            "org",
            "location",
            "lat",
            "lon",
            "keeper",
            "phone",
        ]
        widgets = {"next_maintenance": DATE}


class MaterialForm(forms.ModelForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    class Meta:
        model = MaterialItem
        fields = ["code", "name", "category", "spec", "unit", "shelf_life_days"]


class WarehouseForm(OwnedForm):
    class Meta:
        model = Warehouse
        fields = ["code", "name", "org", "address", "lat", "lon", "keeper", "phone", "active"]


class ShelterForm(OwnedForm):
    facilities = forms.MultipleChoiceField(
        label=_("Facilities"), choices=Facility.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Shelter
        fields = [
            "code",
            "name",
            "kind",
            "shelter_class",
            "org",
            "address",
            "lat",
            "lon",
            "effective_area_m2",
            "capacity_given",
            "facilities",
            "is_open",
            "occupancy",
            "manager",
            "phone",
        ]


STOCK_ACTIONS = [
    ("in", _("Receive")),
    ("out", _("Withdraw")),
    ("transfer", _("Transfer")),
    ("adjust", _("Adjust (stock-take)")),
    ("minimum", _("Set minimum stock")),
]


class StockForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=STOCK_ACTIONS)
    item = forms.ModelChoiceField(label=_("Item"), queryset=MaterialItem.objects.all())
    quantity = forms.IntegerField(
        label=_("Quantity"), help_text=_("For an adjustment, the signed change; for the minimum, the minimum.")
    )
    batch = forms.CharField(label=_("Batch"), max_length=60, required=False)
    expiry = forms.DateField(label=_("Expiry date"), required=False, widget=DATE)
    target = forms.ModelChoiceField(label=_("To warehouse"), queryset=Warehouse.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, warehouse: Warehouse, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = selectors.transfer_targets().exclude(
            pk=warehouse.pk
        )
