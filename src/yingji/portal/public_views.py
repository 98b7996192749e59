"""The public portal at /public/: no sign-in, readable without JavaScript, light enough for a weak connection.
Thin: selectors and services do the work; only published, non-exercise content and no personal data."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yingji.core.errors import YingjiError
from yingji.portal import selectors, services
from yingji.portal.api import client_address, read_photo
from yingji.portal.forms import ArticleFilterForm, LeadForm, QuestionForm, ReceiptForm, ShelterSearchForm
from yingji.portal.models import Lead, Question, QuestionCategory
from yingji.portal.places import Place, place_search
from yingji.portal.ratelimit import rate_hit
from yingji.portal.services import RateLimited
from yingji.portal.svgmap import route_svg


def _errors_to_form(form: forms.Form, exc: YingjiError) -> None:
    placed = False
    for field, messages in exc.errors.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


def _too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    minutes = max(1, exc.retry_after_s // 60)
    response = render(request, "portal/public/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(exc.retry_after_s)
    return response


def _public_post(
    request: HttpRequest, form: forms.Form, template: str, receipt_page: str, post: Callable[[], Question | Lead]
) -> HttpResponse:
    """Run a public post from a page: on to its receipt page, the 429 page when the address posted too often, or
    back to the form with the refusal on its fields."""
    try:
        row = post()
    except RateLimited as exc:
        return _too_many(request, exc)
    except YingjiError as exc:
        _errors_to_form(form, exc)
        return render(request, template, {"form": form})
    return redirect(reverse(receipt_page, args=[row.receipt]))


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/public/home.html",
        {
            "cards": selectors.public_warning_cards(),
            "knowledge": selectors.public_articles(kind="knowledge")[:4],
            "news": selectors.public_articles(kind="news")[:3],
            "notices": selectors.public_articles(kind="notice")[:3],
        },
    )


@login_not_required
def warnings(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/public/warnings.html", {"cards": selectors.public_warning_cards()})


@login_not_required
def warning(request: HttpRequest, warning_id: int) -> HttpResponse:
    """One published warning with what to do: the page the Atom feed's entries link to."""
    return render(request, "portal/public/warning.html", {"card": selectors.public_warning_card(warning_id=warning_id)})


@login_not_required
def shelters(request: HttpRequest) -> HttpResponse:
    """Nearest open shelters on foot, from the phone's location (lat/lon) or a typed address or place name."""
    form = ShelterSearchForm(request.GET or None)
    results: list[dict[str, Any]] = []
    found: list[Place] = []
    origin: Place | None = None
    error = ""
    if form.is_valid():
        lat, lon, q = form.cleaned_data["lat"], form.cleaned_data["lon"], form.cleaned_data["q"]
        if lat is None or lon is None:
            found = place_search(q) if q else []
            if found:
                origin = found[0]
                lat, lon = origin.lat, origin.lon
            elif q:
                error = _("No place of that name is known. Try a road, community or street, e.g. 胜阳港.")
        if lat is not None and lon is not None:
            decision = rate_hit(scope="nearest", address=client_address(request))
            if not decision.allowed:
                return _too_many(request, RateLimited(decision))
            try:
                results = selectors.nearest_shelters(lat=lat, lon=lon, limit=5)
            except YingjiError as exc:
                error = exc.detail
            if not results and not error:
                error = _("No open shelter with free places can be reached on foot from here.")
    for row in results:
        row["eta_min"] = max(1, round(row["eta_s"] / 60))
        row["map"] = route_svg(row["route"]["coordinates"])
    return render(
        request,
        "portal/public/shelters.html",
        {"form": form, "results": results, "places": found[1:6], "origin": origin, "error": error},
    )


@login_not_required
def articles(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.public_articles(**{k: v or None for k, v in filters.items()})[:50]
    return render(request, "portal/public/articles.html", {"form": form, "articles": rows})


@login_not_required
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    return render(
        request, "portal/public/article.html", {"article": selectors.public_article_get(article_id=article_id)}
    )


@login_not_required
def faq(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category") or None
    if category not in QuestionCategory.values:
        category = None
    q = (request.GET.get("q") or "")[:100]
    return render(
        request,
        "portal/public/faq.html",
        {
            "faqs": selectors.faq_list(category=category, q=q)[:100],
            "categories": QuestionCategory.choices,
            "category": category,
            "q": q,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _public_post(
            request,
            form,
            "portal/public/ask.html",
            "public:question",
            lambda: services.question_ask(
                address=client_address(request),
                category=data["category"],
                text=data["text"],
                contact=data["contact"],
                honeypot=data["website"],
            ),
        )
    return render(request, "portal/public/ask.html", {"form": form})


@login_not_required
def question(request: HttpRequest, receipt: str) -> HttpResponse:
    return render(request, "portal/public/question.html", {"question": selectors.question_by_receipt(receipt=receipt)})


@login_not_required
def follow(request: HttpRequest) -> HttpResponse:
    """Look up a question or a hazard report by its receipt code."""
    form = ReceiptForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["receipt"].strip().upper()
        target = "public:question" if code.startswith("Q") else "public:report-status"
        return redirect(reverse(target, args=[code]))
    return render(request, "portal/public/follow.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """随手拍: report a hazard with a photo and a place."""
    form = LeadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _public_post(
            request,
            form,
            "portal/public/report.html",
            "public:report-status",
            lambda: services.lead_report(
                address=client_address(request),
                kind=data["kind"],
                description=data["description"],
                lat=data["lat"],
                lon=data["lon"],
                place=data["place"],
                contact=data["contact"],
                photo=read_photo(data.get("photo")),
                honeypot=data["website"],
            ),
        )
    return render(request, "portal/public/report.html", {"form": form})


@login_not_required
def report_status(request: HttpRequest, receipt: str) -> HttpResponse:
    return render(request, "portal/public/report_status.html", {"lead": selectors.lead_by_receipt(receipt=receipt)})
