"""Admin pages of analytics. Targets, budget lines, fund entries and awards are added through the services
(audited); nothing is changed or deleted here (a fund correction is a new entry). Reports are read-only."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yingji.analytics import services
from yingji.analytics.models import BudgetLine, ControlTarget, FundEntry, Report, RewardAward
from yingji.core.admin import ReadOnlyAdmin


class AddThroughServiceAdmin(admin.ModelAdmin):
    """Adds a row by calling `add(by=, **fields)`; existing rows are read-only."""

    fields_for_service: tuple[str, ...] = ()
    renamed: dict[str, str] = {}
    list_per_page = 50

    # The service that adds a row: keyword-only, `by` the admin user and the form's fields.
    add: Callable[..., Any]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {self.renamed.get(f, f): form.cleaned_data[f] for f in self.fields_for_service}
        obj.pk = type(self).add(by=request.user, **values).pk


@admin.register(ControlTarget)
class ControlTargetAdmin(AddThroughServiceAdmin):
    list_display = ("year", "org", "indicator", "limit", "set_by", "updated_at")
    list_filter = ("year", "indicator")
    fields = fields_for_service = ("year", "indicator", "org", "limit", "note")
    add = staticmethod(services.target_set)


@admin.register(BudgetLine)
class BudgetLineAdmin(AddThroughServiceAdmin):
    list_display = ("year", "code", "name", "amount_yuan", "rewards", "org")
    list_filter = ("year", "rewards")
    fields = fields_for_service = ("year", "code", "name", "amount_yuan", "rewards", "org", "note")
    add = staticmethod(services.budget_line_create)


@admin.register(FundEntry)
class FundEntryAdmin(AddThroughServiceAdmin):
    list_display = ("date", "line", "kind", "project", "amount_yuan", "created_by")
    list_filter = ("kind", "line__year")
    fields = fields_for_service = ("line", "kind", "project", "amount_yuan", "date", "note")
    renamed = {"date": "on"}
    add = staticmethod(services.fund_entry_add)


@admin.register(RewardAward)
class RewardAwardAdmin(AddThroughServiceAdmin):
    list_display = ("date", "line", "recipient", "reason", "amount_yuan")
    fields = fields_for_service = ("line", "recipient", "reason", "amount_yuan", "date")
    renamed = {"date": "on"}
    add = staticmethod(services.reward_award)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "kind", "period", "org", "status", "progress", "requested_by", "finished_at")
    list_filter = ("kind", "status")
