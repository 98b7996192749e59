"""Staff pages of the portal (signed in, under /portal/): the consultation column's inbox and answers with the
response-time figures, the public hazard reports (leads) with the way into an incident, and articles."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import get_scoped_or_404
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.photos import media_file
from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service
from yingji.portal import selectors, services
from yingji.portal.forms import AnswerForm, ArticleForm, DismissForm, LeadDangerForm, LeadIncidentForm
from yingji.portal.models import Article, Lead, LeadStatus, QuestionStatus


def _need(request: AuthedRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def index(request: AuthedRequest) -> HttpResponse:
    if not (request.user.has_perm("portal.view_question") or request.user.has_perm("portal.view_lead")):
        raise PermissionDenied
    return render(
        request,
        "portal/index.html",
        {
            "stats": selectors.response_stats(user=request.user),
            "open_questions": selectors.question_list(user=request.user, status=QuestionStatus.OPEN).count(),
            "new_leads": selectors.lead_list(user=request.user, status=LeadStatus.NEW).count(),
        },
    )


def questions(request: AuthedRequest) -> HttpResponse:
    _need(request, "portal.view_question")
    status = request.GET.get("status") or None
    if status not in QuestionStatus.values:
        status = None
    page, query = page_of(request, selectors.question_list(user=request.user, status=status))
    return render(
        request,
        "portal/questions.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": QuestionStatus.choices,
            "stats": selectors.response_stats(user=request.user),
        },
    )


def question(request: AuthedRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get(user=request.user, question_id=question_id)
    initial = {"answer": question.answer, "faq": question.faq, "faq_title": question.faq_title}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "close" in request.POST:
            run_service(request, None, lambda: services.question_close(by=request.user, question=question))
            return redirect("portal:questions")
        if form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: services.question_answer(by=request.user, question=question, **form.cleaned_data),
                success=_("Answer saved."),
            )
            if outcome:
                return redirect("portal:question", question_id=question.pk)
    return render(request, "portal/question.html", {"question": question, "form": form})


def leads(request: AuthedRequest) -> HttpResponse:
    _need(request, "portal.view_lead")
    status = request.GET.get("status") or None
    if status not in LeadStatus.values:
        status = None
    page, query = page_of(request, selectors.lead_list(user=request.user, status=status))
    return render(
        request, "portal/leads.html", {"page": page, "query": query, "status": status, "statuses": LeadStatus.choices}
    )


def _lead(request: AuthedRequest, lead_id: int) -> Lead:
    _need(request, "portal.view_lead")
    return get_scoped_or_404(Lead.objects.select_related("org", "incident", "danger"), request.user, lead_id)


def _lead_page(
    request: AuthedRequest,
    lead: Lead,
    *,
    incident_form: LeadIncidentForm | None = None,
    danger_form: LeadDangerForm | None = None,
    dismiss_form: DismissForm | None = None,
) -> HttpResponse:
    """The lead with the three ways to handle it (a form given carries its errors back)."""
    enterprises = selectors.enterprises_for_leads(user=request.user)
    return render(
        request,
        "portal/lead.html",
        {
            "lead": lead,
            "incident_form": incident_form or LeadIncidentForm(),
            "danger_form": danger_form or LeadDangerForm(enterprises=enterprises),
            "may_danger": request.user.has_perm("risk.add_hiddendanger"),
            "dismiss_form": dismiss_form or DismissForm(),
        },
        status=400 if any(f is not None for f in (incident_form, danger_form, dismiss_form)) else 200,
    )


def lead(request: AuthedRequest, lead_id: int) -> HttpResponse:
    return _lead_page(request, _lead(request, lead_id))


@require_POST
def lead_action(request: AuthedRequest, lead_id: int, action: str) -> HttpResponse:
    lead = _lead(request, lead_id)
    if action == "review":
        run_service(request, None, lambda: services.lead_review(by=request.user, lead=lead))
    elif action == "dismiss":
        form = DismissForm(request.POST)
        if not (
            form.is_valid()
            and run_service(
                request, form, lambda: services.lead_dismiss(by=request.user, lead=lead, **form.cleaned_data)
            )
        ):
            return _lead_page(request, lead, dismiss_form=form)
    elif action == "incident":
        incident_form = LeadIncidentForm(request.POST)
        outcome = None
        if incident_form.is_valid():
            data = incident_form.cleaned_data
            outcome = run_service(
                request, incident_form, lambda: services.lead_to_incident(by=request.user, lead=lead, **data)
            )
        if not outcome or outcome.value is None:
            return _lead_page(request, lead, incident_form=incident_form)
        return redirect("incidents:detail", outcome.value[1].pk)
    elif action == "danger":
        danger_form = LeadDangerForm(request.POST, enterprises=selectors.enterprises_for_leads(user=request.user))
        if not (
            danger_form.is_valid()
            and run_service(
                request,
                danger_form,
                lambda: services.lead_to_danger(by=request.user, lead=lead, **danger_form.cleaned_data),
                success=_("Registered as a hidden danger."),
            )
        ):
            return _lead_page(request, lead, danger_form=danger_form)
    else:
        raise Http404
    return redirect("portal:lead", lead_id=lead.pk)


def lead_photo(request: AuthedRequest, lead_id: int) -> FileResponse:
    lead = _lead(request, lead_id)
    if not lead.photo:
        raise Http404
    path = media_file(lead.photo)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type=lead.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def articles(request: AuthedRequest) -> HttpResponse:
    _need(request, "portal.view_article")
    page, query = page_of(request, selectors.article_list(user=request.user))
    return render(request, "portal/articles.html", {"page": page, "query": query})


def _home_unit(request: AuthedRequest) -> OrgUnit:
    """The unit an article is published for: the author's, else the district."""
    org = request.user.org or OrgUnit.objects.filter(kind=OrgKind.DISTRICT).first()
    if org is None:
        raise PermissionDenied
    return org


def article_edit(request: AuthedRequest, article_id: int | None = None) -> HttpResponse:
    article = get_scoped_or_404(Article, request.user, article_id) if article_id else None
    _need(request, "portal.change_article" if article else "portal.add_article")
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ARTICLE_FIELDS}
        if article is None:
            # core.web.run_service is typed for a Form; a ModelForm takes field errors the same way.
            outcome = run_service(
                request,
                form,
                lambda: services.article_create(by=request.user, org=_home_unit(request), **data),
            )
        else:
            fresh = Article.objects.get(pk=article.pk)
            outcome = run_service(
                request,
                form,
                lambda: services.article_update(by=request.user, article=fresh, **data),
            )
        if outcome:
            return redirect("portal:articles")
    return render(request, "portal/article_form.html", {"form": form, "article": article})


@require_POST
def article_status(request: AuthedRequest, article_id: int, status: str) -> HttpResponse:
    article = get_scoped_or_404(Article, request.user, article_id)
    run_service(request, None, lambda: services.article_set_status(by=request.user, article=article, status=status))
    return redirect("portal:articles")
