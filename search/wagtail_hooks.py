"""The election vocabulary in the admin: editors and moderators add acronyms and synonyms
("Search terms"); searches use a change within a minute."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from forum import hooks as forum_hooks

from . import similar
from .models import SearchTerm


@hooks.register(forum_hooks.SIMILAR_QUESTIONS)
def similar_to_thread(user, question):
    """ "Similar questions" beside a thread, as its reader may read them."""
    return similar.for_thread(user, question)


class SearchTermViewSet(SnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = _("Search terms")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["term", "expansion", "synonyms"]
    ordering = ["term"]
    panels = [FieldPanel("term"), FieldPanel("expansion"), FieldPanel("synonyms")]


register_snippet(SearchTermViewSet)
