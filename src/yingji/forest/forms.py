"""Forms of the forest pages; the services validate, these only parse."""

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit
from yingji.forest.models import ChainLevel, FindingKind, ForestArea


def choose_from(form: forms.Form, name: str, rows: QuerySet[Any]) -> None:
    """Offer these rows (the user's scope) in a form's model choice field."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = rows


class GeoJSONField(forms.CharField):
    """A GeoJSON document typed or drawn into a textarea."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("Not valid JSON.")) from None


class AreaForm(forms.Form):
    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Responsible unit"))
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    patrols_per_day = forms.IntegerField(
        label=_("Patrols per day (normal danger)"), min_value=1, max_value=24, initial=1
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    geometry = GeoJSONField(label=_("Area (GeoJSON Polygon; click the map to draw)"))

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "org", units)


class ImportForm(forms.Form):
    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Responsible unit"))
    file = forms.FileField(
        label=_("Zipped shapefile (.zip) or GeoJSON file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.geojson,.json,application/zip,application/geo+json"}),
    )
    code_prefix = forms.CharField(label=_("Code prefix for areas without a code"), max_length=20, initial="FA")

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "org", units)


class ChainForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=ChainLevel.choices)
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    position = forms.CharField(label=_("Position"), max_length=80, required=False)


class StartForm(forms.Form):
    area = forms.ModelChoiceField(queryset=ForestArea.objects.none(), label=_("Forest area"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, areas: QuerySet[ForestArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "area", areas)


class PointForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    accuracy_m = forms.FloatField(label=_("Accuracy (m)"), min_value=0, max_value=100_000, required=False)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("patrol finding", "What was found"), choices=FindingKind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class EndForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FireForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)


class RouteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    path = GeoJSONField(label=_("Route (GeoJSON LineString; click the map to draw)"))
