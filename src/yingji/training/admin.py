"""Admin of training, the base and the hall: for looking things up; changes go through the services."""

from django.contrib import admin

from yingji.core.admin import ReadOnlyAdmin
from yingji.training.models import Booking, Certificate, Course, Facility, HallBooking, HallSlot, Question, QuizAttempt


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "audience", "hours", "certificate_months", "active")
    list_filter = ("audience",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "holder", "org", "course", "issued_on", "expires_on", "status")
    list_filter = ("status", "course")
    search_fields = ("number", "holder")
    list_select_related = ("org", "course")


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "capacity", "active")


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("facility", "org", "starts_at", "ends_at", "people", "status")
    list_filter = ("status", "facility")
    list_select_related = ("facility", "org")


@admin.register(HallSlot)
class HallSlotAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "ends_at", "capacity", "active")


@admin.register(HallBooking)
class HallBookingAdmin(ReadOnlyAdmin):
    list_display = ("slot", "group_name", "group_kind", "visitors", "code", "status")
    list_filter = ("status", "group_kind")
    list_select_related = ("slot",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("topic", "text", "active")
    list_filter = ("topic",)
    search_fields = ("text",)


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "topic", "correct", "total", "score")
    list_filter = ("topic",)
