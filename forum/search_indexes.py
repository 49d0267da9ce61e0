from django.db.models import Prefetch
from haystack import indexes

from search.indexes import CanvassIndex

from . import audience
from .models import Answer, Question


class QuestionIndex(CanvassIndex, indexes.Indexable):
    """A thread: its question and the text of its visible answers. Hidden threads are not
    indexed; members-only ones are, marked so that only those who may read them find them."""

    KIND = "question"

    def get_model(self):
        return Question

    def index_queryset(self, using=None):
        answers = Answer.objects.filter(is_hidden=False).only("question_id", "body")
        return Question.objects.filter(is_hidden=False).prefetch_related(
            "topics", "states", Prefetch("answers", queryset=answers, to_attr="visible_answers")
        )

    def text_parts(self, obj: Question) -> list[str]:
        return [obj.title, obj.body, *(answer.body for answer in obj.visible_answers)]

    def prepare_spelling(self, obj: Question) -> str:
        return f"{obj.title}\n{obj.body}"

    def prepare_states(self, obj: Question) -> list[str]:
        return [row.state for row in obj.states.all()]

    def prepare_solved(self, obj: Question) -> list[str]:
        return ["solved" if obj.accepted_answer_id else "unsolved"]

    def prepare_audience(self, obj: Question) -> list[str]:
        return [audience.of_thread(obj)]

    def prepare_date(self, obj: Question):
        return obj.created_at
