"""Forms of the training, base and hall pages; the services validate, these only parse."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit
from yingji.training.models import Audience, Course, Facility, FacilityKind, GroupKind, Topic


def choose_from(form: forms.Form, name: str, rows: QuerySet[Any]) -> None:
    """Offer these rows (the user's scope, the active offer) in a form's model choice field."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = rows


LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BookingForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Facility"))
    start = forms.DateTimeField(label=_("Start"), widget=LOCAL)
    end = forms.DateTimeField(label=_("End"), widget=LOCAL)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=10_000, initial=10)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)

    def __init__(self, *args: Any, facilities: QuerySet[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "facility", facilities)


class HallBookingForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Time slot"), coerce=int)
    group_name = forms.CharField(label=_("Group (school, enterprise, community)"), max_length=120)
    group_kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    contact = forms.CharField(label=_("Contact person"), max_length=60)
    phone = forms.RegexField(label=_("Phone"), regex=r"^[0-9+\- ]{5,40}$", max_length=40)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=1, max_value=10_000)

    def __init__(self, *args: Any, slots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = slots


class EnrollForm(forms.Form):
    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=pgettext_lazy("organisation", "Unit"))
    name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    position = forms.CharField(label=_("Position"), max_length=60, required=False)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "org", units)


class SignInForm(forms.Form):
    phone = forms.CharField(label=_("Phone you enrolled with"), max_length=40, required=False)


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=pgettext_lazy("exam", "Score"), min_value=0, max_value=100)


class UnitChoiceForm(forms.Form):
    """A form whose `org` choices are the units in the user's scope."""

    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=pgettext_lazy("organisation", "Unit"))

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "org", units)


class CourseForm(UnitChoiceForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=1000, initial=8)
    pass_score = forms.IntegerField(label=_("Pass score"), min_value=0, max_value=100, initial=60)
    certificate_months = forms.IntegerField(
        label=_("Certificate valid (months)"),
        min_value=0,
        max_value=120,
        initial=0,
        help_text=_("0: the course issues no certificate."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LOCAL)
    place = forms.CharField(label=_("Place"), max_length=200)
    instructors = forms.CharField(label=_("Instructors"), max_length=300)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000, initial=50)

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "course", courses)


class FacilityForm(UnitChoiceForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=10_000)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class HallSlotForm(UnitChoiceForm):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LOCAL)
    capacity = forms.IntegerField(label=_("Capacity (visitors)"), min_value=1, max_value=10_000, initial=40)


class QuestionForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    text = forms.CharField(label=pgettext_lazy("quiz", "Question"), max_length=500)
    choices = forms.CharField(
        label=_("Choices (one per line, 2 to 6)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    answer = forms.IntegerField(label=_("Right choice (1 = the first line)"), min_value=1, max_value=6)
    explanation = forms.CharField(label=pgettext_lazy("quiz", "Explanation"), max_length=500, required=False)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def clean_answer(self) -> int:
        # People count from 1; the bank from 0.
        return self.cleaned_data["answer"] - 1
