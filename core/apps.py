from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .sites import follow_base_url

        # Every `migrate` (`make run`, a deployment) points the Wagtail site at the base URL.
        post_migrate.connect(follow_base_url, sender=self, dispatch_uid="core.site-address")
