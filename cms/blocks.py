"""The blocks editors compose guides and plain pages from. Each renders with its own
template under templates/blocks/."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("warning", _("Warning")), ("legal", _("Legal"))],
        default="note",
        help_text=_("Legal: what the law requires and where it varies by state."),
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "tasks"
        template = "blocks/checklist.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(max_length=300, required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class QAExcerptBlock(blocks.StructBlock):
    """A forum question and its accepted answer, with attribution, date and link. It
    shows only to people who may read the thread now: hiding the thread, or making it
    members-only, removes it from the page for everyone else. The page passes the
    questions of all its excerpts in one query (`qa_questions` in the context)."""

    question = blocks.IntegerBlock(
        min_value=1,
        help_text=_("The question's number: the digits in its address, /questions/<number>/."),
    )
    note = blocks.CharBlock(
        max_length=300, required=False, help_text=_("Optional: why this answer matters here.")
    )

    class Meta:
        icon = "help"
        template = "blocks/qa_excerpt.html"

    def clean(self, value):
        from forum.models import Question

        value = super().clean(value)
        found = Question.objects.filter(pk=value["question"]).values("accepted_answer").first()
        if found is None:
            raise blocks.StructBlockValidationError(
                {"question": ValidationError(_("There is no question with this number."))}
            )
        if found["accepted_answer"] is None:
            raise blocks.StructBlockValidationError(
                {"question": ValidationError(_("This question has no accepted answer yet."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        from forum.permissions import can_read_post

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        question = parent_context.get("qa_questions", {}).get(value["question"])
        request = parent_context.get("request")
        answer = question.accepted_answer if question else None
        readable = (
            answer is not None
            and request is not None
            and can_read_post(request.user, question)
            and can_read_post(request.user, answer)
        )
        context.update(question=question if readable else None, answer=answer)
        return context


class BodyBlock(blocks.StreamBlock):
    """The body of a guide or a plain page."""

    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        max_length=120,
        help_text=_("A section heading (shown as a level-2 heading)."),
    )
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    steps = StepsBlock()
    document = DocumentBlock()
    quote = QuoteBlock()
    qa_excerpt = QAExcerptBlock(label=_("Q&A excerpt"))

    class Meta:
        template = "blocks/body.html"


def qa_question_ids(body) -> list[int]:
    """The question numbers of a body's Q&A excerpts."""
    return [block.value["question"] for block in body if block.block_type == "qa_excerpt"]
