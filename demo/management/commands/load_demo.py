from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from demo.cohorts import load_cohorts
from demo.cohorts import summary as cohort_summary
from demo.pages import load_pages
from demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_people
from demo.threads import load_threads


class Command(BaseCommand):
    help = (
        "Load the reference data (election offices and their populations, the .gov registry, "
        "topics) and the demo content: people, Q&A threads, cohorts with their threads and "
        "documents, pages, guides, toolkits, events and topic pages. Safe to run again: "
        "nothing is duplicated or overwritten."
    )

    def handle(self, *args, verbosity: int = 1, **options):
        call_command("load_jurisdictions", verbosity=verbosity)
        # The large-jurisdiction cohort's rule reads the offices' populations.
        call_command("load_population", verbosity=verbosity)
        call_command("load_dotgov", verbosity=verbosity)
        call_command("load_topics", verbosity=verbosity)
        # The demo officials are verified through the workflow, which emails each of them;
        # those messages to made-up addresses would only bury the accounts printed below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            people = load_people()
        # Threads before pages: guides quote demo threads, and the demo editor promotes one.
        threads = load_threads()
        cohorts = load_cohorts()
        pages = load_pages()
        # The editorial workflow applies to the home page, so it comes after the pages.
        call_command("setup_editorial", verbosity=verbosity)
        if not verbosity:
            return
        self.stdout.write(
            "Demo content: "
            + ", ".join(
                f"{count} {name} added" for name, count in {**pages, **threads, **cohorts}.items()
            )
            + "."
        )
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
        )
        for person, created in people:
            marker = " (new)" if created else ""
            self.stdout.write(f"  {person.description:<22} {person.email}{marker}")
        self.stdout.write(
            "Moderators, editors and administrators sign in with two factors: add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run `.venv/bin/python manage.py "
            "demo_code` for the current code."
        )
        self.stdout.write(
            self.style.MIGRATE_HEADING("\nDemo cohorts (and the demo accounts in them)")
        )
        for line in cohort_summary():
            self.stdout.write(line)
