"""Pages of early warnings: list, detail with map and lifecycle buttons, create/edit/update forms, CAP
import, one's own subscriptions, and the public Atom feed. Thin: selectors and services do the work."""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yingji.core.access import get_scoped_or_404, scoped
from yingji.core.models import OrgUnit, Subscription
from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service
from yingji.warnings import selectors, services
from yingji.warnings.feeds import CurrentWarningsFeed
from yingji.warnings.forms import (
    CancelForm,
    ImportForm,
    NewWarningForm,
    SubscriptionForm,
    WarningFilterForm,
    WarningForm,
)
from yingji.warnings.lifecycle import APPROVE, DRAFT_PERM, IMPORT_PERM, allowed_actions, needs_second_person, perm_for
from yingji.warnings.models import EarlyWarning

# The services name the drawn streets `area_streets`; the form calls them `streets`.
AREA_FIELD = {"area_streets": "streets"}
PREFILL = ("event_type", "level", "headline", "description", "instruction", "exercise")


def warning_list(request: AuthedRequest) -> HttpResponse:
    form = WarningFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    warnings = selectors.warning_list(user=request.user, **{k: v or None for k, v in filters.items()})
    page, query = page_of(request, warnings, per_page=30)
    return render(
        request,
        "warnings/warning_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_draft": request.user.has_perm(DRAFT_PERM),
            "may_import": request.user.has_perm(IMPORT_PERM),
        },
    )


def _street_features(streets: Iterable[OrgUnit]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": s.area, "properties": {"name": s.name}} for s in streets if s.area
        ],
    }


def warning_detail(request: AuthedRequest, warning_id: int) -> HttpResponse:
    warning = selectors.warning_get(user=request.user, warning_id=warning_id)
    # Buttons only for what this person may do to a warning of their own scope.
    in_scope = scoped(EarlyWarning.objects.filter(pk=warning.pk), request.user).exists()
    # The author of a warning under the two-person rule is not offered its approval.
    own_approval = warning.created_by_id == request.user.pk and needs_second_person(
        warning.level, settings.WARNING_TWO_PERSON_LEVELS
    )
    actions = [
        action
        for action in allowed_actions(status=warning.status, msg_type=warning.msg_type, source=warning.source)
        if in_scope
        and request.user.has_perm(perm_for(action, status=warning.status))
        and not (action == APPROVE and own_approval)
    ]
    return render(
        request,
        "warnings/warning_detail.html",
        {
            "warning": warning,
            "streets": warning.streets.all(),
            "actions": actions,
            "cancel_form": CancelForm(),
            "street_areas": _street_features(warning.streets.all()),
            "replaced_by": warning.replaced_by.all(),
        },
    )


def _mine(request: AuthedRequest, warning_id: int) -> EarlyWarning:
    return get_scoped_or_404(EarlyWarning.objects.select_related("org"), request.user, pk=warning_id)


def _warning_form(
    request: AuthedRequest,
    *,
    form_class: type[WarningForm],
    initial: dict[str, Any],
    save: Callable[[dict[str, Any]], EarlyWarning],
    done: str,
    title: str,
    warning: EarlyWarning | None,
) -> HttpResponse:
    """The one flow of the create, edit and update pages: the form over the user's streets, the service called
    with its fields, then the resulting warning's page."""
    streets = selectors.streets_for(user=request.user)
    if request.method == "POST":
        form = form_class(request.POST, streets=streets)
        if form.is_valid():
            fields = {**form.cleaned_data, "effective": form.cleaned_data.get("effective") or None}
            outcome = run_service(request, form, field_map=AREA_FIELD, fn=lambda: save(fields))
            if outcome.value is not None:
                messages.success(request, done)
                return redirect("warnings:detail", outcome.value.pk)
    else:
        form = form_class(initial=initial, streets=streets)
    return render(
        request,
        "warnings/warning_form.html",
        {"form": form, "title": title, "warning": warning, "street_areas": _street_features(streets)},
    )


def warning_create(request: AuthedRequest) -> HttpResponse:
    """Draft a warning; other apps link here with ?event_type=&level=&headline= (and exercise=1 from a drill) to
    suggest one."""
    if not request.user.has_perm(DRAFT_PERM):
        raise PermissionDenied
    return _warning_form(
        request,
        form_class=NewWarningForm,
        initial={name: request.GET[name] for name in PREFILL if request.GET.get(name)},
        save=lambda fields: services.warning_create(by=request.user, **fields),
        done=_("Draft saved: it needs a commander's approval before publication."),
        title=_("New warning"),
        warning=None,
    )


# How an existing warning is revised from its page: the service, the message once done, the page's title.
REVISIONS: dict[str, tuple[Callable[..., EarlyWarning], Promise, Promise]] = {
    "edit": (services.warning_edit, gettext_lazy("Warning saved."), gettext_lazy("Edit warning")),
    # An Update is a new message referencing the published one, drafted from its content.
    "update": (
        services.warning_update,
        gettext_lazy("Update drafted: it needs approval before publication."),
        gettext_lazy("Update warning"),
    ),
}


def warning_revise(request: AuthedRequest, warning_id: int, how: str) -> HttpResponse:
    """Edit a draft or approved warning, or draft an Update of a published one, starting from its content."""
    warning = _mine(request, warning_id)
    service, done, title = REVISIONS[how]
    return _warning_form(
        request,
        form_class=WarningForm,
        initial=WarningForm.initial_for(warning),
        save=lambda fields: service(by=request.user, warning=warning, **fields),
        done=str(done),
        title=str(title),
        warning=warning,
    )


ACTIONS: dict[str, tuple[Callable[..., EarlyWarning], Promise]] = {
    "approve": (services.warning_approve, gettext_lazy("Warning approved.")),
    "publish": (services.warning_publish, gettext_lazy("Warning published.")),
}


@require_POST
def warning_action(request: AuthedRequest, warning_id: int, action: str) -> HttpResponse:
    """Approve, publish or cancel from the detail page."""
    warning = _mine(request, warning_id)
    if action == "cancel":
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        outcome = run_service(
            request,
            None,
            lambda: services.warning_cancel(by=request.user, warning=warning, reason=reason),
            success=_("Warning cancelled."),
        )
        return redirect("warnings:detail", outcome.value.pk if outcome.value is not None else warning.pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    run_service(request, None, lambda: service(by=request.user, warning=warning), success=str(done))
    return redirect("warnings:detail", warning.pk)


def warning_import(request: AuthedRequest) -> HttpResponse:
    """Upload another agency's CAP 1.2 file."""
    if not request.user.has_perm(IMPORT_PERM):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            field_map=AREA_FIELD,
            fn=lambda: services.warning_import(by=request.user, document=form.cleaned_data["document"].read()),
        )
        if outcome.value is not None:
            messages.success(request, _("Warning imported."))
            return redirect("warnings:detail", outcome.value.pk)
    return render(request, "warnings/warning_import.html", {"form": form})


def subscription_list(request: AuthedRequest) -> HttpResponse:
    """A person's own warning subscriptions."""
    streets = selectors.streets_for(user=request.user)
    form = SubscriptionForm(
        request.POST or None, streets=streets, instance=Subscription(owner=request.user, topic=services.TOPIC)
    )
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            field_map=AREA_FIELD,
            fn=lambda: services.subscription_create_own(by=request.user, **form.cleaned_data),
        )
        if outcome:
            messages.success(request, _("Subscribed."))
            return redirect("warnings:subscriptions")
    subscriptions = Subscription.objects.filter(owner=request.user, topic=services.TOPIC).prefetch_related("streets")
    return render(request, "warnings/subscription_list.html", {"form": form, "subscriptions": subscriptions})


@require_POST
def subscription_delete(request: AuthedRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id, owner=request.user)
    services.subscription_delete_own(by=request.user, subscription=subscription)
    messages.success(request, _("Subscription removed."))
    return redirect("warnings:subscriptions")


def _browser_navigation(request: HttpRequest) -> bool:
    """A browser opening the URL asks for text/html; feed readers ask for Atom or anything (*/*)."""
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "application/atom+xml" not in accept


@login_not_required
def feed(request: HttpRequest) -> HttpResponse:
    """The public Atom feed of warnings in force (a fresh Feed per request: it keeps the request). A browser gets
    the same entries as a readable page (browsers show Atom as raw text), with the feed's address to copy."""
    if _browser_navigation(request):
        atom = CurrentWarningsFeed().get_feed(None, request)
        response = render(
            request,
            "warnings/feed.html",
            {"feed": atom.feed, "entries": atom.items, "feed_url": request.build_absolute_uri()},
        )
    else:
        response = CurrentWarningsFeed()(request)
    patch_vary_headers(response, ["Accept"])
    return response
