"""Loading the example SOP library, institutions, identification bodies and contact directory from data/.

Takes the model classes as arguments so the data migration can pass its historical models. Rows that
already exist (by code, or by country for identification bodies) are left as the coordinator edited them.
"""

from __future__ import annotations

from datetime import date

from palermo.referral.rules import read_csv


def load_example(Institution, IdentificationBody, SopMeasure, ContactEntry) -> int:
    institutions = {}
    for row in read_csv("institutions.csv"):
        institutions[row["code"]], _ = Institution.objects.get_or_create(
            code=row["code"], defaults={"country": row["country"], "name": row["name"], "kind": row["kind"]})
    for row in read_csv("identification_bodies.csv"):
        IdentificationBody.objects.get_or_create(country=row["country"], defaults={
            "institution": institutions[row["institution"]], "how": row["how"]})
    created = 0
    for row in read_csv("sop_measures.csv"):
        _, new = SopMeasure.objects.get_or_create(code=row["code"], defaults={
            "country": row["country"], "area": row["area"], "title": row["title"], "what": row["what"],
            "when": row["when"], "who": row["who"], "how": row["how"], "for_children": row["children"] == "1",
            "institution": institutions[row["institution"]], "due_days": int(row["due_days"])})
        created += new
    if not ContactEntry.objects.exists():
        for row in read_csv("contacts.csv"):
            ContactEntry.objects.create(country=row["country"], area=row["area"],
                                        institution=institutions[row["institution"]],
                                        contact_person=row["contact_person"], contact=row["contact"],
                                        last_verified=date.fromisoformat(row["last_verified"]) if row["last_verified"] else None)
    return created
