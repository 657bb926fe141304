"""`palermo import` is all-or-nothing per file with line numbers; the demo shows the visibility model."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from palermo.accounts.models import User
from palermo.audit.models import AuditEntry
from palermo.audit.selectors import verify
from palermo.core.models import Person, Selector, SelectorLink
from palermo.demo import scenario
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db

PERSONS_CSV = """source_ref,given_name,family_name,date_of_birth,gender,citizenship,aliases
R-1,Ana,Lupu,1998-02-03,Feminine,RO,Анна Лупу|Bulgarian record|Transliteration
R-2,Ion,Vasilescu,1990,Masculine,"RO,MD",
R-3,,,~16,,,
"""


@pytest.fixture
def world():
    return build_world()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_csv_is_imported_whole_with_one_audit_entry(world, tmp_path, capsys):
    path = _write(tmp_path, "persons.csv", PERSONS_CSV)
    call_command("import", "persons", str(path), user="a_investigator")
    assert "imported 3 persons" in capsys.readouterr().out
    imported = Person.objects.filter(source_ref__startswith="R-").order_by("source_ref")
    assert [p.family_name for p in imported] == ["Lupu", "Vasilescu", ""]
    assert imported[0].name_variants.get().name == "Анна Лупу"
    assert imported[2].date_of_birth["precision"] == "estimate"
    entry = AuditEntry.objects.filter(action="import").get()
    assert entry.details["created"] == 3 and len(entry.details["sha256"]) == 64


def test_one_bad_line_rejects_the_whole_file_with_line_numbers(world, tmp_path, capsys):
    bad = PERSONS_CSV + "R-4,Maria,Pop,31/02/1990,Robot,XX,\nR-1,Dup,Ref,,,,\n"
    path = _write(tmp_path, "persons.csv", bad)
    before = Person.objects.count()
    with pytest.raises(CommandError, match="rejected"):
        call_command("import", "persons", str(path), user="a_investigator")
    err = capsys.readouterr().err
    assert "line 5: date_of_birth" in err and "line 5: gender" in err and "line 5: citizenship" in err
    assert "line 6: source_ref: 'R-1' already used on line 2" in err
    assert Person.objects.count() == before


def test_jsonl_selectors_link_to_imported_persons(world, tmp_path):
    call_command("import", "persons", str(_write(tmp_path, "p.csv", PERSONS_CSV)), user="a_investigator")
    lines = [
        {"kind": "phone", "value": "0722 123 456", "region": "RO", "person_ref": "R-1", "source": "SIM seizure",
         "observed_on": "2026-02-01"},
        {"kind": "email", "value": "Ana.Lupu@Example.com", "person_ref": "R-1", "source": "statement"},
        {"kind": "phone", "value": "+40722123456", "person_ref": "R-2", "source": "call records"},
    ]
    path = _write(tmp_path, "s.jsonl", "\n".join(json.dumps(line) for line in lines))
    call_command("import", "selectors", str(path), user="a_investigator")
    phone = Selector.objects.get(kind="phone", owner_agency__code="agency-a", value_index__isnull=False,
                                 links__person__source_ref="R-1")
    assert phone.value == "+40722123456"
    assert SelectorLink.objects.filter(selector=phone).count() == 2  # one selector, two sightings


def test_bad_jsonl_lines_are_reported_and_nothing_is_written(world, tmp_path, capsys):
    path = _write(tmp_path, "s.jsonl", '{"kind": "phone", "value": "12", "person_ref": "NOPE", "source": "x"}\n'
                                        "{not json\n"
                                        '{"kind": "fax", "value": "1", "source": ""}\n')
    before = SelectorLink.objects.count()
    with pytest.raises(CommandError):
        call_command("import", "selectors", str(path), user="a_investigator")
    err = capsys.readouterr().err
    assert "line 1: value" in err and "line 1: person_ref" in err
    assert "line 2: not valid JSON" in err
    assert "line 3: value" in err and "line 3: source" in err
    assert SelectorLink.objects.count() == before


def test_demo_loads_once_and_shows_different_worlds(capsys):
    call_command("demo", "load")
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert "already loaded" in out and "ro.investigator" in out
    assert Person.objects.count() >= 30
    assert verify().ok

    def visible_references(username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        return {row["reference"] for row in client.get("/api/cases", {"limit": 100}).json()["items"]}

    assert visible_references("ro.investigator") == {"RO-ATU-2026-014", "RO-ATU-2026-015", "IT-SM-2026-031"}
    assert visible_references("ro.analyst") == {"RO-ATU-2026-014", "IT-SM-2026-031"}  # not in Iris compartment
    assert visible_references("it.investigator") == {"RO-ATU-2026-014", "IT-SM-2026-031"}
    assert visible_references("it.inspector") == {"IT-ITL-2026-007"}
    assert visible_references("ngo.casemanager") == {"RO-NGO-2026-102"}
    assert visible_references("oversight.auditor") == set()


def test_demo_selector_search_crosses_agencies_within_the_task_force():
    scenario.load()
    forger = Person.objects.get(roles__perpetrator_roles__icontains="DocumentForger")
    phone = forger.selector_links.get(selector__kind="phone").selector.value
    client = Client()
    client.force_login(User.objects.get(username="it.investigator"))
    hits = client.get("/api/selectors/search", {"kind": "phone", "value": phone}).json()["hits"]
    assert {h["owner_agency"] for h in hits} == {"Romanian Police — Anti-Trafficking Unit Iași",
                                                 "Police — Flying Squad Milan, Anti-Trafficking Section"}
    client.force_login(User.objects.get(username="it.inspector"))
    assert client.get("/api/selectors/search", {"kind": "phone", "value": phone}).json()["hits"] == []


def test_demo_oversight_staff_are_appointed_through_the_grant_rule():
    scenario.load()
    client = Client()
    client.force_login(User.objects.get(username="oversight.auditor"))
    grants = client.get("/api/grants").json()["items"]
    assert [(g["actor"], g["action"], g["user"]) for g in reversed(grants)] == [
        ("admin", "create_user", "oversight.admin"), ("oversight.admin", "create_user", "oversight.auditor")]
    board_admin = Client()
    board_admin.force_login(User.objects.get(username="oversight.admin"))
    assert board_admin.get("/admin/users/").status_code == 200
