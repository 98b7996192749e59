from django.contrib import admin
from django.http import HttpRequest

from yingji.portal.models import Article, Lead, Question


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "topic", "status", "exercise", "published_at"]
    list_filter = ["kind", "topic", "status", "exercise"]
    search_fields = ["title"]
    # Publishing goes through the service (audit); the admin only reads.
    readonly_fields = [f.name for f in Article._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["receipt", "category", "status", "faq", "asked_at", "answered_at"]
    list_filter = ["category", "status", "faq"]
    search_fields = ["receipt", "text"]
    readonly_fields = [f.name for f in Question._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["receipt", "kind", "org", "status", "reported_at"]
    list_filter = ["kind", "status"]
    search_fields = ["receipt", "description"]
    readonly_fields = [f.name for f in Lead._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
