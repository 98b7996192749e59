from django.apps import apps
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from yingji.api import api
from yingji.core import views as core_views

admin.site.site_header = _("Yingji administration")
admin.site.site_title = _("Yingji")
admin.site.index_title = _("Registries and settings")

urlpatterns = [
    path("", core_views.workbench, name="workbench"),
    path("login/", core_views.SignInView.as_view(), name="login"),
    path("login/otp/", core_views.sign_in_otp, name="login-otp"),
    # The admin signs in through the same page: lockout, second factor and audit in one place.
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("admin/logout/", core_views.SignOutView.as_view()),
    path("logout/", core_views.SignOutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("public/", include("yingji.portal.public_urls")),
    path("dashboard/", include("yingji.analytics.dashboard_urls")),
    path("", include("yingji.core.urls")),
]
# Every other app of ours with a `urls` module serves its pages under /<app label>/.
urlpatterns += [
    path(f"{app.label}/", include(f"{app.name}.urls"))
    for app in apps.get_app_configs()
    if app.name.startswith("yingji.") and app.name != "yingji.core" and module_has_submodule(app.module, "urls")
]
