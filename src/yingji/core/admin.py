"""Admin pages for the org tree, users, tokens, sign-in attempts and the (read-only) audit log."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from yingji.core import services
from yingji.core.audit import audit_append, audit_verify
from yingji.core.errors import NotAllowed
from yingji.core.models import (
    ApiToken,
    AuditEntry,
    ChannelConfig,
    Delivery,
    LoginAttempt,
    OrgUnit,
    OutboxMessage,
    RateCounter,
    Subscription,
    User,
)
from yingji.core.notify import retry_deliveries
from yingji.core.roles import GROUP_NAMES


def _actor(request: HttpRequest) -> User:
    """Whoever uses the admin: a signed-in staff user."""
    assert isinstance(request.user, User)
    return request.user


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "industry", "illustrative", "active")
    list_filter = ("kind", "industry", "illustrative", "active")
    search_fields = ("name", "code", "address")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "created_at", "updated_at")
    list_per_page = 50

    def has_delete_permission(self, request: HttpRequest, obj: OrgUnit | None = None) -> bool:
        return False  # units are archived (active = no), never deleted

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        fields = {f: form.cleaned_data[f] for f in services.ORG_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.org_update(by=_actor(request), org=obj, **fields)
        else:
            saved = services.org_create(by=_actor(request), **fields)
        obj.pk, obj.path = saved.pk, saved.path


@admin.register(User)
class YingjiUserAdmin(UserAdmin):
    """Users. Rights change only through roles, only by a security administrator (`core.grant_role`), never on
    one's own account, and superuser status only by a superuser (三权分立); every change goes through
    `services.user_change_access` and is audited."""

    list_display = ("username", "last_name", "first_name", "org", "is_active", "is_staff", "last_login")
    list_filter = ("groups", "is_active", "is_staff", "org__kind")
    autocomplete_fields = ("org",)
    fieldsets = (
        *(UserAdmin.fieldsets or ())[:1],
        (_("Organisation"), {"fields": ("org", "phone")}),
        *(UserAdmin.fieldsets or ())[1:],
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "org", "groups", "password1", "password2")}),)
    actions = ["reset_second_factor"]

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # people leave: deactivate them so the audit trail keeps pointing at them

    def has_grant_role_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.grant_role")

    @admin.action(description=_("Remove the second factor (lost phone)"), permissions=["grant_role"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                services.mfa_reset(by=_actor(request), user=user)
            except NotAllowed as exc:
                self.message_user(request, f"{user}: {exc.detail}", messages.ERROR)
        self.message_user(request, _("Done: they set up a new authenticator at their next sign-in."), messages.SUCCESS)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and not request.user.has_perm("core.grant_role"):
            # Whoever may not grant roles creates users without any.
            return ((None, {"classes": ("wide",), "fields": ("username", "org", "password1", "password2")}),)
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        readonly = set(super().get_readonly_fields(request, obj))
        if obj is None:
            return tuple(readonly)
        # Rights come from roles only: no permission is granted to a person directly.
        readonly |= {"user_permissions", "last_login", "date_joined"}
        if obj.pk == request.user.pk:
            readonly |= {"groups", "is_superuser", "is_staff", "is_active"}
        if not request.user.has_perm("core.grant_role"):
            readonly |= {"groups", "is_superuser", "is_staff"}
        if not request.user.is_superuser:
            readonly.add("is_superuser")
        return tuple(sorted(readonly))

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        access = {f: form.cleaned_data[f] for f in ("is_superuser", "is_staff", "is_active") if f in form.cleaned_data}
        with transaction.atomic():
            if change:
                # The form set the access fields on the object; they are applied by the service below instead.
                stored = User.objects.get(pk=obj.pk)
                for field in access:
                    setattr(obj, field, getattr(stored, field))
            super().save_model(request, obj, form, change)
            if not change:
                services.password_reset_record(by=_actor(request), user=obj)
            audit_append(
                actor=_actor(request),
                action="core.user.update" if change else "core.user.create",
                obj=obj,
                summary=f"{'修改' if change else '新建'}用户 {obj.username}",
                payload={"changed": sorted(set(form.changed_data) - set(access) - {"groups"})},
            )
            if change and access:
                try:
                    services.user_change_access(by=_actor(request), user=obj, **access)
                except NotAllowed as exc:
                    raise PermissionDenied(exc.detail) from None
                obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        groups = form.cleaned_data.pop("groups", None)
        form.cleaned_data.pop("user_permissions", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            names = {name: role for role, name in GROUP_NAMES.items()}
            roles = [names[g.name] for g in groups if g.name in names]
            try:
                services.user_change_access(by=_actor(request), user=form.instance, roles=roles)
            except NotAllowed as exc:
                raise PermissionDenied(exc.detail) from None

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        target = self.get_object(request, unquote(id))
        if target is not None and target.pk == request.user.pk:
            raise PermissionDenied(_("Change your own password on your account page."))
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302 and target is not None:
                services.password_reset_record(by=_actor(request), user=target)
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.token_revoke(by=_actor(request), token=token)
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "ip", "succeeded")
    list_filter = ("succeeded",)
    search_fields = ("username", "ip")
    date_hierarchy = "at"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, newest first, with the chain's state above it."""

    list_display = ("seq", "at", "actor_name", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "actor_name", "object_id", "action")
    date_hierarchy = "at"
    list_per_page = 100

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        report = audit_verify()
        if report.ok:
            self.message_user(
                request, _("Audit chain intact: %(n)d entries.") % {"n": report.entries}, messages.SUCCESS
            )
        else:
            self.message_user(
                request, _("Audit chain broken: %(problem)s") % {"problem": report.problem}, messages.ERROR
            )
        return super().changelist_view(request, extra_context)


@admin.register(ChannelConfig)
class ChannelConfigAdmin(admin.ModelAdmin):
    """Webhook channels: the SMS gateway and WeChat Work group robots, each a URL and a JSON body template."""

    list_display = ("name", "kind", "url", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("name", "url")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "topic", "owner", "role", "org", "webhook", "min_level", "active")
    list_filter = ("topic", "role", "min_level", "active")
    search_fields = ("name", "owner__username", "org__name")
    autocomplete_fields = ("owner", "org", "streets")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "topic", "title", "object_type", "object_id")
    list_filter = ("topic",)
    search_fields = ("title",)
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Per-recipient delivery status; dead rows can be sent again."""

    list_display = ("id", "message", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("address", "message__title", "last_error")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    list_select_related = ("message",)
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the selected deliveries again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        changed = retry_deliveries(queryset)
        self.message_user(request, _("%(n)d deliveries queued again.") % {"n": changed}, messages.SUCCESS)


@admin.register(RateCounter)
class RateCounterAdmin(ReadOnlyAdmin):
    list_display = ["scope", "key", "window_start", "count"]
    list_filter = ["scope"]
