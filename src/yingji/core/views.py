"""Pages of the foundation: sign-in, the workbench, the org tree, API tokens. Thin: they call selectors
and services."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core import selectors, services
from yingji.core.forms import OrgFilterForm, SignInForm, TokenForm
from yingji.core.models import OrgKind
from yingji.core.notify import notification_list as inbox
from yingji.core.notify import notification_mark_read
from yingji.core.roles import Role, user_roles
from yingji.core.web import page_of


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def workbench(request):
    counts = selectors.org_counts(user=request.user)
    roles = [Role(r).label for r in user_roles(request.user)]
    return render(
        request,
        "core/workbench.html",
        {
            "counts": [
                (OrgKind(kind).label, counts.get(kind, 0))
                for kind in (OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.ENTERPRISE, OrgKind.TEAM)
            ],
            "roles": roles,
        },
    )


def org_list(request):
    form = OrgFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orgs = selectors.org_list(user=request.user, kind=filters.get("kind") or None, q=filters.get("q") or None)
    page, query = page_of(request, orgs)
    return render(request, "core/org_list.html", {"form": form, "page": page, "query": query})


def org_detail(request, org_id: int):
    org = selectors.org_get(user=request.user, org_id=org_id)
    children = selectors.org_list(user=request.user, parent=org.pk)
    return render(request, "core/org_detail.html", {"org": org, "children": children})


def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = services.token_issue(user=request.user, name=form.cleaned_data["name"])
    tokens = selectors.token_list(user=request.user)
    return render(request, "core/token_list.html", {"form": form, "tokens": tokens, "new_token": new_token})


@require_POST
def token_revoke(request, token_id: int):
    token = selectors.token_get(user=request.user, token_id=token_id)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("core:token-list")


def notification_list(request):
    if request.method == "POST":
        notification_mark_read(user=request.user)
        return redirect("core:notification-list")
    page, query = page_of(request, inbox(user=request.user))
    return render(request, "core/notification_list.html", {"page": page, "query": query})
