from wagtail import blocks


class BodyBlock(blocks.StreamBlock):
    """The blocks an editor composes a guide or plain page from."""

    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        max_length=120,
        help_text="A section heading (shown as a level-2 heading).",
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "document-link"], icon="pilcrow"
    )

    class Meta:
        template = "blocks/body.html"
