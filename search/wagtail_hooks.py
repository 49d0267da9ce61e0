"""The election vocabulary in the admin: editors and moderators add acronyms and synonyms
("Search terms"); searches use a change within a minute."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchTerm


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
