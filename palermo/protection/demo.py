"""The protection part of the demo: a service directory, and a worker from the Foggia labour case shared
with the NGO shelter so that its case manager (or the labour inspector) can screen him."""

from __future__ import annotations

from palermo.core import services as core_services
from palermo.protection import services

PROVIDERS = [
    # agency user, name, kind, region, languages, capacity, contact, address
    ("ngo.casemanager", "Casa Aurora Shelter", "shelter", "Iași", ["ro", "bg", "en"], 14,
     "Shelter coordinator, +40 232 000 200 (24 h)", "Demo street 1, Iași (confidential)"),
    ("ngo.casemanager", "Iași Demo Clinic (victim care)", "medical", "Iași", ["ro", "en"], None,
     "Reception, +40 232 000 210", "Demo boulevard 12, Iași"),
    ("ngo.casemanager", "Legal Aid Clinic Iași (demo)", "legal_aid", "Iași", ["ro", "en"], None,
     "Duty lawyer, +40 232 000 220", ""),
    ("ngo.casemanager", "Interpreters' pool Moldova (demo)", "interpreter", "Iași", ["ro", "bg", "it", "ru"], None,
     "Pool coordinator, +40 232 000 230", ""),
    ("it.inspector", "Legal aid desk Foggia (demo)", "legal_aid", "Apulia", ["it", "ro"], None,
     "Desk, +39 0881 000 610", ""),
]


def extend_demo(scenario) -> None:
    users = scenario.users
    for username, name, kind, region, languages, capacity, contact, address in PROVIDERS:
        services.add_provider(users[username], {
            "name": name, "kind": kind, "region": region, "languages": languages, "capacity": capacity,
            "contact": contact, "address": address})
    worker = scenario.persons["worker0"]
    services.record_consent(users["it.inspector"], worker, {"purpose": "sharing_abroad", "method": "oral",
                                                            "language": "ro", "interpreter": "vetted interpreter"})
    core_services.share(users["it.inspector"], worker, to_agency=scenario.agencies["ro-ngo-shelter"],
                        purpose="assistance on return: protection screening by the shelter's case manager",
                        use_restrictions="Protection purposes only; no onward sharing.")
    case_manager = users["ngo.casemanager"]
    services.assign_case_manager(case_manager, worker, case_manager)
    services.assess_needs(case_manager, worker, {
        "medical_needs": "Untreated hand injury from farm work", "medical_addressed": "on",
        "shelter_needs": "No safe place to stay in Iași", "safety_needs": "Gangmaster has his phone number",
        "psychosocial_needs": "Sleep problems; asks for someone who speaks Romanian"})
