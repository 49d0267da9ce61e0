"""Background work: the fan-out of an event to followers runs here, after the change has
committed, so the request that made it does not wait on the number of followers."""

from django_tasks import task

from . import fanout


@task()
def tell_moderation(event: str, flag_ids: list[int], question_id: int, post: list) -> int:
    return fanout.tell_moderation(
        event=event, flag_ids=flag_ids, question_id=question_id, post=tuple(post)
    )


@task()
def deliver(activity: str, question_id: int, actor_id: int, post_id: int | None) -> int:
    return fanout.deliver(
        activity=activity, question_id=question_id, actor_id=actor_id, post_id=post_id
    )
