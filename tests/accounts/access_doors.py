"""The table of the access matrix (`test_access_matrix.py`): for each URL name the project
serves, the requests tried on it (`Target`) and what each role gets from each.

Expectations come from PRODUCT.md's roles and from `accounts/permissions.py` and
`forum/permissions.py`; `tests/accounts/access.py` holds their vocabulary. Wagtail's own
admin doors need no entry (`is_wagtail_admin_internal`)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.models import HomePage
from forum import services as forum_services
from forum.models import Visibility
from notifications.emails import unsubscribe_token
from notifications.models import OWN_POSTS
from tests import factories
from tests.accounts.access import (
    ADMIN_HOME,
    ADMIN_LOGIN,
    BAD_REQUEST,
    FORBIDDEN,
    HOME,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REAUTHENTICATE,
    TWO_FACTOR_SETUP,
    Redirect,
    RedirectUnder,
    cells,
)
from tests.accounts.access_world import HIDDEN_WORD, MEMBERS_WORD, PRIVATE_WORD, World
from tests.notifications.smtp import forged


@dataclass(frozen=True)
class Target:
    """One concrete request to a door, and what each role gets from it."""

    label: str
    expect: dict
    args: Callable = lambda w: []
    query: str = ""
    method: str = "GET"
    data: Callable | None = None
    path: Callable | None = None  # a literal path instead of reverse(name, args)
    xfail: dict = field(default_factory=dict)  # role -> why this cell is a known defect

    def url(self, name: str, world: World) -> str:
        if self.path is not None:
            return self.path(world)
        return reverse(name, args=self.args(world)) + self.query


def get_only(args=lambda w: []) -> Target:
    """A POST-only view behind @login_required: visitors go to sign in, others get 405."""
    return Target("GET", cells(NOT_ALLOWED, visitor=LOGIN), args=args)


def public_q(w):
    return [w.public_q.pk]


def members_q(w):
    return [w.members_q.pk]


def hidden_q(w):
    return [w.hidden_q.pk]


def unlisted_cohort(w):
    """An unlisted cohort holding the office of the matrix's verified official (the only
    role that belongs to it; moderators read its threads but are not members)."""
    return [w.space.unlisted.slug]


def asker_unsubscribe_token(w):
    """What the asker's emails link to: it stops their email about their own posts."""
    return [unsubscribe_token(w.asker.pk, OWN_POSTS)]


def forged_unsubscribe_token(w):
    return [forged(asker_unsubscribe_token(w)[0])]


def new_comment(w, *, hidden: bool = False):
    """A comment on the public answer, made when a POST's data is built: inside the
    savepoint `check_cell` rolls back, so the world itself keeps no comment."""
    made = factories.comment(w.answerer, answer=w.public_answer, body="We did the same.")
    if hidden:
        forum_services.hide_post(post=made, by=w.people["moderator"])
    return made


MISSING = 999_999
# A forum action that worked redirects to the question, the new question or the answer.
INTO_THE_FORUM = RedirectUnder("/questions/")
# A moderator's page or action on a thread anyone may read; on one only some may read, the
# others are told it does not exist.
ONLY_MODERATORS_ACT = cells(FORBIDDEN, visitor=LOGIN, moderators=OK)
ONLY_MODERATORS_ACT_BEYOND_READERS = cells(
    NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK
)
MODERATORS_POST = cells(FORBIDDEN, visitor=LOGIN, moderators=INTO_THE_FORUM)

# Every /admin/ page for a staff member without two-factor is the set-up page; for a
# person without Wagtail's "access admin" permission it is the admin's sign-in page.
ADMINS_ONLY = cells(
    ADMIN_LOGIN, admin_users=ADMIN_HOME, admin=OK, moderator_no_2fa=TWO_FACTOR_SETUP
)
MODERATORS_ONLY = cells(
    ADMIN_LOGIN, admin_users=ADMIN_HOME, moderators=OK, moderator_no_2fa=TWO_FACTOR_SETUP
)
ADMIN_STAFF = cells(ADMIN_LOGIN, admin_users=OK, moderator_no_2fa=TWO_FACTOR_SETUP)
SIGNED_IN_PAGE = cells(OK, visitor=LOGIN)
PUBLIC_PAGE = cells(OK)

# cohorts (space): who is inside the world's cohorts, who coordinates, what their doors take.
INSIDE_LISTED = cells(NOT_FOUND, readers=OK)  # its members are exactly the readers' roles
INSIDE_UNLISTED = cells(NOT_FOUND, verified=OK, moderators=OK)
COORDINATORS = cells(FORBIDDEN, visitor=LOGIN, verified=OK, admin=OK)
REDIRECT_TO_DOCUMENTS = Redirect("/cohorts/matrix-listed/documents/")


def coordinators_post() -> dict:
    done = Redirect("/cohorts/matrix-listed/manage/")
    return cells(FORBIDDEN, visitor=LOGIN, verified=done, admin=done)


def cohort_office(w):
    return [w.space.listed.slug, w.people["verified"].jurisdiction_id]


def cohort_expert(w):
    return [w.space.listed.slug, w.people["expert"].pk]


def cohort_request(w):
    return [w.space.listed.slug, w.space.join_request.pk]


def cohort_document(w):
    return [w.space.listed.slug, w.space.document.pk]


def cohort_file(w):
    return [*cohort_document(w), w.space.version.pk, w.space.version.filename]


def cohort_upload():
    return SimpleUploadedFile("minutes.txt", b"Minutes of the meeting.")


DOORS: dict[str, list[Target]] = {
    # ---- forum (forum/urls.py) ----
    "forum:questions": [
        Target("list", PUBLIC_PAGE),
        Target("unanswered, by topic", PUBLIC_PAGE, query="?sort=unanswered&solved=no"),
    ],
    "forum:ask": [
        Target("form", cells(FORBIDDEN, visitor=LOGIN, askers=OK)),
        Target(
            "POST a question",
            cells(FORBIDDEN, visitor=LOGIN, askers=INTO_THE_FORUM),
            method="POST",
            data=lambda w: {
                "title": "How long do you keep provisional ballot envelopes?",
                "body": "Our retention schedule is unclear on envelopes; what do you do?",
                "topics": [t.pk for t in factories.topics(1)],
                "visibility": Visibility.PUBLIC,
            },
        ),
    ],
    "forum:preview": [
        get_only(),
        Target(
            "POST",
            cells(FORBIDDEN, visitor=LOGIN, participants=OK),
            method="POST",
            data=lambda w: {"body": "**Preview** me"},
        ),
    ],
    "forum:topic": [
        Target("topic", PUBLIC_PAGE, args=lambda w: [w.topic_slug]),
        Target("missing topic", cells(NOT_FOUND), args=lambda w: ["no-such-topic"]),
    ],
    "forum:question": [
        Target("public", PUBLIC_PAGE, args=public_q),
        Target("members-only", cells(NOT_FOUND, readers=OK), args=members_q),
        Target("hidden", cells(NOT_FOUND, moderators=OK), args=hidden_q),
        Target("missing", cells(NOT_FOUND), args=lambda w: [MISSING]),
    ],
    "forum:answer": [
        get_only(public_q),
        Target(
            "POST on public",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"body": "We publish the schedule a month ahead; it works."},
        ),
        Target(
            "POST on members-only",
            cells(NOT_FOUND, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=members_q,
            method="POST",
            data=lambda w: {"body": "We publish the schedule a month ahead; it works."},
        ),
        Target(
            "POST on hidden",
            cells(NOT_FOUND, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=hidden_q,
            method="POST",
            data=lambda w: {"body": "We publish the schedule a month ahead; it works."},
        ),
    ],
    "forum:edit_question": [
        # The asker is not one of the roles: everyone but moderators edits someone else's.
        Target("public", cells(FORBIDDEN, visitor=LOGIN, moderators=OK), args=public_q),
        Target(
            "members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=members_q,
        ),
        Target("hidden", cells(NOT_FOUND, visitor=LOGIN, moderators=OK), args=hidden_q),
    ],
    "forum:comment": [
        get_only(public_q),
        Target(
            "POST on public",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"body": "Thanks, this is useful."},
        ),
        Target(
            "POST on members-only",
            cells(NOT_FOUND, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=members_q,
            method="POST",
            data=lambda w: {"body": "Thanks, this is useful."},
        ),
    ],
    "forum:vote": [
        get_only(public_q),
        Target(
            "POST up on an answer",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"vote": "up", "answer": w.public_answer.pk},
        ),
        Target(
            "POST up on a hidden answer",
            # Moderators may read it but nobody votes on a hidden post.
            cells(NOT_FOUND, visitor=LOGIN, moderators=FORBIDDEN),
            args=public_q,
            method="POST",
            data=lambda w: {"vote": "up", "answer": w.hidden_answer.pk},
        ),
    ],
    "forum:accept": [
        get_only(public_q),
        Target(
            "POST on someone else's question",
            cells(FORBIDDEN, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"answer": w.public_answer.pk},
        ),
    ],
    "forum:moderate": [
        Target("public", cells(FORBIDDEN, visitor=LOGIN, moderators=OK), args=public_q),
        Target(
            "members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=members_q,
        ),
        Target(
            "hidden",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=hidden_q,
        ),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [MISSING]),
        # The page only shows the forms; each verb has its own door (below).
        Target(
            "POST",
            cells(NOT_ALLOWED, visitor=LOGIN),
            args=public_q,
            method="POST",
            data=lambda w: {"action": "lock"},
        ),
    ],
    "forum:question_revisions": [
        Target("public", PUBLIC_PAGE, args=public_q),
        Target("members-only", cells(NOT_FOUND, readers=OK), args=members_q),
        Target("hidden", cells(NOT_FOUND, moderators=OK), args=hidden_q),
    ],
    "forum:edit_answer": [
        Target(
            "public answer",
            cells(FORBIDDEN, visitor=LOGIN, moderators=OK),
            args=lambda w: [w.public_answer.pk],
        ),
        Target(
            "members-only answer",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=lambda w: [w.members_answer.pk],
        ),
        Target(
            "hidden answer",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=lambda w: [w.hidden_answer.pk],
        ),
    ],
    "forum:answer_revisions": [
        Target("public answer", PUBLIC_PAGE, args=lambda w: [w.public_answer.pk]),
        Target(
            "members-only answer",
            cells(NOT_FOUND, readers=OK),
            args=lambda w: [w.members_answer.pk],
        ),
        Target(
            "hidden answer", cells(NOT_FOUND, moderators=OK), args=lambda w: [w.hidden_answer.pk]
        ),
    ],
    # ---- forum moderation, one door per verb (issue 15) ----
    "forum:close": [
        Target("form", ONLY_MODERATORS_ACT, args=public_q),
        Target("form on members-only", ONLY_MODERATORS_ACT_BEYOND_READERS, args=members_q),
        Target(
            "POST off-topic",
            MODERATORS_POST,
            args=public_q,
            method="POST",
            data=lambda w: {"reason": "off-topic"},
        ),
        Target(
            "POST a duplicate of nothing",
            cells(FORBIDDEN, visitor=LOGIN, moderators=BAD_REQUEST),
            args=public_q,
            method="POST",
            data=lambda w: {"reason": "duplicate"},
        ),
        Target(
            "POST on hidden",
            cells(NOT_FOUND, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=hidden_q,
            method="POST",
            data=lambda w: {"reason": "outdated"},
        ),
        Target(
            "POST on missing",
            cells(NOT_FOUND, visitor=LOGIN),
            args=lambda w: [MISSING],
            method="POST",
            data=lambda w: {"reason": "outdated"},
        ),
    ],
    "forum:reopen": [
        get_only(public_q),
        Target(
            "POST on members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=INTO_THE_FORUM),
            args=members_q,
            method="POST",
        ),
    ],
    "forum:lock": [
        get_only(public_q),
        Target("POST", MODERATORS_POST, args=public_q, method="POST"),
    ],
    "forum:hide": [
        get_only(public_q),
        Target("POST the question", MODERATORS_POST, args=public_q, method="POST"),
        Target(
            "POST an answer",
            MODERATORS_POST,
            args=public_q,
            method="POST",
            data=lambda w: {"answer": w.public_answer.pk},
        ),
        Target(
            "POST a comment",
            MODERATORS_POST,
            args=public_q,
            method="POST",
            data=lambda w: {"comment": new_comment(w).pk},
        ),
        Target(
            "POST another thread's answer",
            cells(FORBIDDEN, visitor=LOGIN, moderators=NOT_FOUND),
            args=public_q,
            method="POST",
            data=lambda w: {"answer": w.members_answer.pk},
        ),
        Target(
            "POST not a number",
            cells(FORBIDDEN, visitor=LOGIN, moderators=BAD_REQUEST),
            args=public_q,
            method="POST",
            data=lambda w: {"comment": "first"},
        ),
        Target(
            "POST on members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=INTO_THE_FORUM),
            args=members_q,
            method="POST",
        ),
    ],
    "forum:unhide": [
        get_only(public_q),
        Target(
            "POST the hidden question",
            cells(NOT_FOUND, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=hidden_q,
            method="POST",
        ),
        Target(
            "POST the hidden answer",
            MODERATORS_POST,
            args=public_q,
            method="POST",
            data=lambda w: {"answer": w.hidden_answer.pk},
        ),
        Target(
            "POST a hidden comment",
            MODERATORS_POST,
            args=public_q,
            method="POST",
            data=lambda w: {"comment": new_comment(w, hidden=True).pk},
        ),
    ],
    "forum:audience": [
        Target("form", ONLY_MODERATORS_ACT, args=public_q),
        Target(
            "POST members-only",
            MODERATORS_POST,
            args=public_q,
            method="POST",
            data=lambda w: {
                "audience-visibility": Visibility.MEMBERS,
                "audience-reason": "Names a warehouse's alarm code.",
            },
        ),
        Target(
            "POST without a reason",
            cells(FORBIDDEN, visitor=LOGIN, moderators=BAD_REQUEST),
            args=public_q,
            method="POST",
            data=lambda w: {"audience-visibility": Visibility.MEMBERS},
        ),
        Target(
            "POST public on members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=INTO_THE_FORUM),
            args=members_q,
            method="POST",
            data=lambda w: {
                "audience-visibility": Visibility.PUBLIC,
                "audience-reason": "Nothing in it is sensitive.",
            },
        ),
    ],
    # ---- redaction (issue 15): moderators only; the post's readers get 403, others 404.
    # Comments go through the same check of their post; tests/forum/test_redaction.py
    # walks them, as the world has none.
    "forum:redact": [
        Target(
            "public question",
            cells(FORBIDDEN, visitor=LOGIN, moderators=OK),
            args=lambda w: ["question", w.public_q.pk],
        ),
        Target(
            "members-only question",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=lambda w: ["question", w.members_q.pk],
        ),
        Target(
            "hidden question",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=lambda w: ["question", w.hidden_q.pk],
        ),
        Target(
            "public answer",
            cells(FORBIDDEN, visitor=LOGIN, moderators=OK),
            args=lambda w: ["answer", w.public_answer.pk],
        ),
        Target(
            "members-only answer",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=lambda w: ["answer", w.members_answer.pk],
        ),
        Target(
            "hidden answer",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=lambda w: ["answer", w.hidden_answer.pk],
        ),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: ["answer", MISSING]),
        Target(
            "not a kind of post",
            cells(NOT_FOUND, visitor=LOGIN),
            args=lambda w: ["vote", w.public_q.pk],
        ),
        Target(
            "POST a redaction",
            cells(FORBIDDEN, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=lambda w: ["question", w.public_q.pk],
            method="POST",
            data=lambda w: {"text": "poll book", "reason": "The access matrix tries it."},
        ),
    ],
    # ---- merge duplicates (forum/urls.py, issue 15): moderators only ----
    "forum:merge": [
        Target("public", cells(FORBIDDEN, visitor=LOGIN, moderators=OK), args=public_q),
        Target(
            "members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=members_q,
        ),
        Target("hidden", cells(NOT_FOUND, visitor=LOGIN, moderators=OK), args=hidden_q),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [MISSING]),
        Target(
            "POST into a members-only thread",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=INTO_THE_FORUM),
            args=lambda w: [w.made_members_q.pk],
            method="POST",
            data=lambda w: {"into": str(w.members_q.pk), "reason": "The same question."},
        ),
        Target(
            "POST into a missing thread",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=BAD_REQUEST),
            args=lambda w: [w.made_members_q.pk],
            method="POST",
            data=lambda w: {"into": str(MISSING), "reason": "The same question."},
        ),
    ],
    # ---- notifications (notifications/urls.py): each person's own inbox and settings ----
    # Each role's inbox holds items about threads made members-only or hidden since: the
    # scan for markers covers them (access_world.py); opening one's own items is
    # test_inbox_items_open_only_while_their_thread_is_readable.
    "notifications:inbox": [
        Target("own inbox", SIGNED_IN_PAGE),
        Target("older items", SIGNED_IN_PAGE, query=f"?before={MISSING}"),
    ],
    "notifications:open": [
        # Someone else's item answers exactly like one that does not exist.
        Target(
            "someone else's item",
            cells(NOT_FOUND, visitor=LOGIN),
            args=lambda w: [w.answerers_item.pk],
        ),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [MISSING]),
    ],
    "notifications:mark_all_read": [
        get_only(),
        Target("POST", cells(Redirect("notifications:inbox"), visitor=LOGIN), method="POST"),
    ],
    "notifications:settings": [
        Target("own settings", SIGNED_IN_PAGE),
        Target(
            "POST",
            cells(Redirect("notifications:settings"), visitor=LOGIN),
            method="POST",
            data=lambda w: {"own_posts": "on", "mentions": "on", "digest": "daily"},
        ),
    ],
    "notifications:follow": [
        get_only(public_q),
        # Following a thread one may not read answers like following one that does not
        # exist, whatever the level asked for.
        *(
            Target(
                f"POST {level or 'no level'} on {label}",
                expect,
                args=args,
                method="POST",
                data=lambda w, level=level: {"level": level},
            )
            for level in ("watching", "")
            for label, args, expect in (
                ("public", public_q, cells(INTO_THE_FORUM, visitor=LOGIN)),
                (
                    "members-only",
                    members_q,
                    cells(NOT_FOUND, visitor=LOGIN, readers=INTO_THE_FORUM),
                ),
                ("hidden", hidden_q, cells(NOT_FOUND, visitor=LOGIN, moderators=INTO_THE_FORUM)),
                ("missing", lambda w: [MISSING], cells(NOT_FOUND, visitor=LOGIN)),
            )
        ),
    ],
    "notifications:follow_topic": [
        get_only(lambda w: [w.topic_slug]),
        *(
            Target(
                f"POST {level or 'not following'}",
                cells(INTO_THE_FORUM, visitor=LOGIN),
                args=lambda w: [w.topic_slug],
                method="POST",
                data=lambda w, level=level: {"level": level},
            )
            for level in ("watching", "")
        ),
        Target(
            "POST on a missing topic",
            cells(NOT_FOUND, visitor=LOGIN),
            args=lambda w: ["no-such-topic"],
            method="POST",
            data=lambda w: {"level": "watching"},
        ),
    ],
    "notifications:follow_cohort": [
        get_only(unlisted_cohort),
        # Only members follow a cohort; to anyone else it answers like one that does not
        # exist, whatever the level asked for.
        *(
            Target(
                f"POST {level or 'not following'}",
                cells(NOT_FOUND, visitor=LOGIN, verified=Redirect("notifications:settings")),
                args=unlisted_cohort,
                method="POST",
                data=lambda w, level=level: {"level": level},
            )
            for level in ("watching", "")
        ),
        Target(
            "POST on a missing cohort",
            cells(NOT_FOUND, visitor=LOGIN),
            args=lambda w: ["no-such-cohort"],
            method="POST",
            data=lambda w: {"level": "watching"},
        ),
    ],
    "notifications:unsubscribe": [
        # The signed token is the proof: no sign-in, and whoever is signed in is irrelevant.
        Target("valid token", PUBLIC_PAGE, args=asker_unsubscribe_token),
        Target(
            "POST one-click with a valid token",
            PUBLIC_PAGE,
            args=asker_unsubscribe_token,
            method="POST",
            data=lambda w: {"List-Unsubscribe": "One-Click"},
        ),
        Target("forged token", cells(NOT_FOUND), args=forged_unsubscribe_token),
        Target(
            "POST one-click with a forged token",
            cells(NOT_FOUND),
            args=forged_unsubscribe_token,
            method="POST",
            data=lambda w: {"List-Unsubscribe": "One-Click"},
        ),
        Target(
            "a deleted account's token",
            cells(NOT_FOUND),
            args=lambda w: [unsubscribe_token(w.deleted.pk, OWN_POSTS)],
        ),
    ],
    # ---- search (search/urls.py) ----
    "search:search": [
        # The page repeats the query, so each protected item is searched for by a word
        # of its own (not by its marker): a marker in the page is a result, not the echo.
        Target("a guide word", PUBLIC_PAGE, query="?q=ballot"),
        Target("the members-only question's word", PUBLIC_PAGE, query=f"?q={MEMBERS_WORD}"),
        Target("the hidden question's word", PUBLIC_PAGE, query=f"?q={HIDDEN_WORD}"),
        Target("the private page's word", PUBLIC_PAGE, query=f"?q={PRIVATE_WORD}"),
        Target("filtered to questions", PUBLIC_PAGE, query=f"?q={MEMBERS_WORD}&kind=question"),
    ],
    "search:similar": [
        Target("like the members-only title", PUBLIC_PAGE, query=f"?title={MEMBERS_WORD}"),
        Target("like the hidden title", PUBLIC_PAGE, query=f"?title={HIDDEN_WORD}+question"),
        Target("without a title", cells(BAD_REQUEST)),
    ],
    "search:health": [Target("report", PUBLIC_PAGE)],
    # ---- pulse (issue 17; reports/urls.py) ----
    # Aggregate figures over every thread, members-only and cohort ones included; titles of
    # public threads only. The leak check searches it for the members-only and hidden markers.
    "reports:pulse": [Target("page", PUBLIC_PAGE)],
    # Email and cache health (core.views): counts only, for monitoring.
    "health": [Target("report", PUBLIC_PAGE)],
    # The election vocabulary, a snippet: editors and moderators keep it.
    "wagtailsnippets_canvass_search_searchterm:list": [Target("list", ADMIN_STAFF)],
    "wagtailsnippets_canvass_search_searchterm:add": [Target("form", ADMIN_STAFF)],
    # ---- web (issue 17): feeds, sitemap and robots.txt (reports/urls.py) ----
    # Everyone gets the same documents, which hold only what a visitor may read: the
    # matrix searches each for the members-only, hidden, private and draft markers.
    **{
        f"reports:{name}_{kind}": targets
        for name, targets in {
            "questions_feed": [Target("feed", PUBLIC_PAGE)],
            "topic_feed": [
                Target("topic", PUBLIC_PAGE, args=lambda w: [w.topic_slug]),
                Target("missing topic", cells(NOT_FOUND), args=lambda w: ["no-such-topic"]),
            ],
            "state_feed": [
                Target("state", PUBLIC_PAGE, args=lambda w: ["az"]),
                Target("no such state", cells(NOT_FOUND), args=lambda w: ["zz"]),
            ],
            "library_feed": [Target("feed", PUBLIC_PAGE)],
            "events_feed": [Target("feed", PUBLIC_PAGE)],
        }.items()
        for kind in ("rss", "atom")
    },
    "reports:sitemap": [Target("index", PUBLIC_PAGE)],
    "reports:sitemap_section": [
        Target("threads", PUBLIC_PAGE, args=lambda w: ["questions"]),
        Target("pages", PUBLIC_PAGE, args=lambda w: ["pages"]),
        Target("no such section", cells(NOT_FOUND), args=lambda w: ["people"]),
    ],
    "reports:robots": [Target("robots.txt", PUBLIC_PAGE)],
    # ---- our account pages (accounts/urls.py) ----
    "accounts:verification": [Target("page", SIGNED_IN_PAGE)],
    "accounts:offices": [
        # JSON for the type-ahead: a visitor gets a 403 in JSON, not the sign-in page.
        Target("search", cells(OK, visitor=FORBIDDEN), query="?state=AZ&q=mari"),
        Target("too short", cells(BAD_REQUEST, visitor=FORBIDDEN), query="?q=m"),
    ],
    "accounts:profile": [Target("own profile", SIGNED_IN_PAGE)],
    # ---- offices like mine (accounts/urls.py offices_urlpatterns, at /offices/) ----
    "offices:like_mine": [Target("page", cells(FORBIDDEN, visitor=LOGIN, verified=OK))],
    # ---- a member's page (forum/urls.py people_urlpatterns, at /people/) ----
    "people:person": [
        # The asker's page lists their questions: a door for members-only and hidden titles.
        # An unconfirmed address reaches it only through the sign-in bypass below.
        Target("the asker", SIGNED_IN_PAGE, args=lambda w: [w.asker.pk]),
        Target("a deleted account", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [w.deleted.pk]),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [MISSING]),
    ],
    "person_old_address": [
        # Its former address (config/urls.py) sends everyone on, whoever it names.
        Target(
            "the asker", cells(RedirectUnder("/people/", code=301)), args=lambda w: [w.asker.pk]
        ),
    ],
    "accounts:export": [
        Target(
            "json",
            SIGNED_IN_PAGE,
            args=lambda w: ["json"],
        ),
        Target(
            "zip",
            SIGNED_IN_PAGE,
            args=lambda w: ["zip"],
        ),
        Target("unknown format", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: ["xml"]),
    ],
    "accounts:delete": [
        Target("confirm page", SIGNED_IN_PAGE),
        Target(
            "POST with a wrong password",
            cells(BAD_REQUEST, visitor=LOGIN),
            method="POST",
            data=lambda w: {"password": "not the password"},
        ),
    ],
    # ---- allauth: account, two-factor, sessions ----
    "account_login": [Target("page", cells(HOME, visitor=OK))],
    "account_logout": [Target("page", cells(OK, visitor=HOME))],
    "account_inactive": [Target("page", PUBLIC_PAGE)],
    "account_signup": [Target("page", cells(HOME, visitor=OK))],
    "account_reauthenticate": [Target("page", SIGNED_IN_PAGE)],
    "account_email": [Target("page", SIGNED_IN_PAGE)],
    "account_email_verification_sent": [Target("page", PUBLIC_PAGE)],
    "account_change_password": [Target("page", SIGNED_IN_PAGE)],
    "account_set_password": [
        # Everyone here has a password, so allauth offers the change form instead.
        Target("page", cells(Redirect("account_change_password"), visitor=LOGIN))
    ],
    "account_reset_password": [Target("page", PUBLIC_PAGE)],
    "account_reset_password_done": [Target("page", PUBLIC_PAGE)],
    "account_reset_password_from_key": [
        Target("bad key", PUBLIC_PAGE, args=lambda w: ["1", "bad-key"])  # says the link is bad
    ],
    "account_reset_password_from_key_done": [Target("page", PUBLIC_PAGE)],
    "account_confirm_email": [Target("bad key", PUBLIC_PAGE, args=lambda w: ["bad-key"])],
    "account_confirm_login_code": [
        # Login by code is off: nobody has a code pending.
        Target("page", cells(HOME, visitor=LOGIN))
    ],
    "mfa_index": [Target("page", SIGNED_IN_PAGE)],
    "mfa_authenticate": [
        # Only in the middle of signing in (after the password, before the code).
        Target("page", cells(HOME, visitor=LOGIN))
    ],
    "mfa_reauthenticate": [
        # Without an authenticator there is no code to ask for: the password instead.
        Target("page", cells(REAUTHENTICATE, visitor=LOGIN, with_totp=OK))
    ],
    "mfa_activate_totp": [
        # allauth asks for the password again first; an unconfirmed address cannot set up
        # two-factor at all.
        Target("page", cells(REAUTHENTICATE, visitor=LOGIN, unconfirmed=Redirect("mfa_index")))
    ],
    "mfa_deactivate_totp": [
        Target("page", cells(NOT_FOUND, visitor=LOGIN, with_totp=REAUTHENTICATE))
    ],
    "mfa_view_recovery_codes": [
        Target("page", cells(NOT_FOUND, visitor=LOGIN, with_totp=REAUTHENTICATE))
    ],
    "mfa_generate_recovery_codes": [Target("page", cells(REAUTHENTICATE, visitor=LOGIN))],
    "mfa_download_recovery_codes": [
        Target("page", cells(NOT_FOUND, visitor=LOGIN, with_totp=REAUTHENTICATE))
    ],
    "usersessions_list": [Target("page", SIGNED_IN_PAGE)],
    # ---- the Wagtail admin: its home, our views (accounts/wagtail_hooks.py), and the
    # ---- flags (issue 15): participants report what they may read; moderators decide ----
    "forum:flag": [
        Target(
            "public answer",
            cells(FORBIDDEN, visitor=LOGIN, participants=OK),
            args=lambda w: ["answer", w.public_answer.pk],
        ),
        Target(
            "public question",
            cells(FORBIDDEN, visitor=LOGIN, participants=OK),
            args=lambda w: ["question", w.public_q.pk],
        ),
        Target(
            "members-only answer",
            cells(NOT_FOUND, visitor=LOGIN, participants=OK),
            args=lambda w: ["answer", w.members_answer.pk],
        ),
        Target(
            "hidden answer",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=lambda w: ["answer", w.hidden_answer.pk],
        ),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: ["answer", MISSING]),
        Target(
            "POST on a public answer",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=lambda w: ["answer", w.public_answer.pk],
            method="POST",
            data=lambda w: {"reason": "spam", "note": ""},
        ),
        Target(
            "POST on a hidden answer",
            cells(NOT_FOUND, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=lambda w: ["answer", w.hidden_answer.pk],
            method="POST",
            data=lambda w: {"reason": "spam", "note": ""},
        ),
    ],
    "forum_flag_queue": [Target("queue", MODERATORS_ONLY)],
    "forum_flag_member_action": [
        Target("a public answer", MODERATORS_ONLY, args=lambda w: ["answer", w.public_answer.pk]),
        Target(
            "POST without a reason",
            {**MODERATORS_ONLY, "moderator": BAD_REQUEST, "admin": BAD_REQUEST},
            args=lambda w: ["answer", w.public_answer.pk],
            method="POST",
            data=lambda w: {"action": "warn", "reason": ""},
        ),
    ],
    "forum_flag_review": [
        Target("a public answer", MODERATORS_ONLY, args=lambda w: ["answer", w.public_answer.pk]),
        Target(
            "missing",
            cells(
                ADMIN_LOGIN,
                admin_users=ADMIN_HOME,
                moderators=NOT_FOUND,
                moderator_no_2fa=TWO_FACTOR_SETUP,
            ),
            args=lambda w: ["answer", MISSING],
        ),
    ],
    # Wagtail doors that matter here: people's emails, groups, the audit log, page editing.
    "wagtailadmin_home": [Target("home", ADMIN_STAFF)],
    "verification_queue": [Target("queue", MODERATORS_ONLY)],
    "verification_review": [
        Target("pending request", MODERATORS_ONLY, args=lambda w: [w.pending_request.pk]),
        Target(
            "missing",
            cells(
                ADMIN_LOGIN,
                admin_users=ADMIN_HOME,
                moderators=NOT_FOUND,
                moderator_no_2fa=TWO_FACTOR_SETUP,
            ),
            args=lambda w: [MISSING],
        ),
        Target(
            "POST approve",
            {
                **MODERATORS_ONLY,
                "moderator": Redirect("verification_queue"),
                "admin": Redirect("verification_queue"),
            },
            args=lambda w: [w.pending_request.pk],
            method="POST",
            data=lambda w: {"decision": "approve", "reason": ""},
        ),
    ],
    "role_list": [Target("list", ADMINS_ONLY)],
    "role_edit": [
        Target("a member", ADMINS_ONLY, args=lambda w: [w.people["member"].pk]),
        Target(
            "a deleted account",
            {**ADMINS_ONLY, "admin": NOT_FOUND},
            args=lambda w: [w.deleted.pk],
        ),
        Target(
            "POST grant expert",
            {**ADMINS_ONLY, "admin": Redirect("role_list")},
            args=lambda w: [w.people["member"].pk],
            method="POST",
            data=lambda w: {"roles": ["Experts"]},
        ),
    ],
    # ---- the editors: promote to guide (cms/urls.py), and in the admin the threads to
    # promote and the editors' report (cms/wagtail_hooks.py). Editors are the Editors group
    # with two-factor, and administrators; Wagtail's PermissionDenied is the admin home.
    "cms:promote": [
        get_only(public_q),
        Target(
            "POST a thread without an accepted answer",
            cells(
                FORBIDDEN,
                visitor=LOGIN,
                editor=INTO_THE_FORUM,
                admin=INTO_THE_FORUM,
            ),
            args=public_q,
            method="POST",
        ),
        Target(
            "POST a members-only thread",
            cells(FORBIDDEN, visitor=LOGIN, editor=NOT_FOUND, admin=INTO_THE_FORUM),
            args=members_q,
            method="POST",
        ),
        Target(
            "POST a hidden thread",
            cells(FORBIDDEN, visitor=LOGIN, editor=NOT_FOUND, admin=INTO_THE_FORUM),
            args=hidden_q,
            method="POST",
        ),
        Target(
            "POST a missing thread",
            cells(FORBIDDEN, visitor=LOGIN, editor=NOT_FOUND, admin=NOT_FOUND),
            args=lambda w: [MISSING],
            method="POST",
        ),
    ],
    "cms_promote_list": [
        Target("list", {**ADMIN_STAFF, "moderator": ADMIN_HOME, "editor": OK, "admin": OK}),
        Target(
            "search",
            {**ADMIN_STAFF, "moderator": ADMIN_HOME, "editor": OK, "admin": OK},
            query=f"?q={MEMBERS_WORD}",
        ),
    ],
    "cms_promote": [
        Target(
            "POST a thread without an accepted answer",
            {
                **ADMIN_STAFF,
                "moderator": ADMIN_HOME,
                "editor": Redirect("cms_promote_list"),
                "admin": Redirect("cms_promote_list"),
            },
            args=public_q,
            method="POST",
        ),
        Target(
            "POST a members-only thread",
            {
                **ADMIN_STAFF,
                "moderator": ADMIN_HOME,
                "editor": NOT_FOUND,
                "admin": Redirect("cms_promote_list"),
            },
            args=members_q,
            method="POST",
        ),
    ],
    "cms_editors_report": [Target("report", ADMIN_STAFF)],
    "wagtailusers_users:index": [Target("every account's email", ADMINS_ONLY)],
    "wagtailusers_users:edit": [
        Target("a member", ADMINS_ONLY, args=lambda w: [w.people["member"].pk])
    ],
    "wagtailusers_groups:index": [Target("groups", ADMINS_ONLY)],
    "wagtailadmin_reports:site_history": [Target("audit log", ADMIN_STAFF)],
    "wagtailadmin_pages:edit": [
        # Wagtail's own "Moderators" group may edit pages (its publishers in the default
        # workflow); see the report.
        Target("home page", ADMIN_STAFF, args=lambda w: [HomePage.objects.get().pk])
    ],
    # Wagtail's own sign-in pages send everyone to allauth's (config/urls.py); what a POST
    # lets through is test_sign_in_doors_require_confirmation_and_2fa.
    "wagtailadmin_login": [Target("page", cells(LOGIN, moderator_no_2fa=TWO_FACTOR_SETUP))],
    "admin_sign_in": [Target("page", cells(LOGIN, moderator_no_2fa=TWO_FACTOR_SETUP))],
    # cohorts (space) ---- cohorts/urls.py and the administrators' cohorts admin ----
    # In the world (`access_world.build_cohort_space`): "verified" coordinates the listed
    # cohort and their office is in both; the expert is added to the listed one. Inside a
    # cohort are its members and moderators; anyone else gets 404 as for a missing cohort.
    "cohorts:list": [Target("list", PUBLIC_PAGE)],
    "cohorts:cohort": [
        Target("listed", PUBLIC_PAGE, args=lambda w: [w.space.listed.slug]),
        Target("unlisted", INSIDE_UNLISTED, args=lambda w: [w.space.unlisted.slug]),
        Target("missing", cells(NOT_FOUND), args=lambda w: ["no-such-cohort"]),
    ],
    "cohorts:join": [
        get_only(args=lambda w: [w.space.listed.slug]),
        # None of the roles is an official of an office outside the cohort: each is told so.
        Target(
            "POST listed",
            cells(BAD_REQUEST, visitor=LOGIN),
            args=lambda w: [w.space.listed.slug],
            method="POST",
            data=lambda w: {"note": "We would like to join."},
        ),
        Target(
            "POST unlisted",
            {
                **INSIDE_UNLISTED,
                "visitor": LOGIN,
                "verified": BAD_REQUEST,
                "moderator": BAD_REQUEST,
                "admin": BAD_REQUEST,
            },
            args=lambda w: [w.space.unlisted.slug],
            method="POST",
            data=lambda w: {"note": "We would like to join."},
        ),
    ],
    "cohorts:members": [
        Target("listed", INSIDE_LISTED, args=lambda w: [w.space.listed.slug]),
        Target("unlisted", INSIDE_UNLISTED, args=lambda w: [w.space.unlisted.slug]),
    ],
    "cohorts:manage": [
        Target("listed", COORDINATORS, args=lambda w: [w.space.listed.slug]),
        Target(
            "unlisted",
            cells(NOT_FOUND, visitor=LOGIN, verified=FORBIDDEN, moderator=FORBIDDEN, admin=OK),
            args=lambda w: [w.space.unlisted.slug],
        ),
    ],
    "cohorts:office_add": [
        get_only(args=lambda w: [w.space.listed.slug]),
        Target(
            "POST an office",
            coordinators_post(),
            args=lambda w: [w.space.listed.slug],
            method="POST",
            data=lambda w: {"jurisdiction": w.answerer.jurisdiction_id},
        ),
    ],
    "cohorts:office_remove": [
        Target("confirm", COORDINATORS, args=cohort_office),
        Target("POST", coordinators_post(), args=cohort_office, method="POST"),
    ],
    "cohorts:expert_add": [
        get_only(args=lambda w: [w.space.listed.slug]),
        Target(
            "POST an expert already in",
            {**coordinators_post(), "verified": BAD_REQUEST, "admin": BAD_REQUEST},
            args=lambda w: [w.space.listed.slug],
            method="POST",
            data=lambda w: {"email": w.people["expert"].email},
        ),
    ],
    "cohorts:expert_remove": [
        get_only(args=cohort_expert),
        Target("POST", coordinators_post(), args=cohort_expert, method="POST"),
    ],
    "cohorts:decide": [
        get_only(args=cohort_request),
        Target(
            "POST approve",
            coordinators_post(),
            args=cohort_request,
            method="POST",
            data=lambda w: {f"request-{w.space.join_request.pk}-decision": "approve"},
        ),
    ],
    "cohorts:badge": [
        get_only(args=lambda w: [w.space.listed.slug]),
        Target(
            "POST",
            coordinators_post(),
            args=lambda w: [w.space.listed.slug],
            method="POST",
            data=lambda w: {"show_badge": "on", "badge_label": "Matrix"},
        ),
    ],
    "cohorts:documents": [
        Target("listed", INSIDE_LISTED, args=lambda w: [w.space.listed.slug]),
        Target("unlisted", INSIDE_UNLISTED, args=lambda w: [w.space.unlisted.slug]),
        Target(
            "POST a document",
            cells(NOT_FOUND, readers=RedirectUnder("/cohorts/matrix-listed/documents/")),
            args=lambda w: [w.space.listed.slug],
            method="POST",
            data=lambda w: {"title": "Shared", "upload": cohort_upload()},
        ),
    ],
    "cohorts:document": [
        Target("a document", INSIDE_LISTED, args=cohort_document),
        Target("missing", cells(NOT_FOUND), args=lambda w: [w.space.listed.slug, MISSING]),
        Target(
            "POST a version",
            cells(
                NOT_FOUND,
                readers=FORBIDDEN,
                verified=RedirectUnder("/cohorts/"),
                admin=RedirectUnder("/cohorts/"),
            ),
            args=cohort_document,
            method="POST",
            data=lambda w: {"upload": cohort_upload()},
        ),
    ],
    "cohorts:document_delete": [
        Target(
            "confirm",
            cells(NOT_FOUND, readers=FORBIDDEN, verified=OK, admin=OK),
            args=cohort_document,
        ),
        Target(
            "POST",
            cells(
                NOT_FOUND,
                readers=FORBIDDEN,
                verified=REDIRECT_TO_DOCUMENTS,
                admin=REDIRECT_TO_DOCUMENTS,
            ),
            args=cohort_document,
            method="POST",
        ),
    ],
    "cohorts:document_file": [
        Target("a file", INSIDE_LISTED, args=cohort_file),
        Target("POST", cells(NOT_FOUND, readers=NOT_ALLOWED), args=cohort_file, method="POST"),
        Target(
            "missing",
            cells(NOT_FOUND),
            args=lambda w: [w.space.listed.slug, w.space.document.pk, MISSING, "staffing.txt"],
        ),
    ],
    "cohorts_admin_list": [Target("list", ADMINS_ONLY)],
    "cohorts_admin_add": [
        Target("form", ADMINS_ONLY),
        Target(
            "POST",
            {**ADMINS_ONLY, "admin": RedirectUnder("/admin/cohorts/")},
            method="POST",
            data=lambda w: {"name": "Matrix new cohort", "slug": "matrix-new", "is_listed": "on"},
        ),
    ],
    "cohorts_admin_edit": [
        Target("a cohort", ADMINS_ONLY, args=lambda w: [w.space.unlisted.pk]),
    ],
    "cohorts_admin_coordinator_grant": [
        Target(
            "POST the expert",
            {**ADMINS_ONLY, "admin": RedirectUnder("/admin/cohorts/")},
            args=lambda w: [w.space.listed.pk],
            method="POST",
            data=lambda w: {"email": w.people["expert"].email},
        ),
    ],
    "cohorts_admin_coordinator_revoke": [
        Target(
            "POST",
            {**ADMINS_ONLY, "admin": RedirectUnder("/admin/cohorts/")},
            args=lambda w: [w.space.listed.pk, w.people["verified"].pk],
            method="POST",
        ),
    ],
    # ---- records: the public-records export (reports/records_admin.py), administrators
    # ---- only; the ZIP holds members-only and hidden posts, which only they may read ----
    "records_export": [
        Target("form", ADMINS_ONLY),
        Target(
            "POST an office's export",
            {**ADMINS_ONLY, "admin": OK},
            method="POST",
            data=lambda w: {
                "jurisdiction": w.people["verified"].jurisdiction_id,
                "start": "2000-01-01",
                "end": "2100-12-31",
            },
        ),
        Target(
            "POST a range that ends before it starts",
            {**ADMINS_ONLY, "admin": BAD_REQUEST},
            method="POST",
            data=lambda w: {
                "email": w.people["verified"].email,
                "start": "2024-03-31",
                "end": "2024-03-01",
            },
        ),
    ],
    # ---- end records ----
    # ---- Wagtail's public doors: documents, page privacy, page serving ----
    "wagtaildocs_serve": [
        Target("a document", PUBLIC_PAGE, args=lambda w: [w.document.pk, w.document.filename]),
        Target("missing", cells(NOT_FOUND), args=lambda w: [MISSING, "missing.txt"]),
    ],
    "wagtaildocs_authenticate_with_password": [
        Target("no such restriction", cells(NOT_FOUND), args=lambda w: [MISSING])
    ],
    "wagtailcore_authenticate_with_password": [
        Target("no such restriction", cells(NOT_FOUND), args=lambda w: [MISSING, MISSING])
    ],
    "wagtailcore_login": [Target("page", cells(LOGIN))],
    "private_page_sign_in": [Target("page", cells(LOGIN))],
    "wagtail_serve": [
        # Every live public page is walked by test_every_live_page; these are the others.
        Target("home", PUBLIC_PAGE, path=lambda w: "/"),
        Target(
            "private (signed-in only)",
            cells(OK, visitor=LOGIN),
            path=lambda w: w.private_page.url,
        ),
        Target("unpublished", cells(NOT_FOUND), path=lambda w: w.draft_path),
        Target("missing", cells(NOT_FOUND), path=lambda w: "/no-such-page/"),
    ],
}

# ---- rep (issue 17): the staff's reports in the admin's "Reports" menu
# (reports/wagtail_hooks.py), each page and the results fragment its filters reload.
# Editors, moderators and administrators read the figures; moderators alone the flags and
# the verification queue. The threads list names only what its reader may read (the
# matrix's markers check it), its CSV export too.
_REPORT_MODERATION = {"verification_queue", "flags_by_reason"}
for _name in (
    "questions_by_topic",
    "waiting_by_topic",
    "waiting_threads",
    "answer_times_by_month",
    "answer_times_by_topic",
    "topics_without_guide",
    "fruitless_searches",
    "verification_queue",
    "flags_by_reason",
):
    _who = MODERATORS_ONLY if _name in _REPORT_MODERATION else ADMIN_STAFF
    DOORS[f"reports_{_name}"] = [
        Target("report", _who),
        Target("CSV", _who, query="?export=csv"),
    ]
    DOORS[f"reports_{_name}_results"] = [Target("results", _who)]

# Wagtail's own admin apps, whose views check Wagtail's "access admin" and model permissions
# and are tested by Wagtail: pages, images, documents, snippets, collections, workflows,
# reports, redirects, settings, sites, users, groups, choosers, the admin API. The matrix
# keeps the admin home and the doors listed in DOORS above. The project's own admin views
# (accounts/wagtail_hooks.py; forum moderation viewsets to come) get their own names and
# namespaces, so they are never excluded by this list.
WAGTAIL_ADMIN_NAMESPACES = frozenset(
    {
        "wagtail_bulk_action",
        "wagtailforms",
        "wagtailredirects",
        "wagtailsettings",
        "wagtailembeds",
        "wagtailsnippets",
        "wagtaildocs",
        "wagtailimages",
        "wagtailsites",
        "wagtailusers_users",
        "wagtailusers_groups",
        "wagtaildocs_chooser",
        "wagtailimages_chooser",
    }
)
WAGTAIL_ADMIN_PREFIXES = ("wagtailadmin_", "wagtailsnippets_", "wagtailsnippetchoosers_")
# allauth's social accounts, headless API, WebAuthn and identity provider are not installed
# (settings: allauth.account, allauth.mfa with TOTP and recovery codes, allauth.usersessions),
# so none of their patterns exist. Enabling one adds sign-in doors: give them entries.


# Wagtail's two unnamed admin patterns: a 404 page for its own tests and the admin's
# catch-all 404.
WAGTAIL_ADMIN_UNNAMED = frozenset({"admin/test404/", "admin/^.*/$"})


def is_wagtail_admin_internal(route) -> bool:
    if route.name is None:
        return route.route in WAGTAIL_ADMIN_UNNAMED
    if not route.route.startswith("admin/") or not route.view.startswith("wagtail."):
        return False
    top = route.name.split(":")[0]
    # Each snippet viewset (search/wagtail_hooks.py's "Search terms") has namespaces of
    # its own: wagtailsnippets_<app>_<model> and wagtailsnippetchoosers_<app>_<model>.
    return top.startswith(WAGTAIL_ADMIN_PREFIXES) or top in WAGTAIL_ADMIN_NAMESPACES
