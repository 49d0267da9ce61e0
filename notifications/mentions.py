"""@mentions by display name: "@Dana Whitfield, have you seen this?".

Display names hold spaces and need not be unique, so a mention is the longest run of up to
MAX_WORDS words after an "@" that is some member's display name (compared without case).
Everyone with that name may be meant, so everyone with it is a candidate; who is then told
is decided by `fanout` (only verified members and experts, and only those who may read the
thread)."""

import re

from django.db.models.functions import Lower

from accounts.models import User

MAX_WORDS = 5
MAX_NAME_LENGTH = 100  # characters after an "@" read for a name (display names are shorter)
# An "@" not inside a word or an email address, before a word.
_AT = re.compile(r"(?<![\w@.])@(?=\S)")
# Punctuation that ends a sentence or a quotation, not a name.
_TRAILING = ".,;:!?)]}\"'\u2019\u201d"


def _names_after_each_at(text: str) -> list[list[str]]:
    """For each "@" in ``text``, the names it could begin, longest first, lowercased."""
    found = []
    for match in _AT.finditer(text):
        # A name does not run on past its line; the next "@" begins a name of its own.
        after = text[match.end() : match.end() + MAX_NAME_LENGTH]
        words = after.split("\n", 1)[0].split()[:MAX_WORDS]
        names = [
            " ".join(words[:length]).rstrip(_TRAILING).lower()
            for length in range(len(words), 0, -1)
        ]
        found.append([name for name in names if name])
    return found


def mentioned(text: str) -> list[User]:
    """The people whose display name follows an "@" in ``text`` (one query). Each "@"
    means the longest name it begins: "@Ana Ruiz" is Ana Ruiz, not also a member "Ana"."""
    each_at = _names_after_each_at(text)
    if not each_at:
        return []
    found = list(
        User.objects.annotate(lowered=Lower("display_name")).filter(
            lowered__in={name for names in each_at for name in names}, is_active=True
        )
    )
    known = {user.lowered for user in found}
    meant = {next((name for name in names if name in known), None) for names in each_at}
    return [user for user in found if user.lowered in meant]
