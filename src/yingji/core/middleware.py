from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import redirect

from yingji.core.audit import current_address
from yingji.core.backends import client_ip
from yingji.core.passwords import password_expired

# Pages a user who must change their password or set up a second factor may still open.
ACCOUNT_PATHS = ("/account/password/", "/account/mfa/", "/logout/", "/login/", "/static/", "/i18n/", "/api/")
MFA_ENROL_KEY = "yingji_mfa_enrol_required"


class PagesLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user; the API answers 401 itself and static files are public."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(("/api/", "/static/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestAddressMiddleware:
    """Remember the request's source address for the audit entries written while serving it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = current_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)


class AccountPolicyMiddleware:
    """A signed-in user whose password was set by someone else or has expired goes to the change page first; an
    administrator who signed in without a second factor goes to set one up first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith(ACCOUNT_PATHS):
            if password_expired(user):
                return redirect("core:password-change")
            if request.session.get(MFA_ENROL_KEY):
                return redirect("core:mfa")
        return self.get_response(request)
