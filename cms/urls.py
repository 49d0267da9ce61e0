"""The editors' doors on the site (the admin's are registered in `wagtail_hooks.py`)."""

from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path("promote/<int:pk>/", views.promote_question, name="promote"),
]
