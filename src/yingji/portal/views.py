"""Staff pages of the portal (signed in, under /portal/): the consultation column's inbox and answers with the
response-time figures, the public hazard reports (leads) with the way into an incident, and articles."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import get_scoped_or_404
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.web import page_of, run_service
from yingji.portal import selectors, services
from yingji.portal.forms import AnswerForm, ArticleForm, DismissForm, LeadIncidentForm
from yingji.portal.models import Article, Lead, LeadStatus, QuestionStatus


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
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


def questions(request: HttpRequest) -> HttpResponse:
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


def question(request: HttpRequest, question_id: int) -> HttpResponse:
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


def leads(request: HttpRequest) -> HttpResponse:
    _need(request, "portal.view_lead")
    status = request.GET.get("status") or None
    if status not in LeadStatus.values:
        status = None
    page, query = page_of(request, selectors.lead_list(user=request.user, status=status))
    return render(
        request, "portal/leads.html", {"page": page, "query": query, "status": status, "statuses": LeadStatus.choices}
    )


def _lead(request: HttpRequest, lead_id: int) -> Lead:
    _need(request, "portal.view_lead")
    return get_scoped_or_404(Lead.objects.select_related("org", "incident"), request.user, lead_id)


def lead(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _lead(request, lead_id)
    return render(
        request,
        "portal/lead.html",
        {"lead": lead, "incident_form": LeadIncidentForm(), "dismiss_form": DismissForm()},
    )


@require_POST
def lead_action(request: HttpRequest, lead_id: int, action: str) -> HttpResponse:
    lead = _lead(request, lead_id)
    if action == "review":
        run_service(request, None, lambda: services.lead_review(by=request.user, lead=lead))
    elif action == "dismiss":
        form = DismissForm(request.POST)
        if form.is_valid():
            run_service(request, form, lambda: services.lead_dismiss(by=request.user, lead=lead, **form.cleaned_data))
        else:
            return render(
                request, "portal/lead.html", {"lead": lead, "incident_form": LeadIncidentForm(), "dismiss_form": form}
            )
    elif action == "incident":
        form = LeadIncidentForm(request.POST)
        outcome = None
        if form.is_valid():
            outcome = run_service(
                request, form, lambda: services.lead_to_incident(by=request.user, lead=lead, **form.cleaned_data)
            )
        if not outcome:
            return render(
                request, "portal/lead.html", {"lead": lead, "incident_form": form, "dismiss_form": DismissForm()}
            )
        return redirect("incidents:detail", outcome.value[1].pk)
    else:
        raise Http404
    return redirect("portal:lead", lead_id=lead.pk)


def lead_photo(request: HttpRequest, lead_id: int) -> FileResponse:
    lead = _lead(request, lead_id)
    if not lead.photo:
        raise Http404
    path = (Path(settings.MEDIA_ROOT) / lead.photo).resolve()
    if not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type=f"image/{lead.photo_type}")


def articles(request: HttpRequest) -> HttpResponse:
    _need(request, "portal.view_article")
    page, query = page_of(request, selectors.article_list(user=request.user))
    return render(request, "portal/articles.html", {"page": page, "query": query})


def _home_unit(request: HttpRequest) -> OrgUnit:
    org = request.user.org
    if org is None:
        org = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).first()
    return org


def article_edit(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    article = get_scoped_or_404(Article, request.user, article_id) if article_id else None
    _need(request, "portal.change_article" if article else "portal.add_article")
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ARTICLE_FIELDS}
        if article is None:
            outcome = run_service(
                request, form, lambda: services.article_create(by=request.user, org=_home_unit(request), **data)
            )
        else:
            fresh = Article.objects.get(pk=article.pk)
            outcome = run_service(
                request, form, lambda: services.article_update(by=request.user, article=fresh, **data)
            )
        if outcome:
            return redirect("portal:articles")
    return render(request, "portal/article_form.html", {"form": form, "article": article})


@require_POST
def article_status(request: HttpRequest, article_id: int, status: str) -> HttpResponse:
    article = get_scoped_or_404(Article, request.user, article_id)
    run_service(request, None, lambda: services.article_set_status(by=request.user, article=article, status=status))
    return redirect("portal:articles")
