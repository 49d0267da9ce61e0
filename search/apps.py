from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "canvass_search"
    verbose_name = "Search"
