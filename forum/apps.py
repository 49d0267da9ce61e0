from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Questions and answers"

    def ready(self):
        from accounts import signals as account_signals

        from . import receivers

        # Sent inside the account's transaction (see accounts/signals.py): the bylines
        # change with the name, or not at all.
        account_signals.byline_changed.connect(receivers.carry_byline)
        account_signals.account_deleted.connect(receivers.detach_posts)
