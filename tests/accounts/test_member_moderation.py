"""A moderator acting on an author (accounts.services): warn, suspend posting, withdraw
verification. Each is for moderators only, never on oneself, needs a reason, is logged in
Wagtail's audit log, emails the member and announces itself after commit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import services, signals
from accounts.models import User
from tests.factories import make_expert, make_moderator

pytestmark = pytest.mark.django_db

REASON = "Posted a colleague's home address."
SUSPENDED_UNTIL = timezone.now() + datetime.timedelta(days=3)


def warn(member, by, reason=REASON):
    return services.warn_member(member=member, by=by, reason=reason)


def suspend(member, by, reason=REASON):
    return services.suspend_posting(member=member, by=by, until=SUSPENDED_UNTIL, reason=reason)


def revoke(member, by, reason=REASON):
    return services.revoke_verification(member=member, by=by, reason=reason)


# (service, audit-log action, signal action, what the email says)
ACTIONS = [
    (warn, "canvass.forum.warn", services.WARN, "has warned you"),
    (suspend, "canvass.forum.suspend", services.SUSPEND, "suspended your posting until"),
    (revoke, "canvass.verification.revoke", services.REVOKE_VERIFICATION, "withdrawn your"),
]


@pytest.fixture
def announced():
    received = []

    def receiver(sender, **kwargs):
        received.append({key: kwargs[key] for key in ("user_id", "action", "reason", "until")})

    signals.member_moderated.connect(receiver)
    yield received
    signals.member_moderated.disconnect(receiver)


@pytest.mark.parametrize(("act", "log_action", "signal_action", "email_text"), ACTIONS)
def test_each_action_is_logged_emailed_and_announced(
    act,
    log_action,
    signal_action,
    email_text,
    moderator,
    official,
    announced,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        act(official, moderator)
    entry = ModelLogEntry.objects.for_instance(official).get(action=log_action)
    assert entry.user == moderator
    assert entry.data["reason"] == REASON
    assert entry.data["member"] == official.pk
    assert [message.to for message in mail.outbox] == [[official.email]]
    assert email_text in mail.outbox[0].body
    assert REASON in mail.outbox[0].body
    until = SUSPENDED_UNTIL if signal_action == services.SUSPEND else None
    assert announced == [
        {"user_id": official.pk, "action": signal_action, "reason": REASON, "until": until}
    ]


def test_warning_changes_nothing_but_the_record(moderator, official):
    before = User.objects.values().get(pk=official.pk)
    warn(official, moderator)
    assert User.objects.values().get(pk=official.pk) == before


def test_suspension_is_stored_and_logged_with_its_end(moderator, official):
    suspend(official, moderator)
    official.refresh_from_db()
    assert official.posting_suspended_until == SUSPENDED_UNTIL
    entry = ModelLogEntry.objects.for_instance(official).get(action="canvass.forum.suspend")
    assert entry.data["until"] == SUSPENDED_UNTIL.isoformat()


def test_suspension_must_end_in_the_future(moderator, official):
    with pytest.raises(services.ModerationError, match="a time still to come"):
        services.suspend_posting(member=official, by=moderator, until=timezone.now(), reason=REASON)
    official.refresh_from_db()
    assert official.posting_suspended_until is None


def test_revoking_verification_leaves_a_member(moderator, official):
    revoke(official, moderator)
    official.refresh_from_db()
    assert official.verified_until == timezone.localdate() - datetime.timedelta(days=1)
    assert not official.is_verified_official
    with pytest.raises(services.ModerationError, match="not verified"):
        revoke(official, moderator)


@pytest.mark.parametrize(("act", "log_action", "signal_action", "email_text"), ACTIONS)
def test_only_moderators_act_and_never_on_themselves(
    act,
    log_action,
    signal_action,
    email_text,
    official,
    other_official,
    announced,
    django_capture_on_commit_callbacks,
):
    moderator = make_moderator()
    not_allowed = [other_official, make_expert(), make_moderator(two_factor=False)]
    with django_capture_on_commit_callbacks(execute=True):
        for someone in not_allowed:
            with pytest.raises(PermissionDenied):
                act(official, someone)
        with pytest.raises(PermissionDenied, match="their own account"):
            act(moderator, moderator)
        with pytest.raises(services.ModerationError, match="Say why"):
            act(official, moderator, reason="   ")
    assert not ModelLogEntry.objects.filter(action=log_action).exists()
    assert mail.outbox == []
    assert announced == []
