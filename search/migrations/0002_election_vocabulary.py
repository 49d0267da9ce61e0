"""The election vocabulary Canvass starts with: data/acronyms_synonyms.csv (see
data/LICENSES.md). Editors extend it in the admin ("Search terms")."""

import csv
from pathlib import Path

from django.db import migrations

SOURCE = Path(__file__).resolve().parents[2] / "data" / "acronyms_synonyms.csv"


def load(apps, schema_editor):
    SearchTerm = apps.get_model("canvass_search", "SearchTerm")
    with SOURCE.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            SearchTerm.objects.get_or_create(
                term=row["term"].strip(),
                defaults={
                    "expansion": row["expansion"].strip(),
                    "synonyms": row["synonyms_for_search"].strip(),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("canvass_search", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
