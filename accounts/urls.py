from django.urls import path

from . import offices, views

app_name = "accounts"
urlpatterns = [
    path("verification/", views.request_verification, name="verification"),
    path("profile/", views.profile, name="profile"),
    path("export/<str:fmt>/", views.download, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("offices/", offices.office_suggestions, name="offices"),
]

# "Offices like mine", at /offices/ (config/urls.py).
offices_urlpatterns = (
    [path("like-mine/", views.offices_like_mine, name="like_mine")],
    "offices",
)
