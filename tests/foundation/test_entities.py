"""Entity core: encryption at rest, pseudonyms, name variants in any script, roles over time,
selectors normalised with provenance, bad input refused field by field."""

from datetime import date

import pytest
from django.db import connection

from palermo.core import selectors, services
from palermo.core.models import NameVariant, Person
from palermo.core.rules import FieldErrors, age_range, name_key, parse_date_of_birth, script_of
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_identity_fields_are_encrypted_at_rest(world):
    actor = world.users["a_investigator"]
    person = services.create_person(actor, {
        "given_name": "Zinaida", "family_name": "Quennell", "date_of_birth": "1999-04-03",
        "documents": [{"type": "passport", "number": "ZX9912345", "country": "MD"}],
        "aliases": [{"name": "Зинаида Кенел", "source": "Moldovan ID copy", "kind": "LegalName"}],
    })
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, date_of_birth, documents FROM core_person WHERE id = %s",
                       [person.pk])
        stored = " ".join(cursor.fetchone())
        cursor.execute("SELECT name FROM core_namevariant WHERE person_id = %s", [person.pk])
        stored += " ".join(r[0] for r in cursor.fetchall())
    for secret in ("Zinaida", "Quennell", "1999", "ZX9912345", "Зинаида"):
        assert secret not in stored
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.given_name, fresh.family_name) == ("Zinaida", "Quennell")
    assert fresh.date_of_birth == {"precision": "day", "value": "1999-04-03"}
    assert "Zinaida" not in fresh.pseudonym and "Quennell" not in fresh.pseudonym


def test_name_variants_keep_script_and_source(world):
    person = world.records[("person", "own_normal")]
    actor = world.users["a_investigator"]
    variant = services.add_name_variant(actor, person, "王伟", "Alias", "hotel register")
    assert variant.script == "Han" and variant.source == "hotel register"
    with pytest.raises(FieldErrors) as exc:
        services.add_name_variant(actor, person, "Ana", "Alias", "")
    assert "source" in exc.value.errors
    assert NameVariant.objects.filter(person=person).count() == 1


def test_roles_are_dated_and_not_exclusive(world):
    actor = world.users["a_investigator"]
    person = world.records[("person", "own_normal")]
    services.add_person_role(actor, person, "PresumedVictim", started_on=date(2021, 1, 1), ended_on=date(2022, 1, 1))
    services.add_person_role(actor, person, "Suspect", started_on=date(2025, 1, 1),
                             perpetrator_roles=["RecruiterOrIntermediary"])
    assert [r.role for r in selectors.person_roles(actor, person)] == ["PresumedVictim", "Suspect"]
    with pytest.raises(FieldErrors) as exc:
        services.add_person_role(actor, person, "Hero", started_on=date(2025, 1, 2), perpetrator_roles=["Wizard"],
                                 ended_on=date(2024, 1, 1))
    assert set(exc.value.errors) == {"role", "perpetrator_roles", "ended_on"}


def test_selectors_are_normalised_and_found_across_agencies(world):
    a, b = world.users["a_investigator"], world.users["b_investigator"]
    person_a = world.records[("person", "shared_task_force")]
    person_b = services.create_person(b, {"given_name": "Other", "family_name": "Holder"})
    services.add_selector(a, person_a, "phone", "0722 555 010", region="RO", source="seized phone")
    services.add_selector(b, person_b, "phone", "+40 (722) 555-010", source="call records")
    canonical, hits = selectors.selector_search(b, "phone", "00 40 722 555 010")
    assert canonical == "+40722555010"
    assert {h.holder.pk for h in hits} == {person_b.pk}  # A's selector record itself is not shared with B
    canonical, hits = selectors.selector_search(a, "phone", "+40722555010")
    assert {h.holder.pk for h in hits} == {person_a.pk}
    with pytest.raises(FieldErrors) as exc:
        selectors.selector_search(a, "phone", "not a number")
    assert "value" in exc.value.errors


@pytest.mark.parametrize("raw, expected", [
    ("1990-05-12", {"precision": "day", "value": "1990-05-12"}),
    ("12/05/1990", {"precision": "day", "value": "1990-05-12"}),
    ("1990-05", {"precision": "month", "value": "1990-05"}),
    ("1990", {"precision": "year", "value": "1990"}),
    ("~17", {"precision": "estimate", "age": 17, "as_of": "2026-01-01"}),
    ("", None),
])
def test_dates_of_birth_exact_partial_or_estimated(raw, expected):
    assert parse_date_of_birth(raw, today=date(2026, 1, 1)) == expected


@pytest.mark.parametrize("raw", ["1990-13-01", "31/02/1990", "2090", "~150", "yesterday"])
def test_impossible_dates_of_birth_are_refused(raw):
    with pytest.raises(ValueError):
        parse_date_of_birth(raw, today=date(2026, 1, 1))


def test_age_ranges_reflect_precision():
    assert age_range(parse_date_of_birth("2009", today=date(2026, 1, 1)), date(2026, 11, 23)) == (16, 17)
    assert age_range(None, date(2026, 1, 1)) is None


def test_names_match_across_order_and_script():
    assert name_key("Popescu Ana") == name_key("ana POPESCU")
    assert script_of("Ана") == "Cyrillic" and script_of("გიორგი") == "Georgian"


def test_bad_person_is_refused_field_by_field_and_nothing_is_written(world):
    actor = world.users["a_analyst"]
    before = Person.objects.count()
    with pytest.raises(FieldErrors) as exc:
        services.create_person(actor, {"date_of_birth": "31/02/1990", "gender": "Robot", "citizenship": ["XX"],
                                       "sensitivity": "secret", "aliases": [{"name": "", "source": ""}]})
    assert set(exc.value.errors) == {"date_of_birth", "gender", "citizenship", "sensitivity", "aliases[0].name",
                                     "aliases[0].source"}
    assert Person.objects.count() == before


def test_only_the_owner_shares_and_a_purpose_is_required(world):
    person = world.records[("person", "own_normal")]
    with pytest.raises(services.NotPermitted):
        services.share(world.users["b_investigator"], person, to_agency=world.agencies["C"], purpose="curious")
    with pytest.raises(FieldErrors) as exc:
        services.share(world.users["a_investigator"], person, to_agency=world.agencies["C"], purpose=" ")
    assert "purpose" in exc.value.errors
    secret_case = world.records[("case", "own_secret_compartment")]
    with pytest.raises(FieldErrors):
        services.share(world.users["a_leader"], secret_case, to_agency=world.agencies["B"], purpose="help")
