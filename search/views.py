from django.core.paginator import Paginator
from django.shortcuts import render

from .forms import SearchForm
from .queries import search_guides

RESULTS_PER_PAGE = 20


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["topic"]):
        results = search_guides(text=form.cleaned_data["q"], topic=form.cleaned_data["topic"])
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"form": form, "page": page})
