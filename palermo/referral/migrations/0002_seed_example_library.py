"""Loads the example SOP library, institutions, identification bodies and contact directory (RO, IT)
from palermo/referral/data/ — generated content for the national coordinators to adapt."""

from django.db import migrations


def load(apps, schema_editor):
    from palermo.referral.library import load_example

    load_example(apps.get_model("referral", "Institution"), apps.get_model("referral", "IdentificationBody"),
                 apps.get_model("referral", "SopMeasure"), apps.get_model("referral", "ContactEntry"))


class Migration(migrations.Migration):
    dependencies = [("referral", "0001_trm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
