from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("pulse/", views.pulse, name="pulse"),
]
