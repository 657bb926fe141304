"""The TRM part of the demo: the shelter's case manager plans SOP measures for one woman it supports
(one done, one late, others ahead), tells her what identity protection can and cannot guarantee, and
records which packet fields she agrees to send with a request for assistance."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from palermo.referral import services
from palermo.referral.library import load_example
from palermo.referral.models import ContactEntry, IdentificationBody, Institution, SopMeasure

PLAN = [  # measure code, due (days from today; negative = past), done (days from today or None)
    ("ro-fa-1", -20, -21),
    ("ro-fa-2", -18, -15),
    ("ro-id-2", -5, None),
    ("ro-lt-1", 10, None),
    ("ro-rs-1", 3, None),
    ("ro-pr-1", 25, None),
]


def extend_demo(scenario) -> None:
    # The migration loads the example library; a database emptied since (tests' flush) gets it back here.
    load_example(Institution, IdentificationBody, SopMeasure, ContactEntry)
    case_manager = scenario.users["ngo.casemanager"]
    person = scenario.persons["ngo_woman0"]
    today = timezone.localdate()
    for code, due, done in PLAN:
        chosen = services.choose_measure(case_manager, person, {
            "measure": SopMeasure.objects.get(code=code).pk, "due_on": today + timedelta(days=due)})
        if done is not None:
            services.mark_done(case_manager, chosen, {"done_on": today + timedelta(days=done)})
    services.record_identity_notice(case_manager, person, {
        "language": "ro", "explained": "Her name travels only to the receiving organisation she chose; it cannot be "
                                       "guaranteed that the recruiter's family will not learn she returned."})
    services.record_step_consent(case_manager, person, {
        "step": "assistance_request", "fields": ["name", "medical", "assistance_needs"], "method": "written",
        "language": "ro"})
