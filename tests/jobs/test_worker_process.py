"""A real `palermo worker` process on the test database: jobs run, failed attempts are retried, schedules
fire, and a worker killed with SIGKILL mid-job loses nothing and applies nothing twice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.core import services as core
from palermo.intake import services as intake
from palermo.intake.models import Assignment, Signal
from palermo.intel.models import DeconflictionAlert
from palermo.jobs import registry
from palermo.jobs import services as jobs
from palermo.jobs.models import Job
from tests.jobs import processes as P
from tests.jobs.worker_with_test_kinds import fails_first_attempt, slow_then_audited

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _on_the_queue(settings):
    settings.PALERMO_JOBS_INLINE = False
    registry.register("test.fails_first_attempt", fails_first_attempt, label="fails first attempt")
    registry.register("test.slow_then_audited", slow_then_audited, label="slow, then audited")


@pytest.fixture
def running():
    """Start workers through this; each is stopped (or was killed) at the end of the test."""
    started = []

    def start(**kwargs):
        process = P.worker(**kwargs)
        started.append(process)
        return process

    yield start
    for process in started:
        P.stop(process)


def _job(pk) -> Job:
    return Job.objects.get(pk=pk)


def _overdue_signals(world, count: int) -> list[Signal]:
    received = timezone.now() - timedelta(days=4)
    return [intake.record_signal(world.users["ngo_operator"], {
        "channel": "PhoneCall", "caller_type": "CommunityMember", "country": "RO", "received_at": received,
        "exploitation_type": "SexualExploitation", "text": f"Report {n}: girls kept in a flat, they cannot leave."})
        for n in range(count)]


def test_worker_runs_the_escalation_schedule_and_deconfliction_jobs(world, running):
    late = _overdue_signals(world, 1)[0]
    it_person = core.create_person(world.users["it_investigator"], {"given_name": "Other", "family_name": "Holder"})
    it_case = core.create_case(world.users["it_investigator"], {"reference": "IT-T-9", "title": "Milan bar"})
    core.add_person_role(world.users["it_investigator"], it_person, "Suspect", case=it_case,
                         started_on=date(2026, 1, 2))  # alerts only for selectors tied to a case
    core.add_selector(world.users["it_investigator"], it_person, "phone", "+40 722 555 123", source="wiretap")
    recorded = Job.objects.filter(kind="intel.deconfliction").latest("pk")
    assert recorded.status == Job.QUEUED and not DeconflictionAlert.objects.exists()  # queued, not run inline

    worker = running()
    P.wait_until(lambda: Signal.objects.filter(pk=late.pk, escalated_at__isnull=False).exists(), what="escalation")
    scheduled = P.wait_until(lambda: Job.objects.filter(kind="intake.escalate", status=Job.SUCCEEDED).first(),
                             what="the scheduled job to finish")
    assert scheduled.idempotency_key.startswith("schedule:intake.escalate:") and scheduled.result == {"escalated": 1}
    P.wait_until(lambda: _job(recorded.pk).status == Job.SUCCEEDED, what="deconfliction")
    assert DeconflictionAlert.objects.filter(agency=world.agencies["it-police"],
                                             other_agency=world.agencies["ro-police"]).exists()
    output = P.stop(worker)
    assert "intake.escalate" in output and "palermo:intake.escalate" in output
    P.audit_verify()


def test_a_failed_attempt_is_retried_by_the_queue(db, running):
    job = jobs.enqueue("test.fails_first_attempt")
    running(test_kinds=True)
    P.wait_until(lambda: _job(job.pk).attempts == 1 and _job(job.pk).status == Job.QUEUED, what="first attempt")
    assert "will be tried again" in _job(job.pk).message
    done = P.wait_until(lambda: (j := _job(job.pk)).status == Job.SUCCEEDED and j, what="the retry")
    assert done.attempts == 2 and done.result == {"succeeded_on_attempt": 2}


def test_kill9_mid_job_a_new_worker_finishes_it_and_its_effect_is_applied_once(db, running):
    job = jobs.enqueue("test.slow_then_audited", params={"steps": 30}, key="slow-job-1")
    first = running(test_kinds=True)
    P.wait_until(lambda: _job(job.pk).progress_done > 0, what="the job to be under way")
    P.kill9(first)
    killed = _job(job.pk)
    assert killed.status == Job.RUNNING and killed.progress_done < killed.progress_total
    assert not AuditEntry.objects.filter(action="test_job_effect").exists()

    running(test_kinds=True)
    done = P.wait_until(lambda: (j := _job(job.pk)).status == Job.SUCCEEDED and j, what="the re-run")
    assert done.attempts == 2
    assert jobs.enqueue("test.slow_then_audited", key="slow-job-1").pk == job.pk  # the same key: the same job
    assert AuditEntry.objects.filter(action="test_job_effect", object_id=str(job.pk)).count() == 1
    P.audit_verify()


@pytest.mark.slow
def test_kill9_during_escalation_leaves_no_signal_half_escalated_or_escalated_twice(world, running):
    signals = _overdue_signals(world, 60)
    job = jobs.enqueue("intake.escalate")

    def escalated():
        return Signal.objects.filter(escalated_at__isnull=False)

    first = running()
    P.wait_until(lambda: escalated().count() >= 3, interval=0.02, what="escalation to be under way")
    P.kill9(first)
    assert escalated().count() < len(signals), "the worker finished before it was killed; use more signals"
    for signal in escalated():  # what was committed is whole: the assignment, the share and the audit entry
        assert Assignment.objects.filter(signal=signal, kind="escalated").count() == 1
        assert AuditEntry.objects.filter(action="escalate_signal", object_id=str(signal.pk)).count() == 1

    running()
    P.wait_until(lambda: _job(job.pk).status == Job.SUCCEEDED, timeout=120, what="the escalation to finish")
    assert escalated().count() == len(signals)
    assert Assignment.objects.filter(kind="escalated").count() == len(signals)
    assert AuditEntry.objects.filter(action="escalate_signal").count() == len(signals)
    P.audit_verify()
