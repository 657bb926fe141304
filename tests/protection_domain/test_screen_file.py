import json
import random

import pytest

from palermo.protection.domain import catalogue
from palermo.protection.domain.screen_file import ScreenFileError, run_screen_file


def _write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_contract_output_lines(tmp_path):
    source, target = tmp_path / "people.jsonl", tmp_path / "results.jsonl"
    _write(source, [
        {"id": "p1", "age": 30, "exploitation": "labour",
         "indicators": ["ADL-LAB-DR-S1", "ADL-LAB-DR-M1", "ADL-LAB-EX-S1", "ADL-LAB-EX-M1", "ADL-LAB-CD-S1",
                        "ADL-LAB-CD-M1"]},
        {"id": 2, "exploitation": "labour", "indicators": []},
    ])
    seen = []
    summary = run_screen_file(source, target, progress=lambda done, total: seen.append((done, total)))
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [set(row) for row in rows] == [{"id", "dimensions", "outcome", "explanation"}] * 2
    assert rows[0]["id"] == "p1" and rows[0]["outcome"] == "presumed_victim"
    assert rows[0]["dimensions"]["coercion_at_destination"] is True
    assert rows[1]["id"] == 2 and rows[1]["outcome"] == "insufficient_indicators"
    assert "presumed a child" in rows[1]["explanation"]
    assert summary.people == 2 and summary.outcomes == {"presumed_victim": 1, "insufficient_indicators": 1}
    assert seen[-1] == (2, 2)


def test_errors_carry_line_numbers_and_nothing_is_written(tmp_path):
    source, target = tmp_path / "people.jsonl", tmp_path / "results.jsonl"
    _write(source, [
        {"id": "ok", "age": 20, "exploitation": "labour", "indicators": ["ADL-LAB-EX-S1"]},
        "{not json",
        {"id": "child", "age": 17, "exploitation": "labour", "indicators": ["ADL-LAB-EX-S1"]},
        {"id": "ok", "age": 20, "exploitation": "labour", "indicators": []},
        {"id": "x", "age": 20, "exploitation": "labour"},
        {"id": "y", "age": 20, "exploitation": "labour", "indicators": ["NOPE"], "name": "z"},
    ])
    with pytest.raises(ScreenFileError) as caught:
        run_screen_file(source, target)
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 5", "line 6"]
    assert "adults/labour" in errors[1]
    assert "duplicate id" in errors[2]
    assert "missing field(s): indicators" in errors[3]
    assert "unexpected field(s): name" in errors[4]
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_failed_run_keeps_previous_output(tmp_path):
    source, target = tmp_path / "people.jsonl", tmp_path / "results.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    _write(source, [{"id": "a", "age": 30, "exploitation": "labour", "indicators": ["CHD-LAB-EX-S1"]}])
    with pytest.raises(ScreenFileError):
        run_screen_file(source, target)
    assert target.read_text(encoding="utf-8") == "previous\n"


def test_rerun_is_idempotent_on_generated_people(tmp_path):
    rng = random.Random(4)
    adult = [i.code for i in catalogue.indicators_of("adults_labour")]
    child = [i.code for i in catalogue.indicators_of("children_labour")]
    rows = []
    for number in range(300):
        age = rng.choice([None, rng.randint(8, 17), rng.randint(18, 70)])
        pool = child if age is None or age < 18 else adult
        rows.append({"id": f"person-{number}", "age": age, "exploitation": "labour",
                     "indicators": rng.sample(pool, rng.randint(0, 12))})
    source, target = tmp_path / "people.jsonl", tmp_path / "results.jsonl"
    _write(source, rows)
    first = run_screen_file(source, target)
    content = target.read_bytes()
    second = run_screen_file(source, target)
    assert target.read_bytes() == content and first == second
    assert set(first.outcomes) == {"insufficient_indicators", "possible_victim", "presumed_victim"}
