from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Guides, toolkits and pages"

    def ready(self):
        from . import signals

        signals.connect()
