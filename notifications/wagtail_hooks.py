from wagtail import hooks

from forum import hooks as forum_hooks

from . import views

hooks.register(forum_hooks.THREAD_PANELS, views.follow_panel)
hooks.register(forum_hooks.TOPIC_PANELS, views.topic_panel)
