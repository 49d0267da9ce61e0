from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("<slug:slug>/", views.space, name="cohort"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/offices/", views.office_add, name="office_add"),
    path(
        "<slug:slug>/manage/offices/<int:office_pk>/remove/",
        views.office_remove,
        name="office_remove",
    ),
    path("<slug:slug>/manage/experts/", views.expert_add, name="expert_add"),
    path(
        "<slug:slug>/manage/experts/<int:user_pk>/remove/",
        views.expert_remove,
        name="expert_remove",
    ),
    path("<slug:slug>/manage/requests/<int:request_pk>/", views.decide, name="decide"),
    path("<slug:slug>/manage/badge/", views.badge, name="badge"),
    path("<slug:slug>/documents/", views.documents, name="documents"),
    path("<slug:slug>/documents/<int:pk>/", views.document, name="document"),
    path("<slug:slug>/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path(
        "<slug:slug>/documents/<int:pk>/v<int:version_pk>/<str:filename>",
        views.document_file,
        name="document_file",
    ),
]
