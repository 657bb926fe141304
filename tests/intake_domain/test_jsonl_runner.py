import json

import pytest

from palermo.intake.extraction import ExtractionInputError, run_extract_file


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_each_input_line_gives_one_output_line(tmp_path):
    source, target = tmp_path / "tips.jsonl", tmp_path / "out.jsonl"
    write_lines(
        source,
        [
            json.dumps({"id": "a", "text": "Call 0721 234 567, they took her passport", "country": "RO"}),
            "",
            json.dumps({"id": 2, "text": "write ana (at) mail (dot) com"}),
        ],
    )
    calls = []
    summary = run_extract_file(source, target, progress=lambda done, total: calls.append((done, total)))
    rows = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["a", 2]
    assert rows[0]["selectors"] == [{"type": "phone", "value": "+40721234567", "span": [5, 17]}]
    assert rows[0]["indicators"] == [{"code": "IND-DOCS-WITHHELD", "span": [24, 41]}]
    assert rows[1]["selectors"] == [{"type": "email", "value": "ana@mail.com", "span": [6, 29]}]
    assert set(rows[0]) == {"id", "language", "selectors", "indicators"}
    assert calls == [(1, 2), (2, 2)]
    assert (summary.tips, summary.selectors, summary.indicators) == (2, 2, 1)


def test_rerun_gives_identical_output(tmp_path):
    source, target = tmp_path / "tips.jsonl", tmp_path / "out.jsonl"
    write_lines(
        source, [json.dumps({"id": i, "text": f"tel 0721 234 56{i}", "country": "RO"}) for i in range(5)]
    )
    run_extract_file(source, target)
    first = target.read_bytes()
    run_extract_file(source, target)
    assert target.read_bytes() == first


def test_bad_lines_reject_the_whole_file_with_line_numbers(tmp_path):
    source, target = tmp_path / "tips.jsonl", tmp_path / "out.jsonl"
    write_lines(
        source,
        [
            json.dumps({"id": "a", "text": "fine"}),
            "{not json",
            json.dumps({"id": "b"}),
            json.dumps({"id": "c", "text": "x", "country": "Romania"}),
            json.dumps({"id": "a", "text": "duplicate id"}),
            json.dumps(["a list"]),
        ],
    )
    with pytest.raises(ExtractionInputError) as caught:
        run_extract_file(source, target)
    assert [number for number, _ in caught.value.problems] == [2, 3, 4, 5, 6]
    message = str(caught.value)
    for number in (2, 3, 4, 5, 6):
        assert f"line {number}:" in message
    assert "line 1:" not in message
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_bad_file_leaves_an_earlier_output_untouched(tmp_path):
    source, target = tmp_path / "tips.jsonl", tmp_path / "out.jsonl"
    target.write_text("earlier result\n", encoding="utf-8")
    write_lines(source, [json.dumps({"text": "no id"})])
    with pytest.raises(ExtractionInputError, match="line 1: 'id'"):
        run_extract_file(source, target)
    assert target.read_text("utf-8") == "earlier result\n"
