"""`palermo resolve`: every input record gets a cluster; bad input is reported by line, nothing written."""

import csv

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "source", "full_name", "given_name", "family_name", "date_of_birth", "nationality",
          "phone", "email", "document_number", "gender"]


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def test_resolve_clusters_the_same_person_across_agencies(tmp_path):
    records = tmp_path / "records.csv"
    _write(records, [
        ["ro-1", "ro-police", "Ioana Munteanu", "", "", "1999-04-12", "RO", "+40 722 123 456", "", "AB123456", "F"],
        ["it-7", "it-police", "MUNTEANU Ioana", "", "", "12/04/1999", "Romania", "0040722123456", "", "AB123456", "F"],
        ["ro-2", "ro-police", "Andrei Rusu", "", "", "1980", "RO", "", "", "", "M"],
    ])
    output = tmp_path / "clusters.csv"
    call_command("resolve", "--input", str(records), "--output", str(output))
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    clusters = {r["record_id"]: r["cluster_id"] for r in rows}
    assert set(clusters) == {"ro-1", "it-7", "ro-2"}
    assert clusters["ro-1"] == clusters["it-7"] != clusters["ro-2"]


def test_resolve_reports_bad_lines_and_writes_nothing(tmp_path):
    records = tmp_path / "records.csv"
    _write(records, [["x", "s", "A B", "", "", "31/31/1999", "", "", "", "", ""], ["x", "s", "C D", "", "", "", "", "", "", "", ""]])
    output = tmp_path / "clusters.csv"
    with pytest.raises(CommandError) as error:
        call_command("resolve", "--input", str(records), "--output", str(output))
    assert "line 2" in str(error.value) and "line 3" in str(error.value)
    assert not output.exists()
    with pytest.raises(CommandError, match="no such file"):
        call_command("resolve", "--input", str(tmp_path / "missing.csv"), "--output", str(output))


def test_spark_backend_refuses_an_input_too_small_to_train_on(tmp_path):
    records = tmp_path / "records.csv"
    _write(records, [["a", "s", "Ioana Munteanu", "", "", "1999", "", "", "", "", ""]])
    output = tmp_path / "clusters.csv"
    with pytest.raises(CommandError, match="at least 2000 records, this input has 1"):
        call_command("resolve", "--input", str(records), "--output", str(output), "--backend", "spark")
    assert not output.exists()
