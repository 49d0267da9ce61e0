from django.core.management.base import BaseCommand

from cms.services import sync_topic_pages


class Command(BaseCommand):
    help = (
        "Make sure /topics/ has a published page for every taxonomy topic (topic chips link "
        "there). Run after load_topics, once the home page exists; safe to repeat."
    )

    def handle(self, *args, verbosity: int = 1, **options):
        created = sync_topic_pages()
        if verbosity:
            self.stdout.write(f"Topic pages: {created} added.")
