"""The intake part of the demo: routing rules for Romania and Italy and a few signals, one of which
mentions the document forger's phone, so the Iași police see a suggested link to their network case."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from palermo.intake import services


def _spoken_form(e164: str) -> str:
    """A Romanian mobile number the way a caller reads it out: 0722 123 456."""
    national = "0" + e164.removeprefix("+40")
    return f"{national[:4]} {national[4:7]} {national[7:]}"


def _phone_of(person) -> str:
    return next(link.selector.value for link in person.selector_links.select_related("selector")
                if link.selector.kind == "phone")


def extend_demo(s) -> None:
    supervisor = s.users["ro.supervisor"]
    for exploitation in ("SexualExploitation", "ForcedLabour"):
        services.create_routing_rule(supervisor, {"country": "RO", "exploitation_type": exploitation,
                                                  "target_agency": s.agencies["ro-police-atu"],
                                                  "note": "Anti-trafficking unit Iași handles Romanian signals"})
    for region, exploitation, agency, note in (
        ("Apulia", "ForcedLabour", "it-labour-foggia", "Farm work around Foggia"),
        ("Lombardy", "SexualExploitation", "it-police-milan", "Milan anti-trafficking section"),
    ):
        services.create_routing_rule(s.users["it.supervisor"], {
            "country": "IT", "region": region, "exploitation_type": exploitation,
            "target_agency": s.agencies[agency], "note": note})

    now = timezone.now()
    hotline = s.users["ngo.hotline"]
    forger_phone = _spoken_form(_phone_of(s.persons["forger"]))
    services.record_signal(hotline, {
        "channel": "PhoneCall", "caller_type": "FamilyOrFriend", "country": "RO", "region": "Iași",
        "location": "Blocul de lângă gara din Iași", "exploitation_type": "SexualExploitation",
        "venue_type": "Residential", "minors_involved": "yes", "ongoing_exploitation": "yes",
        "received_at": now - timedelta(minutes=40),
        "text": f"Sora mea are 16 ani. I-au luat pașaportul și îi spun că va lucra în Italia. "
                f"Omul care face actele sună de la {forger_phone}.",
    })
    services.record_signal(hotline, {
        "channel": "SMS", "caller_type": "Victim", "country": "RO", "exploitation_type": "SexualExploitation",
        "immediate_danger": "yes", "received_at": now - timedelta(minutes=5),
        "text": f"ajutor nu pot pleca. numarul lui: {forger_phone.replace(' ', '')}",
    })
    services.submit_public_report({
        "country": "IT", "region": "Apulia", "location": "Campagna vicino a Foggia",
        "exploitation_type": "ForcedLabour", "caller_type": "CommunityMember",
        "text": "Lavoratori dormono nei container, il caporale tiene i passaporti e non li paga da mesi.",
    })
    services.record_signal(s.users["ro.coordinator"], {
        "channel": "WebChat", "caller_type": "CommunityMember", "country": "RO", "exploitation_type": "ForcedBegging",
        "location": "Piața Unirii, București", "received_at": now - timedelta(days=2),
        "text": "Copii trimiși la cerșit în fiecare zi; un bărbat ia banii seara.",
    })
