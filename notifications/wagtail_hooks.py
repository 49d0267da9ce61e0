from wagtail import hooks

from accounts.export import EXPORT_PARTS
from cohorts.hooks import COHORT_PANELS
from forum import hooks as forum_hooks

from . import export, views

hooks.register(forum_hooks.THREAD_PANELS, views.follow_panel)
hooks.register(forum_hooks.TOPIC_PANELS, views.topic_panel)
hooks.register(COHORT_PANELS, views.cohort_panel, order=40)
hooks.register(EXPORT_PARTS, export.following)
