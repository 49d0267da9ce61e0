"""What accounts tells the apps above it about a person's public identity, so that they can
carry it onto what they keep (the forum's bylines) without accounts importing them.

Both are sent inside the transaction that makes the change, not after its commit as domain
events are (ENGINEERING rule 6), because a byline is the person's identity, not a side
effect of it: a receiver's writes must commit with the change or roll back with it.

- After a deletion, posts must never keep the deleted person's name, not for a moment and not
  if a later step fails: the erasure and the detaching of their posts are one write.
- After a rename, earlier posts must not keep the old name either. People rename to stop
  being found under it (a harassed official who posted under their full name); an old name
  left on their posts because an after-commit step failed would defeat that, silently.

So receivers here only write to the database, within the sender's transaction, and raise
to refuse the change. Anything slow or fallible (search index, email) they queue after
commit as usual.
"""

from django.dispatch import Signal

# The byline others see on ``user``'s posts changed: a new display name (already saved on
# ``user``), or ``hide_office`` (True when they stopped showing their office). Showing the
# office again applies to new posts only, so it is not announced.
byline_changed = Signal()

# ``user``'s account is being deleted: what identified them is erased (``user`` already
# carries the name their posts keep, "A former member") and the posts must be detached from
# the account, in this transaction.
account_deleted = Signal()

# A verification request was decided. Unlike the two above, a domain event: sent once the
# decision has committed (`core.events.send_after_commit`), with ``request_id`` and
# ``approved``, so the inbox can record it (the member is emailed by `verification`).
verification_decided = Signal()

# A moderator acted on a member (`services.warn_member`, `suspend_posting`,
# `revoke_verification`). A domain event, sent after commit with ``user_id``, ``action``
# (one of `services.MODERATION_ACTIONS`), ``reason`` and ``until`` (when a suspension ends,
# else None), so the inbox can record it (the member is emailed by `services`).
member_moderated = Signal()

# The directory's office data changed (`load_jurisdictions`, `load_population`): sent after
# commit, so that cohorts defined by a rule over it are evaluated again.
offices_changed = Signal()
