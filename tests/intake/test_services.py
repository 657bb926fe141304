"""Recording, triage, routing, grouping, linking, reassignment and escalation of signals."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.core import services as core
from palermo.core.rules import FieldErrors
from palermo.core.services import NotPermitted
from palermo.intake import selectors, services
from palermo.intake.models import Assignment, RoutingRule, Signal

pytestmark = pytest.mark.django_db


def call(world, **fields):
    data = {"channel": "PhoneCall", "caller_type": "CommunityMember", "country": "RO",
            "text": "Girls kept in a flat, they cannot leave."}
    data.update(fields)
    return services.record_signal(world.users["ngo_operator"], data)


def test_operator_signal_is_triaged_with_reasons_routed_and_audited(world):
    signal = call(world, exploitation_type="SexualExploitation", immediate_danger="yes", minors_involved="yes",
                  location="Strada Exemplu 4, Iasi")
    assert signal.owner_agency == world.agencies["ro-ngo"]
    assert signal.routed_agency == world.agencies["ro-police"]
    assert "Routing rule" in signal.routing_reason
    assert signal.triage_level == "critical"
    assert any("immediate danger" in r for r in signal.triage_reasons)
    assert any("minor" in r for r in signal.triage_reasons)
    assert signal.sla_due_at == signal.received_at + timedelta(hours=1)
    assert AuditEntry.objects.filter(action="record_signal", object_id=str(signal.pk)).exists()
    # the receiving police unit sees it in its queue through the routing share; the labour inspectors do not
    assert signal in selectors.queue(world.users["police_investigator"])
    assert not selectors.signals(world.users["labour_inspector"]).filter(pk=signal.pk).exists()
    assert Assignment.objects.get(signal=signal).kind == "routed"


def test_unroutable_signal_goes_to_the_national_queue(world):
    signal = call(world, exploitation_type="ForcedBegging")
    assert signal.routed_agency == world.agencies["ro-coord"]
    assert "national queue" in signal.routing_reason
    assert signal in selectors.queue(world.users["coordinator"])


def test_most_specific_rule_wins_and_task_force_queues_reach_members(world):
    farm = call(world, country="IT", region="apulia", exploitation_type="ForcedLabour")
    assert farm.routed_agency == world.agencies["it-labour"]
    milan = call(world, country="IT", region="Lombardy", exploitation_type="SexualExploitation")
    assert milan.routed_task_force == world.task_force
    assert milan in selectors.queue(world.users["police_investigator"])
    assert milan in selectors.queue(world.users["it_investigator"])


def test_bad_input_lists_every_field_and_writes_nothing(world):
    with pytest.raises(FieldErrors) as caught:
        call(world, channel="Pigeon", country="XX", minors_involved="maybe", interpreter_needed=True,
             indicator_codes=["IND-NOPE"])
    assert set(caught.value.errors) == {"channel", "country", "minors_involved", "interpreter_language",
                                        "indicator_codes"}
    assert not Signal.objects.exists()


def test_roles_without_intake_work_cannot_record(world):
    with pytest.raises(NotPermitted):
        services.record_signal(world.users["police_admin"], {"channel": "PhoneCall", "country": "RO", "text": "x"})


def test_extracted_selectors_and_indicators_keep_their_spans(world):
    text = "Sunați la 0722 555 123, i-au luat pașaportul"
    signal = call(world, text=text)
    phone = signal.selectors[0]
    assert phone["value"] == "+40722555123" and text[slice(*phone["span"])] == "0722 555 123"
    assert signal.language == "ro"
    assert any(hit["code"] == "IND-DOCS-WITHHELD" for hit in signal.indicators)


def test_suggested_links_only_from_records_the_viewer_may_see(world):
    signal = call(world, text="He calls from 0722 555 123 every night", exploitation_type="SexualExploitation")
    links = selectors.suggested_links(world.users["police_investigator"], signal)
    assert [link.holder for link in links] == [world.suspect]
    assert links[0].cases == [world.case]
    assert "0722 555 123" in links[0].why and "seized phone contacts" in links[0].why
    # the NGO operator who received the call cannot see the police records: no suggestion, no leak
    assert selectors.suggested_links(world.users["ngo_operator"], signal) == []


def test_repeated_signals_are_grouped_into_one_situation_and_raise_urgency(world):
    first = call(world, text="Number 0722 555 999, women never leave")
    second = call(world, text="Again: 0040 722 555 999")
    third = call(world, text="Unrelated report about a farm")
    assert first.situation_id == second.situation_id != third.situation_id
    assert any("1 earlier report" in r for r in second.triage_reasons)
    counts = selectors.queue_counts(world.users["coordinator"])
    assert counts == {"contacts": 3, "situations": 2, "overdue": 0}


def test_reassignment_is_audited_and_moves_visibility(world):
    signal = call(world, exploitation_type="SexualExploitation")
    supervisor = world.users["police_supervisor"]
    with pytest.raises(FieldErrors):
        services.reassign(supervisor, signal, to_agency=world.agencies["ro-coord"], reason="")
    with pytest.raises(NotPermitted):
        services.reassign(world.users["police_investigator"], signal, to_agency=world.agencies["ro-coord"],
                          reason="belongs to the coordinator")
    services.reassign(supervisor, signal, to_agency=world.agencies["ro-coord"], reason="begging ring, not ours")
    assert signal in selectors.queue(world.users["coordinator"])
    assert not selectors.signals(world.users["police_investigator"]).filter(pk=signal.pk).exists()
    history = list(Assignment.objects.filter(signal=signal).values_list("kind", flat=True))
    assert history == ["routed", "reassigned"]
    entry = AuditEntry.objects.get(action="reassign_signal", object_id=str(signal.pk))
    assert entry.purpose == "begging ring, not ours" and entry.actor_username == "police_supervisor"


def test_escalation_on_sla_breach_is_idempotent(world, capsys):
    late = call(world, exploitation_type="SexualExploitation", received_at=timezone.now() - timedelta(days=4))
    fresh = call(world, exploitation_type="SexualExploitation")
    call_command("intake", "escalate")
    assert "1 signal(s) escalated" in capsys.readouterr().out
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.escalated_to == world.agencies["ro-coord"] and fresh.escalated_at is None
    assert late in selectors.queue(world.users["coordinator"])
    call_command("intake", "escalate")
    assert "0 signal(s) escalated" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="escalate_signal").count() == 1


def test_acknowledged_signals_are_not_escalated(world):
    late = call(world, exploitation_type="SexualExploitation", received_at=timezone.now() - timedelta(days=4))
    services.set_status(world.users["police_investigator"], late, "acknowledged")
    assert services.escalate_overdue() == []


def test_routing_rules_are_for_supervisors_of_that_country(world):
    with pytest.raises(NotPermitted):
        services.create_routing_rule(world.users["police_investigator"],
                                     {"country": "RO", "target_agency": world.agencies["ro-police"]})
    with pytest.raises(FieldErrors) as caught:
        services.create_routing_rule(world.users["police_supervisor"], {"country": "IT"})
    assert set(caught.value.errors) == {"country", "target"}
    assert RoutingRule.objects.count() == 3


def test_other_agencies_reports_are_not_counted_in_triage(world):
    """Grouping is internal; a count of reports another agency holds would leak their existence."""
    services.record_signal(world.users["labour_inspector"], {
        "channel": "PhoneCall", "caller_type": "CommunityMember", "country": "IT", "region": "Apulia",
        "exploitation_type": "ForcedLabour", "text": "Workers kept on a farm, call 0040 722 555 777"})
    ngo_signal = call(world, text="Women kept in a flat, number 0722 555 777")
    assert not any("earlier report" in r for r in ngo_signal.triage_reasons)
    assert selectors.situation_size(world.users["ngo_operator"], ngo_signal) == 1


def test_names_the_caller_gives_are_matched_against_visible_persons_in_any_order(world):
    core.add_name_variant(world.users["police_investigator"], world.suspect, "Тест Суспект", "Transliteration",
                          "Ukrainian passport copy")
    signal = services.record_signal(world.users["police_investigator"], {
        "channel": "PhoneCall", "country": "RO", "text": "A man keeps women in a flat",
        "names_mentioned": "Suspect Test\nТест Суспект"})
    links = selectors.suggested_links(world.users["police_investigator"], signal)
    names = [link for link in links if link.kind == "name"]
    assert [link.holder.pk for link in names] == [world.suspect.pk]
    assert "Test" not in names[0].holder.pseudonym and "RO-T-1" in [c.reference for c in names[0].cases]
    assert selectors.suggested_links(world.users["ngo_operator"], signal) == []
