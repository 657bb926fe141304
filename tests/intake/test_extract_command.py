"""`palermo extract`: the batch contract through the management command."""

import json

import pytest
from django.core.management import CommandError, call_command


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_writes_one_result_per_tip_with_spans(tmp_path, capsys):
    source, target = tmp_path / "tips.jsonl", tmp_path / "out.jsonl"
    text = "Sunați la 0722 123 456, i-au luat pașaportul"
    write_lines(source, [json.dumps({"id": "t1", "text": text, "country": "RO"}),
                         json.dumps({"id": 2, "text": "write to ana at example dot com"})])
    call_command("extract", "--input", str(source), "--output", str(target))
    results = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results] == ["t1", 2]
    phone = results[0]["selectors"][0]
    assert phone["type"] == "phone" and phone["value"] == "+40722123456"
    start, end = phone["span"]
    assert text[start:end] == "0722 123 456"
    assert results[0]["language"] == "ro"
    assert any(hit["code"] == "IND-DOCS-WITHHELD" for hit in results[0]["indicators"])
    assert results[1]["selectors"] == [{"type": "email", "value": "ana@example.com", "span": [9, 31]}]
    assert "extracted 2 tips" in capsys.readouterr().out


def test_bad_lines_are_listed_by_number_and_nothing_is_written(tmp_path, capsys):
    source, target = tmp_path / "tips.jsonl", tmp_path / "out.jsonl"
    write_lines(source, [json.dumps({"id": 1, "text": "ok"}), "{not json", json.dumps({"id": 3, "country": "RO"}),
                         json.dumps({"id": 1, "text": "again"})])
    with pytest.raises(CommandError, match="3 bad line"):
        call_command("extract", "--input", str(source), "--output", str(target))
    errors = capsys.readouterr().err
    assert "line 2: not valid JSON" in errors
    assert "line 3: 'text' (a string) is required" in errors
    assert "line 4: id 1 already used on line 1" in errors
    assert not target.exists()


def test_missing_input_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("extract", "--input", str(tmp_path / "absent.jsonl"), "--output", str(tmp_path / "o.jsonl"))
