"""The editors' views: "Promote to guide" on the site's question page, and in the Wagtail
admin (hooked up in `wagtail_hooks.py`) the list of threads to promote and the editors'
report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_editor
from forum.models import Question

from . import editorial, promotion

SEARCH_MAX = 100


def _promote(request, question: Question, *, failure_url: str):
    """Promote ``question`` for the editor and send them to the draft in the admin, or
    back to ``failure_url`` with the reason when the service refuses."""
    try:
        guide = promotion.promote_to_guide(
            question=question,
            editor=request.user,
            confirm_public=request.POST.get("confirm_public") == "yes",
        )
    except promotion.PromotionError as error:
        messages.error(request, str(error))
        return redirect(failure_url)
    messages.success(
        request,
        _("A draft guide was made from “%(title)s”: edit it, then submit it for review.")
        % {"title": question.title},
    )
    return redirect("wagtailadmin_pages:edit", guide.pk)


def _check_editor(request) -> None:
    if not is_editor(request.user):
        raise PermissionDenied(_("Only editors promote threads to guides."))


def _readable_question(request, pk: int) -> Question:
    """A thread the editor may read (else 404); the service refuses one that is hidden or
    has no accepted answer."""
    return get_object_or_404(Question.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def promote_question(request, pk: int):
    """From the question page. Editors only: 403 for anyone else, whatever the thread."""
    _check_editor(request)
    question = _readable_question(request, pk)
    return _promote(request, question, failure_url=question.get_absolute_url())


# ---- In the Wagtail admin (its URLs require the "access admin" permission) -----------


def promote_list(request):
    """Threads with an accepted answer that no guide was promoted from yet, newest first,
    searchable by title."""
    _check_editor(request)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    questions = promotion.promotable_questions(request.user).filter(guides__isnull=True)
    if query:
        questions = questions.filter(title__icontains=query)
    page = Paginator(
        questions.only(
            "pk",
            "title",
            "visibility",
            "cohort__name",  # a cohort-only thread's tag, and `audience.is_public`
            "is_hidden",
            "held_for_review",
            "created_at",
            "answer_count",
        )
        .select_related("cohort")
        .order_by("-created_at", "-pk"),
        promotion.PROMOTE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    for question in page.object_list:  # the one rule, not a copy of it in the template
        question.needs_confirmation = promotion.needs_public_confirmation(question)
    return TemplateResponse(
        request,
        "cms/admin/promote_list.html",
        {"page": page, "query": query, "can_confirm": promotion.can_confirm_public(request.user)},
    )


@require_POST
def promote_from_admin(request, pk: int):
    _check_editor(request)
    question = _readable_question(request, pk)
    return _promote(request, question, failure_url=reverse("cms_promote_list"))


def editors_report(request):
    if not editorial.can_see_editors_report(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "cms/admin/editors_report.html",
        {
            "overdue": editorial.guides_past_review(),
            "topics": editorial.topics_needing_a_guide(),
            "threshold": editorial.TOPIC_QUESTIONS_FOR_A_GUIDE,
        },
    )
