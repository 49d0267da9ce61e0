"""Where higher apps add to the question page without the forum importing them
(docs/architecture.md: a lower layer exposes a hook, a higher one fills it).

A higher app registers a function for one of these names with `wagtail.hooks.register`
in its `wagtail_hooks.py` (Wagtail loads those at start-up); the forum calls every
registered function in turn and joins what they return.
"""

from wagtail import hooks

# fn(question) -> list of {"title", "url"}: the public pages that feature this thread
# ("Featured in <guide>"). Shown inside the cached thread, so it may depend only on the
# thread: the app that registers it calls `forum.services.touch_threads` whenever its
# answer for a thread changes.
FEATURED_IN = "canvass_thread_featured_in"

# fn(request, question) -> list of safe HTML (rendered templates): panels for this viewer beside
# the thread, outside its cached parts (the editors' "Promote to guide"). Visitors' cached
# pages are stored without calling it again, so it must give a visitor nothing.
THREAD_PANELS = "canvass_thread_panels"

# fn(request, topic) -> list of safe HTML: panels for this viewer on a topic's list of
# questions (the notifications' "Follow this topic"). Nothing for a visitor.
TOPIC_PANELS = "canvass_topic_panels"

# fn(user, question) -> list of questions this reader may read that are like this one.
SIMILAR_QUESTIONS = "canvass_similar_questions"


def collect(name: str, *args) -> list:
    """Everything the functions registered for ``name`` return, in registration order."""
    found = []
    for function in hooks.get_hooks(name):
        found.extend(function(*args))
    return found
