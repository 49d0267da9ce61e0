from django.urls import path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.question_list, name="questions"),
    path("ask/", views.ask, name="ask"),
    path("preview/", views.preview, name="preview"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("<int:pk>/", views.question_detail, name="question"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/edit/", views.edit_question, name="edit_question"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/revisions/", views.revisions, name="question_revisions"),
    path("answers/<int:pk>/edit/", views.edit_answer, name="edit_answer"),
    path(
        "answers/<int:pk>/revisions/",
        views.revisions,
        {"kind": "answer"},
        name="answer_revisions",
    ),
    path("flag/<str:kind>/<int:pk>/", views.flag, name="flag"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/lock/", views.lock, name="lock"),
    path("<int:pk>/hide/", views.hide, name="hide"),
    path("<int:pk>/unhide/", views.unhide, name="unhide"),
    path("<int:pk>/audience/", views.change_audience, name="audience"),
    path("redact/<slug:kind>/<int:pk>/", views.redact, name="redact"),
    path("<int:pk>/merge/", views.merge, name="merge"),
]

# A member's page as others see it, at /people/<id>/ (config/urls.py): the forum's, since
# it lists what they wrote.
people_urlpatterns = ([path("<int:pk>/", views.person, name="person")], "people")
