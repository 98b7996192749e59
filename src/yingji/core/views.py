"""Pages of the foundation: sign-in, the workbench, the org tree, API tokens. Thin: they call selectors
and services."""

import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yingji.core import selectors, services, totp
from yingji.core.backends import client_ip
from yingji.core.forms import OrgFilterForm, OtpForm, PasswordChangeForm, SignInForm, TokenForm
from yingji.core.middleware import MFA_ENROL_KEY
from yingji.core.models import OrgKind, RecoveryCode, User
from yingji.core.notify import notification_list as inbox
from yingji.core.notify import notification_mark_read
from yingji.core.passwords import password_expired
from yingji.core.requests import AuthedRequest
from yingji.core.roles import Role, mfa_required, user_roles
from yingji.core.todos import todos_for
from yingji.core.web import page_of, run_service

# The half-finished sign-in of a user with a second factor: who, how, and until when the code may be given.
PENDING_KEY = "yingji_mfa_pending"
PENDING_S = 300


def _complete_sign_in(request: HttpRequest, user: User, backend: str, method: str) -> None:
    login(request, user, backend=backend)
    services.signin_record(user=user, ip=client_ip(request), method=method)
    if mfa_required(user) and not services.mfa_enabled(user):
        # GB/T 22239-2019 8.1.4.1 d: administrators authenticate with two factors; set one up before anything else.
        request.session[MFA_ENROL_KEY] = True


class SignInView(auth_views.LoginView):
    """Password first; a user with an authenticator then gives its code on the next page."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        backend: str = user.backend  # type: ignore[attr-defined]  # authenticate() marks the user with its backend
        if services.mfa_enabled(user):
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": backend,
                "until": time.time() + PENDING_S,
                "next": self.get_success_url(),
            }
            return redirect("login-otp")
        _complete_sign_in(self.request, user, backend, "password")
        return HttpResponseRedirect(self.get_success_url())


@login_not_required
@never_cache
def sign_in_otp(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if services.is_locked_out(user.get_username(), ip):
            form.add_error(None, _("Too many failed sign-ins: try again later."))
        elif services.mfa_verify(user=user, code=form.cleaned_data["code"], ip=ip):
            del request.session[PENDING_KEY]
            _complete_sign_in(request, user, pending["backend"], "password+otp")
            target = pending.get("next") or settings.LOGIN_REDIRECT_URL
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return redirect(target)
        else:
            form.add_error("code", _("Wrong code."))
    return render(request, "registration/login_otp.html", {"form": form})


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            assert isinstance(request.user, User)
            services.signout_record(user=request.user, ip=client_ip(request))
        return super().post(request, *args, **kwargs)


def account(request: AuthedRequest) -> HttpResponse:
    """The signed-in user's own account: password, second factor, API tokens."""
    return render(
        request,
        "core/account.html",
        {
            "mfa_enabled": services.mfa_enabled(request.user),
            "mfa_required": mfa_required(request.user),
            "password_changed_at": request.user.password_changed_at,
            "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        },
    )


@never_cache
def password_change(request: AuthedRequest) -> HttpResponse:
    """Change one's own password (also where a temporary or expired password sends the user)."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            ),
            success=_("Your password has been changed."),
        )
        if outcome:
            assert outcome.value is not None
            update_session_auth_hash(request, outcome.value)
            return redirect("core:account")
    return render(
        request,
        "core/password_change.html",
        {
            "form": form,
            "expired": password_expired(request.user),
            "history": settings.PASSWORD_HISTORY,
            "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        },
    )


def _qr_svg(uri: str) -> str:
    # Drawn on the server as SVG: no script, no image service.
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff")


@never_cache
def mfa(request: AuthedRequest) -> HttpResponse:
    """Set up, renew or remove the authenticator (TOTP) and its recovery codes."""
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    form = OtpForm(request.POST if action == "confirm" else None)
    codes: list[str] | None = None
    if action == "confirm" and form.is_valid():
        outcome = run_service(request, form, lambda: services.totp_confirm(user=user, code=form.cleaned_data["code"]))
        if outcome:
            codes = outcome.value
            request.session.pop(MFA_ENROL_KEY, None)
            messages.success(request, _("Two-factor sign-in is on."))
    elif action == "renew":
        outcome = run_service(request, None, lambda: services.recovery_codes_renew(user=user))
        codes = outcome.value if outcome else None
    elif action == "remove":
        if run_service(request, None, lambda: services.mfa_reset(by=user, user=user), success=_("Removed.")):
            return redirect("core:account")
    enabled = services.mfa_enabled(user)
    context: dict[str, Any] = {"form": form, "enabled": enabled, "codes": codes, "required": mfa_required(user)}
    if enabled:
        context["codes_left"] = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    else:
        device = services.totp_begin(user=user)
        uri = totp.provisioning_uri(device.secret, account=user.get_username(), issuer="Yingji")
        context |= {"secret": device.secret, "qr": mark_safe(_qr_svg(uri))}  # noqa: S308 - segno's own SVG
    return render(request, "core/mfa.html", context)


def workbench(request: AuthedRequest) -> HttpResponse:
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
            "todos": todos_for(request.user),
        },
    )


def org_list(request: AuthedRequest) -> HttpResponse:
    form = OrgFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orgs = selectors.org_list(user=request.user, kind=filters.get("kind") or None, q=filters.get("q") or None)
    page, query = page_of(request, orgs)
    return render(request, "core/org_list.html", {"form": form, "page": page, "query": query})


def org_detail(request: AuthedRequest, org_id: int) -> HttpResponse:
    org = selectors.org_get(user=request.user, org_id=org_id)
    children = selectors.org_list(user=request.user, parent=org.pk)
    return render(request, "core/org_detail.html", {"org": org, "children": children})


def token_list(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = services.token_issue(user=request.user, name=form.cleaned_data["name"])
    tokens = selectors.token_list(user=request.user)
    return render(request, "core/token_list.html", {"form": form, "tokens": tokens, "new_token": new_token})


@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = selectors.token_get(user=request.user, token_id=token_id)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("core:token-list")


def notification_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        notification_mark_read(user=request.user)
        return redirect("core:notification-list")
    page, query = page_of(request, inbox(user=request.user))
    return render(request, "core/notification_list.html", {"page": page, "query": query})
