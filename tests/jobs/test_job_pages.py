"""Jobs started from the UI and the API: progress page, who sees a job, the registry (jobs run inline here)."""

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.intel import selectors as S
from palermo.jobs import registry
from palermo.jobs import services as jobs
from palermo.jobs.models import Job

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_resolution_run_from_the_review_page_links_its_result_to_the_queue(demo, django_capture_on_commit_callbacks):
    analyst = _client(demo.users["ro.investigator"])
    assert reverse("intel:resolution_run") in analyst.get(reverse("intel:resolution")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(reverse("intel:resolution_run"))
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "intel.resolution_run" and job.status == Job.SUCCEEDED, job.error
    assert job.result == {"proposals": len(S.resolution_evidence(demo.users["ro.investigator"])),
                          "review_url_name": "intel:resolution"}
    assert AuditEntry.objects.filter(action="resolution_run", object_id=str(job.pk)).count() == 1
    page = analyst.get(reverse("jobs:detail", args=[job.pk]))
    assert reverse("intel:resolution") in page.content.decode() and "hx-trigger" not in page.content.decode()
    # A supervisor of the same agency follows it; another agency's does not even learn it exists.
    assert _client(demo.users["ro.supervisor"]).get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert _client(demo.users["it.supervisor"]).get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert _client(demo.users["ro.analyst"]).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_only_resolution_roles_start_a_run(demo):
    assert _client(demo.users["ngo.hotline"]).post(reverse("intel:resolution_run")).status_code == 403
    assert not Job.objects.filter(kind="intel.resolution_run").exists()


def test_progress_fragment_polls_until_the_job_has_finished(demo, settings):
    settings.PALERMO_JOBS_INLINE = False  # leave it on the queue: nobody runs it in this test
    job = jobs.enqueue("intel.resolution_run", requested_by=demo.users["ro.investigator"])
    job.progress_done, job.progress_total = 1, 2
    job.save()
    fragment = _client(demo.users["ro.investigator"]).get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="50"' in body and "<html" not in body


def test_api_shows_a_job_to_its_requester_only(demo, settings):
    settings.PALERMO_JOBS_INLINE = False
    job = jobs.enqueue("intel.resolution_run", requested_by=demo.users["ro.investigator"])
    token = ApiToken.issue(demo.users["ro.investigator"], "jobs test")[1]
    response = Client().get(f"/api/jobs/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["status"] == "queued"
    assert response.json()["label"] == "Entity-resolution run"
    assert _client(demo.users["it.investigator"]).get(f"/api/jobs/{job.pk}").status_code == 404
    assert Client().get(f"/api/jobs/{2**63}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_enqueue_with_the_same_key_gives_the_same_job(demo, settings):
    settings.PALERMO_JOBS_INLINE = False
    from django_q.models import OrmQ

    first = jobs.enqueue("intake.escalate", key="escalation-test")
    again = jobs.enqueue("intake.escalate", key="escalation-test")
    assert first.pk == again.pk and OrmQ.objects.count() == 1


def test_apps_register_kinds_and_schedules_without_the_jobs_app_importing_them():
    assert {"intake.escalate", "intel.deconfliction", "intel.resolution_run", "intel.network_export"} <= set(
        registry.kinds())
    assert registry.schedules()["intake.escalate"].minutes == 5
    import palermo.jobs.services as module

    source = open(module.__file__).read() + open(registry.__file__).read()
    assert "palermo.intake" not in source and "palermo.intel" not in source


def test_schedules_are_created_once_however_often_the_worker_starts(db):
    from django_q.models import Schedule

    jobs.ensure_schedules()
    jobs.ensure_schedules()
    schedule = Schedule.objects.get(name="palermo:intake.escalate")
    assert schedule.minutes == 5 and Schedule.objects.filter(name__startswith="palermo:").count() == len(
        registry.schedules())


def test_a_scheduled_run_makes_one_job_per_slot(db, settings):
    settings.PALERMO_JOBS_INLINE = False
    from datetime import UTC, datetime

    at = datetime(2026, 12, 1, 10, 1, tzinfo=UTC)
    assert jobs.run_scheduled("intake.escalate", at) == jobs.run_scheduled("intake.escalate", at.replace(minute=4))
    assert jobs.run_scheduled("intake.escalate", at.replace(minute=6)) != jobs.run_scheduled("intake.escalate", at)


def test_api_export_needs_a_purpose_and_returns_the_job_to_follow(demo, settings):
    settings.PALERMO_JOBS_INLINE = False
    token = ApiToken.issue(demo.users["ro.analyst"], "export test")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    refused = client.post("/api/intel/network/export", {"format": "graphml", "purpose": ""},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"] == ["body", "purpose"]
    accepted = client.post("/api/intel/network/export", {"format": "edges.csv", "purpose": "Case conference",
                                                         "country": ["RO"]}, content_type="application/json")
    assert accepted.status_code == 202
    job = Job.objects.get(pk=accepted.json()["job"])
    assert job.purpose == "Case conference" and job.params == {
        "format": "edges.csv", "filter": {"start": "", "end": "", "countries": ["RO"], "roles": [], "undated": ""}}
    assert client.get(accepted.json()["url"]).json()["status"] == "queued"


def test_a_run_whose_requester_lost_the_role_fails_at_once_with_a_reason(demo, settings):
    settings.PALERMO_JOBS_INLINE = False
    investigator = demo.users["ro.investigator"]
    job = jobs.enqueue("intel.resolution_run", requested_by=investigator)
    investigator.roles = ["hotline_operator"]
    investigator.save()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.FAILED and job.attempts == 1
    assert job.message == "Your role no longer allows entity-resolution runs."
    assert not AuditEntry.objects.filter(action="resolution_run", object_id=str(job.pk)).exists()
