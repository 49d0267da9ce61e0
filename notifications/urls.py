from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("<int:pk>/", views.open_item, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.email_settings, name="settings"),
    path("follow/<int:pk>/", views.follow_question, name="follow"),
    path("topics/<slug:slug>/", views.follow_topic, name="follow_topic"),
    path("cohorts/<slug:slug>/", views.follow_cohort, name="follow_cohort"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
