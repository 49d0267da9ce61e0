from wagtail import hooks

from accounts.export import EXPORT_PARTS
from forum import hooks as forum_hooks

from . import export, views

hooks.register(forum_hooks.THREAD_PANELS, views.follow_panel)
hooks.register(forum_hooks.TOPIC_PANELS, views.topic_panel)
hooks.register(EXPORT_PARTS, export.following)
