from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from accounts import signals as account_signals
        from forum import signals as forum_signals

        from . import receivers

        # After commit (core.events): fan-out runs in a background task.
        forum_signals.thread_activity.connect(receivers.thread_activity)
        forum_signals.moderation.connect(receivers.moderation)
        account_signals.verification_decided.connect(receivers.verification_decided)
        account_signals.member_moderated.connect(receivers.member_moderated)
        # Inside the deletion's and the merge's transactions: nothing of the person's stays
        # here; follows and inbox items move with the merged thread.
        account_signals.account_deleted.connect(receivers.forget_person)
        forum_signals.threads_merged.connect(receivers.threads_merged)
