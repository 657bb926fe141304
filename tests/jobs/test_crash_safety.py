"""SIGKILL in the middle of writes: an import, resolution merges (and, in test_worker_process.py,
escalation and a worker job). Nothing is left half-written, nothing is applied twice, and
`palermo audit verify` passes afterwards."""

import pytest

from palermo.audit.models import AuditEntry
from palermo.core import services as core
from palermo.core.models import Person
from palermo.intel.models import ResolutionLink
from tests.jobs import processes as P

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

GIVEN = ["Ana", "Ion", "Maria", "Elena", "Mihai", "Andrei", "Ioana", "Vasile", "Daniela", "Sorin"]
FAMILY = ["Lupu", "Vasilescu", "Popa", "Rusu", "Munteanu", "Stan", "Dobre", "Ungureanu", "Toma", "Neagu"]


def _persons_csv(path, count: int):
    lines = ["source_ref,given_name,family_name,date_of_birth,gender,citizenship"]
    for n in range(count):
        lines.append(f"GEN-{n},{GIVEN[n % 10]},{FAMILY[(n // 10) % 10]},{1960 + n % 40}-0{1 + n % 9}-1{n % 10},"
                     f"{'Feminine' if n % 2 else 'Masculine'},RO")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _kill_mid_write(process):
    """Kill the process while its write transaction is open (it is not allowed to finish first)."""
    P.wait_until(lambda: process.poll() is not None or P.another_writer_in_transaction(), timeout=120,
                 interval=0.02, what="the write transaction to begin")
    assert process.poll() is None, "the process ended before it could be killed: " + (process.stdout.read() or "")
    P.kill9(process)


def test_kill9_during_an_import_leaves_nothing_and_a_rerun_imports_each_record_once(world, tmp_path):
    investigator = world.users["police_investigator"]
    before = Person.objects.count()
    imports = AuditEntry.objects.filter(action="import")
    source = _persons_csv(tmp_path / "persons.csv", 600)

    _kill_mid_write(P.palermo("import", "persons", str(source), "--user", investigator.username))
    assert Person.objects.count() == before and not imports.exists()
    P.audit_verify()

    again = P.palermo("import", "persons", str(source), "--user", investigator.username)
    output, _ = again.communicate(timeout=300)
    assert again.returncode == 0, output
    assert Person.objects.count() == before + 600 and imports.count() == 1
    assert Person.objects.filter(source_ref="GEN-0").count() == 1
    P.audit_verify()


MERGE_LOOP = """
from palermo.accounts.models import User
from palermo.intel.services import decide_merge
actor = User.objects.get(username="police_investigator")
for left, right in {pairs}:
    decide_merge(actor, left, right, "accepted", "same person (crash test)")
"""


def test_kill9_during_resolution_merges_leaves_each_merge_whole(world):
    investigator = world.users["police_investigator"]
    pairs = []
    for n in range(30):  # enough that the kill lands mid-way on an idle machine too
        data = {"given_name": GIVEN[n % 10], "family_name": FAMILY[n // 10 + n % 3],
                "date_of_birth": f"19{60 + n}-03-1{n % 10}"}
        pairs.append((core.create_person(investigator, data).pk, core.create_person(investigator, data).pk))
    merges = AuditEntry.objects.filter(action="resolution_accepted")

    loop = P.palermo("shell", "-c", MERGE_LOOP.format(pairs=pairs))
    P.wait_until(lambda: loop.poll() is not None or ResolutionLink.objects.count() >= 2, timeout=120,
                 interval=0.02, what="some merges")
    _kill_mid_write(loop)
    done = ResolutionLink.objects.count()
    assert 0 < done < len(pairs), "every merge finished before the kill; use more pairs"
    # Each merge is whole: its link and its audit entry, or neither.
    assert sorted(merges.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in ResolutionLink.objects.values_list("pk", flat=True))
    P.audit_verify()

    rerun = P.palermo("shell", "-c", MERGE_LOOP.format(pairs=pairs))
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output
    assert ResolutionLink.objects.count() == len(pairs)  # one link per pair, however often it was decided
    assert set(ResolutionLink.objects.values_list("status", flat=True)) == {"accepted"}
    P.audit_verify()
