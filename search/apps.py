from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "canvass_search"
    verbose_name = "Search"

    def ready(self):
        from django.conf import settings
        from django.core.signals import request_started

        from . import signals, vocabulary, worker

        signals.connect()
        vocabulary.connect()
        if settings.SEARCH_INDEX_IN_PROCESS:
            request_started.connect(worker.start, dispatch_uid="search.worker")
