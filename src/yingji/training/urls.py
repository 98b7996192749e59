from django.urls import path

from yingji.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("courses/new/", views.course_create, name="course-create"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("attendances/<int:attendance_id>/score/", views.attendance_score, name="score"),
    path("sign-in/<str:code>/", views.sign_in, name="sign-in"),
    path("needs/", views.needs, name="needs"),
    path("certificates/", views.certificates, name="certificates"),
    path("base/", views.base, name="base"),
    path("base/facilities/new/", views.facility_create, name="facility-create"),
    path("base/bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("hall/", views.hall, name="hall"),
    path("hall/bookings/", views.hall_bookings, name="hall-bookings"),
    path("hall/bookings/<int:booking_id>/check-in/", views.hall_check_in, name="hall-check-in"),
    path("hall/quiz/", views.quiz, name="quiz"),
    path("hall/slots/new/", views.hall_slot_create, name="hall-slot-create"),
    path("hall/questions/new/", views.question_create, name="question-create"),
]
