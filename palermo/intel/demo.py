"""Intelligence part of the demo scenario: grading settings per agency, a collection requirement and
graded reports, the Operation Iris plan, the shelter's records shared for identification, and the deconfliction alert raised because the forger's phone
is held by both the Romanian and the Milan police, and an analyst's dated judgement of the network's type."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from palermo.accounts.models import Compartment
from palermo.core import services as core_services
from palermo.intel import services
from palermo.intel.models import IntelSettings
from palermo.protection.services import record_consent

# The Italian police and prosecutors grade under the EU 4x4 model; everyone else under the UK 3x5x2.
GRADING_MODELS = {"it-police-milan": "4x4", "it-prosecutor-milan": "4x4"}


def extend_demo(scenario) -> None:
    for code, agency in scenario.agencies.items():
        IntelSettings.objects.create(agency=agency, grading_model=GRADING_MODELS.get(code, "3x5x2"))
    _reports(scenario)
    _operation(scenario)
    _shelter_shares_for_identification(scenario)
    services.scan_deconfliction()
    _network_type_judgement(scenario)


def _network_type_judgement(scenario) -> None:
    """The Romanian analyst's dated call on the network's type, kept with the facts of the graph they saw."""
    services.record_network_type_judgement(scenario.users["ro.analyst"], {
        "network_type": "broker", "judged_on": timezone.localdate() - timedelta(days=14),
        "rationale": "Broker network: recruiters in Bulgaria and Romania hand women to one organiser, with the "
                     "forger, the travel agency and the money transfer point as the links to the legal world. "
                     "The graph is one dense cluster because everyone appears in the same case, so its "
                     "centralisation measures cannot separate the cells yet; revisit when the Italian side is shared.",
    })


def _shelter_shares_for_identification(scenario) -> None:
    """The shelter shares its three records with the police unit, with the women's consent, so that an
    analyst can resolve them against the police's own records (different spellings) after review."""
    for key in ("ngo_woman0", "ngo_woman1", "ngo_woman5"):
        record_consent(scenario.users["ngo.casemanager"], scenario.persons[key],
                       {"purpose": "sharing_with_agency", "method": "written", "language": "ro"})
        core_services.share(scenario.users["ngo.casemanager"], scenario.persons[key],
                            to_agency=scenario.agencies["ro-police-atu"],
                            purpose="identification of victims across records, with the person's consent",
                            use_restrictions="Protection purposes only; no contact without the shelter's case manager.")


def _reports(scenario) -> None:
    users, today = scenario.users, timezone.localdate()
    review, expiry = (today + timedelta(days=90)).isoformat(), (today + timedelta(days=365)).isoformat()
    requirement = services.create_requirement(users["ro.analyst"], {
        "title": "Who supplies the forged work contracts?", "priority": "high",
        "question": "Identify who produces the work contracts and passports carried by the drivers, and how they are paid.",
    })
    debrief = services.create_report(users["ro.investigator"], {
        "title": "Debrief: the 'Artistul' supplies passports", "kind": "information", "requirement": requirement.pk,
        "body": "Informant states that a man known as 'Artistul' produces Moldovan passports and contracts for the drivers, paid in cash per document.",
        "source_description": "registered informant, handled by the ATU", "review_on": review, "expires_on": expiry,
        "sensitivity": "restricted",
        "grade": {"source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "C",
                  "conditions": ["Do not disclose outside the ATU without the handler's consent."]},
    })
    services.create_report(users["ro.analyst"], {
        "title": "Assessment: the forger is a single point of failure", "kind": "intelligence",
        "derived_from": [debrief.pk], "review_on": review, "expires_on": expiry, "sensitivity": "restricted",
        "body": "The network relies on one document supplier; no other forger appears in the records held.",
        "source_description": "analysis of ATU holdings and the debrief",
        "grade": {"source_evaluation": "1", "intelligence_assessment": "B", "handling_code": "P"},
    })
    services.create_report(users["it.investigator"], {
        "title": "Bar Luna landline calls a Romanian number", "kind": "information",
        "body": "Call records show regular calls from Bar Luna's landline to a Romanian mobile number.",
        "source_description": "call data records under court order", "review_on": review, "expires_on": expiry,
        "grade": {"source_reliability": "A", "information_accuracy": "1", "handling_codes": ["H1"]},
    })


def _operation(scenario) -> None:
    iris = Compartment.objects.get(name="Operation Iris — team leaders")
    services.create_operation(scenario.users["ro.investigator"], {
        "name": "Operation Iris — arrest phase", "compartment": iris, "case": scenario.cases["operation"],
        "objective": "Arrest the leader and the document forger on the same morning; secure the victims first.",
        "targets": [scenario.persons["leader"].pk, scenario.persons["forger"].pk],
        "victim_risk_assessment": "Women still in Milan may be moved or threatened when the arrests are known: "
                                  "the Milan squad and the shelter stand by to receive them the same day.",
        "operation_risk_assessment": "The official may warn the leader; he is not told of the date.",
    })
