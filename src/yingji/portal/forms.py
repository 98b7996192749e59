"""Forms of the public pages and the staff's pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgUnit
from yingji.incidents.models import IncidentType
from yingji.portal.models import Article, ArticleKind, LeadKind, QuestionCategory, Season, Topic
from yingji.risk.models import DangerGrade


class ShelterSearchForm(forms.Form):
    q = forms.CharField(label=_("Address or place"), max_length=60, required=False)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)


class QuestionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=QuestionCategory.choices)
    text = forms.CharField(label=_("Your question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=100,
        required=False,
        help_text=_("Only staff see it; it is never published."),
    )
    # A trap for bots: hidden from people by CSS, left empty by them.
    website = forms.CharField(
        label=_("Leave this empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class LeadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it"), choices=LeadKind.choices)
    description = forms.CharField(
        label=_("What did you see"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("Where (address or landmark)"), max_length=200, required=False)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"), required=False)
    contact = forms.CharField(label=_("Contact (optional)"), max_length=100, required=False)
    website = forms.CharField(
        label=_("Leave this empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=16)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    faq = forms.BooleanField(label=_("Publish as FAQ"), required=False)
    faq_title = forms.CharField(label=_("FAQ title"), max_length=200, required=False)


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Note to the reporter"), max_length=300)


class LeadIncidentForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Incident type"), queryset=IncidentType.objects.filter(active=True))
    title = forms.CharField(label=_("Incident title"), max_length=200, required=False)
    note = forms.CharField(label=_("Note to the reporter"), max_length=300, required=False)


class LeadDangerForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise where the hazard lies"), queryset=OrgUnit.objects.none())
    grade = forms.ChoiceField(label=_("Grade"), choices=DangerGrade.choices, initial=DangerGrade.GENERAL)
    title = forms.CharField(label=_("Hidden danger title"), max_length=200, required=False)
    note = forms.CharField(label=_("Note to the reporter"), max_length=300, required=False)

    def __init__(self, *args: Any, enterprises: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["kind", "topic", "season", "title", "summary", "body", "exercise"]


class ArticleFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All"))] + ArticleKind.choices, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All"))] + Topic.choices, required=False)
    season = forms.ChoiceField(label=_("Season"), choices=[("", _("All"))] + Season.choices, required=False)
