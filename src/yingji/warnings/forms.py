"""Forms of the warnings pages."""

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit, PersonalChannel, Subscription, WarningLevel
from yingji.warnings.models import EarlyWarning, EventType, Status


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class WarningFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *WarningLevel.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices])
    event_type = forms.ChoiceField(
        label=_("Event type"), required=False, choices=[("", _("All event types")), *EventType.choices]
    )


class WarningForm(forms.Form):
    """A warning's content; its area is streets, a polygon drawn on the map (GeoJSON), or both."""

    event_type = forms.ChoiceField(label=_("Event type"), choices=EventType.choices)
    level = forms.ChoiceField(label=_("Level"), choices=WarningLevel.choices)
    headline = forms.CharField(label=_("Headline"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("warning", "Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    instruction = forms.CharField(label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    streets = forms.ModelMultipleChoiceField(
        label=_("Streets"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    area_polygon = forms.CharField(
        label=_("Area polygon (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "geojson"}),
        help_text=_("Click on the map to add vertices, or paste a GeoJSON Polygon or MultiPolygon."),
    )
    area_desc = forms.CharField(label=_("Area description"), required=False, max_length=500)
    effective = forms.DateTimeField(label=_("Effective"), required=False, widget=DateTimeLocal())
    expires = forms.DateTimeField(label=_("Expires"), widget=DateTimeLocal())

    def __init__(self, *args: Any, streets: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["streets"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = streets

    def clean_area_polygon(self) -> dict[str, Any] | None:
        text = self.cleaned_data["area_polygon"].strip()
        if not text:
            return None
        try:
            geometry = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Not valid JSON.")) from None
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        return geometry

    @staticmethod
    def initial_for(warning: EarlyWarning) -> dict[str, Any]:
        return {
            "event_type": warning.event_type,
            "level": warning.level,
            "headline": warning.headline,
            "description": warning.description,
            "instruction": warning.instruction,
            "streets": list(warning.streets.all()),
            "area_polygon": json.dumps(warning.area_polygon, ensure_ascii=False) if warning.area_polygon else "",
            "area_desc": warning.area_desc,
            "effective": warning.effective,
            "expires": warning.expires,
        }


class NewWarningForm(WarningForm):
    """A new warning may be a drill's: marked 演练 everywhere and kept inside the platform. An existing warning's
    updates and cancellation inherit the mark, so only a new one offers it."""

    exercise = forms.BooleanField(
        label=_("Exercise"), required=False, help_text=_("Issued in a drill: never in the public feed.")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ImportForm(forms.Form):
    document = forms.FileField(label=_("CAP 1.2 file"))


class SubscriptionForm(forms.ModelForm):
    """One of a person's own subscriptions."""

    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=PersonalChannel.choices,
        initial=[PersonalChannel.INBOX],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Subscription
        fields = ["name", "min_level", "event_types", "streets", "channels"]
        widgets = {"streets": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, streets: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["streets"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = streets
