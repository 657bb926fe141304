"""`palermo screen --input people.jsonl --output results.jsonl`: the file contract end to end."""

import json

import pytest
from django.core.management import CommandError, call_command

PRESUMED_LABOUR = ["ADL-LAB-DR-S1", "ADL-LAB-DR-M1", "ADL-LAB-EX-S1", "ADL-LAB-EX-M1", "ADL-LAB-CD-S1",
                   "ADL-LAB-CD-S2"]


def _write(path, rows):
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows),
                    encoding="utf-8")


def test_screens_each_person_in_input_order(tmp_path, capsys):
    people, results = tmp_path / "people.jsonl", tmp_path / "results.jsonl"
    _write(people, [
        {"id": "p1", "age": 31, "exploitation": "labour", "indicators": PRESUMED_LABOUR},
        {"id": 2, "age": 40, "exploitation": "labour", "indicators": []},
    ])
    call_command("screen", "--input", str(people), "--output", str(results))
    rows = [json.loads(line) for line in results.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["p1", 2]
    assert rows[0]["outcome"] == "presumed_victim"
    assert rows[0]["dimensions"]["deceptive_recruitment"] is True
    assert rows[0]["dimensions"]["recruitment_by_abuse_of_vulnerability"] is False
    assert "Deceived about the nature of the job" in rows[0]["explanation"]
    assert rows[1]["outcome"] == "insufficient_indicators"
    assert set(rows[0]) == {"id", "dimensions", "outcome", "explanation"}
    assert "screened 2 people" in capsys.readouterr().out


def test_bad_lines_fail_with_line_numbers_and_write_nothing(tmp_path, capsys):
    people, results = tmp_path / "people.jsonl", tmp_path / "results.jsonl"
    _write(people, [
        {"id": "ok", "age": 30, "exploitation": "labour", "indicators": PRESUMED_LABOUR},
        "{not json",
        {"id": "x", "age": 30, "exploitation": "labour", "indicators": ["NOPE-1"]},
        {"id": "y", "age": 30, "exploitation": "sexual", "indicators": []},
    ])
    with pytest.raises(CommandError, match="3 error"):
        call_command("screen", "--input", str(people), "--output", str(results))
    err = capsys.readouterr().err
    assert "line 2: not valid JSON" in err
    assert "line 3:" in err and "NOPE-1" in err
    assert "line 4:" in err and "not in the catalogue" in err
    assert not results.exists()


def test_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("screen", "--input", str(tmp_path / "absent.jsonl"), "--output", str(tmp_path / "r.jsonl"))
