from django.urls import path

from . import views

urlpatterns = [
    path("o/<int:org_id>/loop/", views.loop_home, name="loop_home"),
    path("o/<int:org_id>/loop/reminders/", views.loop_reminders, name="loop_reminders"),
    path("o/<int:org_id>/loop/calendar/<int:feed_id>/revoke/", views.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
