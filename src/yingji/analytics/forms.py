"""Page forms: the statistics filter bar and the report request."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.analytics.models import Indicator, ReportKind
from yingji.core.models import Industry, OrgKind, OrgUnit, User
from yingji.core.scopes import scoped
from yingji.incidents.models import Category


class StatFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    street = forms.ModelChoiceField(label=_("Street"), queryset=OrgUnit.objects.none(), required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—"), *Industry.choices], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        street = self.fields["street"]
        assert isinstance(street, forms.ModelChoiceField)
        street.queryset = scoped(OrgUnit.objects.filter(kind=OrgKind.STREET, active=True), user, org_field="").order_by(
            "code"
        )


class QualityFilterForm(StatFilterForm):
    minutes = forms.IntegerField(label=_("Likely false within (minutes)"), min_value=1, max_value=1440, initial=10)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["category"]
        self.fields["minutes"].required = False


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("2026-11 for a month, 2026 for a year."), initial=""
    )


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    org = forms.ModelChoiceField(label=_("For"), queryset=OrgUnit.objects.none())
    limit = forms.IntegerField(label=_("Limit"), min_value=0, max_value=10**15)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = scoped(
            OrgUnit.objects.filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET], active=True), user, org_field=""
        ).order_by("path")
