from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from . import fruitless, queue
from .forms import SearchForm, SimilarForm
from .queries import FACET_PARAMETERS, similar_questions
from .queries import search as run_search


@require_GET
def search(request):
    form = SearchForm(request.GET or None, signed_in=request.user.is_authenticated)
    outcome = None
    if form.is_bound:
        form.is_valid()  # errors are shown beside their fields; the valid filters still apply
        if form.is_search():
            outcome = run_search(
                request.user,
                form.cleaned_data.get("q", ""),
                form.filters(),
                sort=form.cleaned_data.get("sort") or "relevance",
                page_number=_page_number(request),
            )
            _link_facets(request, outcome)
            if outcome.page is None and not outcome.unavailable:
                fruitless.record(form.cleaned_data.get("q") or "")
    return render(request, "search/search.html", {"form": form, "outcome": outcome})


def _link_facets(request, outcome) -> None:
    """Each facet value's link: this search with the value chosen (or, when it is, without
    it), from the first page."""
    for name, values in outcome.facets.items():
        parameter = FACET_PARAMETERS[name]
        for value in values:
            query = request.GET.copy()
            query.pop("page", None)
            query.pop(parameter, None)
            if not value.selected:
                query[parameter] = value.value
            value.url = f"?{query.urlencode()}"


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


@require_GET
def similar(request):
    """Questions like the title being typed on the ask page, as JSON: the reader's own
    permissions apply, and only titles, links and whether each is solved are sent, with
    the sentence that announces how many there are (plural forms differ by language)."""
    form = SimilarForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    questions = similar_questions(request.user, form.cleaned_data["title"])
    return JsonResponse(
        {
            "found": ngettext(
                "%(count)d similar question found",
                "%(count)d similar questions found",
                len(questions),
            )
            % {"count": len(questions)},
            "questions": [
                {
                    "title": question.title,
                    "url": question.get_absolute_url(),
                    "solved": question.accepted_answer_id is not None,
                    "answers": question.answer_count,
                }
                for question in questions
            ],
        }
    )


@require_GET
def health(request):
    """The index's state and the queue's length, for monitoring: 200 when search works,
    503 when it is catching up."""
    report = queue.status()
    healthy = report["index"]["state"] == "ok"
    return JsonResponse(report, status=200 if healthy else 503)
