from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("verification/", views.request_verification, name="verification"),
]
