"""`palermo worker` with two job kinds that exist only for tests/jobs: one that fails its first attempt,
and one slow enough to be killed mid-way whose single effect is an audit entry."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from palermo.cli import prepare_environment  # noqa: E402


def fails_first_attempt(job, progress):
    if job.attempts < 2:
        raise RuntimeError("the first attempt fails on purpose")
    return {"succeeded_on_attempt": job.attempts}


def slow_then_audited(job, progress):
    from palermo.audit import services as audit
    from palermo.jobs import services as jobs

    steps = int(job.params.get("steps", 20))
    for step in range(steps):
        progress(step, steps)
        time.sleep(0.1)
    jobs.finish(job, {"steps": steps}, effect=lambda: audit.record(
        None, "test_job_effect", object_type="jobs.job", object_id=str(job.pk)))


def main():
    prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command

    from palermo.jobs import registry

    registry.register("test.fails_first_attempt", fails_first_attempt, label="fails first attempt")
    registry.register("test.slow_then_audited", slow_then_audited, label="slow, then audited")
    call_command("worker")


if __name__ == "__main__":
    main()
