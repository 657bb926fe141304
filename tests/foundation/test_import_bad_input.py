"""Bad import files (wrong encodings, wrong JSON types, unstorable text, missing identity columns) are
refused whole with errors naming the line and field — never a traceback, never half a file."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from palermo.core.models import Person, SelectorLink
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db

HEADER = "source_ref,given_name,family_name,date_of_birth\n"


@pytest.fixture
def world():
    return build_world()


def _import(kind: str, path: Path, capsys, *extra: str) -> str:
    """Runs the import, which must refuse the file; returns what it wrote to stderr."""
    with pytest.raises(CommandError, match="rejected"):
        call_command("import", kind, str(path), *extra, user="a_investigator")
    return capsys.readouterr().err


def test_latin1_file_is_refused_naming_each_undecodable_line(world, tmp_path, capsys):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + "L-1,Ana,Lupu,1990\nL-2,José,Pérez,1991\nL-3,Zoë,Brontë,1992\n").encode("latin-1"))
    before = Person.objects.count()
    err = _import("persons", path, capsys)
    assert "line 3: not UTF-8 text (byte 0xE9)" in err and "line 4: not UTF-8 text (byte 0xEB)" in err
    assert "line 2" not in err
    assert Person.objects.count() == before


def test_latin1_file_imports_when_its_encoding_is_named(world, tmp_path, capsys):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + "L-2,José,Pérez,1991\n").encode("latin-1"))
    call_command("import", "persons", str(path), encoding="latin-1", user="a_investigator")
    assert Person.objects.get(source_ref="L-2").given_name == "José"


def test_unknown_encoding_is_a_clear_error(world, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(HEADER + "L-2,Ana,Lupu,1991\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown encoding 'klingon'"):
        call_command("import", "persons", str(path), encoding="klingon", user="a_investigator")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_utf8_with_byte_order_mark_are_read(world, tmp_path, encoding):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + "U-1,Анна,Лупу,1998-02-03\nU-2,李,明,1990\n").encode(encoding))
    call_command("import", "persons", str(path), user="a_investigator")
    assert Person.objects.get(source_ref="U-1").family_name == "Лупу"
    assert Person.objects.get(source_ref="U-2").given_name == "李"


def test_utf16_jsonl_is_read(world, tmp_path):
    path = tmp_path / "persons.jsonl"
    path.write_bytes(json.dumps({"source_ref": "J-1", "given_name": "Ана", "family_name": "Пop"}).encode("utf-16"))
    call_command("import", "persons", str(path), user="a_investigator")
    assert Person.objects.filter(source_ref="J-1").exists()


def test_utf16_without_byte_order_mark_is_refused_not_stored_with_nul_characters(world, tmp_path, capsys):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + "N-1,Ana,Lupu,1990\n").encode("utf-16-le"))
    before = Person.objects.count()
    err = _import("persons", path, capsys)
    assert "line 1: contains NUL characters (UTF-16 without a byte-order mark?)" in err
    assert Person.objects.count() == before


def test_truncated_utf16_names_the_line(world, tmp_path, capsys):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + "T-1,Ana,Lupu,1990\n").encode("utf-16") + b"\x00")
    err = _import("persons", path, capsys)
    assert "line 3: not utf-16 text" in err


def test_json_list_where_text_is_expected_names_line_and_field(world, tmp_path, capsys):
    lines = [
        {"source_ref": "J-1", "given_name": "Ana", "family_name": "Lupu"},
        {"source_ref": "J-2", "given_name": ["Ion", "Ionel"], "family_name": {"a": 1}, "date_of_birth": 1990},
        {"source_ref": "J-3", "given_name": "Maria", "family_name": "Pop", "citizenship": ["RO", 7],
         "aliases": [{"name": ["x"], "source": "file"}, "Mara"]},
    ]
    path = tmp_path / "persons.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    before = Person.objects.count()
    err = _import("persons", path, capsys)
    assert "line 2: given_name: must be text (a JSON string), not a list" in err
    assert "line 2: family_name: must be text (a JSON string), not an object" in err
    assert "line 2: date_of_birth: must be text (a JSON string), not a number" in err
    assert "line 3: citizenship[1]: must be text, not a number" in err
    assert "line 3: aliases[0].name: must be text, not a list" in err
    assert "line 3: aliases[1]: must be an object, not text" in err
    assert "line 1" not in err and "Traceback" not in err
    assert Person.objects.count() == before


def test_json_list_in_a_selector_value_names_line_and_field(world, tmp_path, capsys):
    call_command("import", "persons", str(_csv(tmp_path, HEADER + "S-1,Ana,Lupu,1990\n")), user="a_investigator")
    lines = [{"kind": "phone", "value": ["+40722123456"], "person_ref": "S-1", "source": "SIM"},
             {"kind": "phone", "value": "+40722123456", "person_ref": "S-1", "source": "SIM", "observed_on": []}]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    before = SelectorLink.objects.count()
    err = _import("selectors", path, capsys)
    assert "line 1: value: must be text (a JSON string), not a list" in err
    assert "line 2: observed_on: must be text (a JSON string), not a list" in err
    assert SelectorLink.objects.count() == before


def test_nul_characters_and_unpaired_surrogates_are_field_errors(world, tmp_path, capsys):
    path = tmp_path / "persons.jsonl"
    path.write_text('{"given_name": "An\\u0000a", "family_name": "Lupu"}\n'
                    '{"given_name": "Ion", "family_name": "Pop\\ud800"}\n', encoding="utf-8")
    err = _import("persons", path, capsys)
    assert "line 1: given_name: contains a NUL character" in err
    assert "line 2: family_name: contains an unpaired surrogate" in err
    err = _import("persons", _csv(tmp_path, HEADER + "Z-1,An\x00a,Lupu,1990\n"), capsys)
    assert "line 2: contains NUL characters" in err


def test_deeply_nested_json_is_a_line_error(world, tmp_path, capsys):
    path = tmp_path / "persons.jsonl"
    path.write_text('{"given_name": "Ana", "family_name": "Lupu"}\n' + "[" * 100_000 + "\n", encoding="utf-8")
    err = _import("persons", path, capsys)
    assert "line 2: not valid JSON" in err


def test_file_without_identity_columns_is_refused_up_front(world, tmp_path, capsys):
    err = _import("persons", _csv(tmp_path, "source_ref,notes\nX-1,someone\n"), capsys)
    assert "line 1: missing required column(s) given_name, family_name" in err
    path = tmp_path / "s.csv"
    path.write_text("kind,value\nphone,+40722123456\n", encoding="utf-8")
    err = _import("selectors", path, capsys)
    assert "line 1: missing required column(s) source, person_ref or organisation_ref" in err
    path = tmp_path / "p.jsonl"
    path.write_text('{"source_ref": "X-2", "notes": "someone"}\n', encoding="utf-8")
    err = _import("persons", path, capsys)
    assert "missing required column(s) given_name, family_name" in err


def test_repeated_columns_are_refused(world, tmp_path, capsys):
    err = _import("persons", _csv(tmp_path, "given_name,family_name,given_name\nAna,Lupu,Ion\n"), capsys)
    assert "line 1: column(s) given twice: given_name" in err


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "persons.csv"
    path.write_text(text, encoding="utf-8")
    return path
