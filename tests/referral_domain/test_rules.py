"""TRM rules in plain Python: packet consent per field and step, safeguards, adherence, stale contacts."""

from datetime import UTC, date, datetime, timedelta

from palermo.referral import rules
from palermo.referral.rules import StepConsent

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=1)


def _consent(step=rules.ASSISTANCE_REQUEST, fields=("name", "medical"), at=T0, granted=True, withdrawn=None):
    return StepConsent(step, granted, frozenset(fields), at, withdrawn)


def test_only_consented_fields_may_leave_and_each_other_field_is_named():
    packet = {"name": "A. Example", "medical": "asthma", "security_risk": "recruiter nearby", "travel": ""}
    problems = dict(rules.packet_problems(packet, [_consent()], rules.ASSISTANCE_REQUEST, LATER))
    assert list(problems) == ["security_risk"]
    assert "Security and risk assessment" in problems["security_risk"]
    assert rules.packet_problems({"name": "A.", "medical": "x"}, [_consent()], rules.ASSISTANCE_REQUEST, LATER) == []


def test_consent_is_per_step_and_a_withdrawal_or_later_refusal_stops_the_packet():
    packet = {"name": "A."}
    assert dict(rules.packet_problems(packet, [_consent()], rules.REINTEGRATION_REQUEST, LATER)).keys() == {"consent"}
    withdrawn = _consent(withdrawn=T0 + timedelta(hours=2))
    assert "withdrew" in dict(rules.packet_problems(packet, [withdrawn], rules.ASSISTANCE_REQUEST, LATER))["consent"]
    refused_later = _consent(at=T0 + timedelta(hours=1), granted=False, fields=())
    assert "refused" in dict(rules.packet_problems(packet, [_consent(), refused_later], rules.ASSISTANCE_REQUEST,
                                                   LATER))["consent"]
    assert rules.packet_problems(packet, [_consent(at=LATER + timedelta(days=1))], rules.ASSISTANCE_REQUEST, LATER)
    assert dict(rules.packet_problems({"passport": "x"}, [_consent()], rules.ASSISTANCE_REQUEST, LATER))["passport"]
    assert "packet" in dict(rules.packet_problems({"name": " "}, [_consent()], rules.ASSISTANCE_REQUEST, LATER))


def test_no_contact_with_the_origin_country_without_consent_or_where_it_endangers_the_person():
    safe = rules.RiskAssessment(date(2026, 4, 30), return_safe=True, origin_contact_endangers=False)
    endangers = rules.RiskAssessment(date(2026, 4, 30), return_safe=True, origin_contact_endangers=True)
    agreed = _consent(step=rules.ORIGIN_CONTACT, fields=())
    assert rules.origin_contact_problems(agreed, safe, LATER) == []
    assert len(rules.origin_contact_problems(None, safe, LATER)) == 1
    assert "endanger" in rules.origin_contact_problems(agreed, endangers, LATER)[0]
    assert "complete" in rules.origin_contact_problems(agreed, rules.RiskAssessment(None, True, False), LATER)[0]


def test_family_tracing_only_at_the_persons_wish_and_never_for_asylum_seekers():
    agreed = _consent(step=rules.FAMILY_TRACING, fields=())
    ok = {"consent": agreed, "at": LATER, "security_assessment_started": True}
    assert rules.family_tracing_problems(person_wishes=True, asylum_seeker=False, **ok) == []
    assert any("asylum" in p for p in rules.family_tracing_problems(person_wishes=True, asylum_seeker=True, **ok))
    assert any("wishes" in p for p in rules.family_tracing_problems(person_wishes=False, asylum_seeker=False, **ok))
    alone = rules.family_tracing_problems(person_wishes=True, asylum_seeker=False, consent=agreed, at=LATER,
                                          security_assessment_started=False)
    assert alone == ["start the security and risk assessment: tracing runs alongside it"]


def test_return_needs_a_completed_assessment_that_found_it_safe():
    assert rules.return_risk_problems(None)
    assert rules.return_risk_problems(rules.RiskAssessment(None, True, False))
    assert rules.return_risk_problems(rules.RiskAssessment(date(2026, 4, 1), False, False))
    assert rules.return_risk_problems(rules.RiskAssessment(date(2026, 4, 1), True, True)) == []


def test_the_person_is_told_about_identity_protection_before_the_first_step():
    assert rules.identity_notice_problem(None, LATER)
    assert rules.identity_notice_problem(LATER + timedelta(minutes=1), LATER)
    assert rules.identity_notice_problem(T0, LATER) is None


def test_adherence_states_and_summary():
    today = date(2026, 6, 10)
    assert rules.adherence(date(2026, 6, 1), date(2026, 6, 1), today) == rules.DONE
    assert rules.adherence(date(2026, 6, 1), date(2026, 6, 3), today) == rules.DONE_LATE
    assert rules.adherence(date(2026, 6, 9), None, today) == rules.LATE
    assert rules.adherence(date(2026, 6, 15), None, today) == rules.DUE_SOON
    assert rules.adherence(date(2026, 7, 15), None, today) == rules.PLANNED
    summary = rules.adherence_summary([(date(2026, 6, 1), date(2026, 6, 1)), (date(2026, 6, 1), None),
                                       (date(2026, 7, 1), None), (date(2026, 6, 1), date(2026, 6, 5))], today)
    assert (summary[rules.DONE], summary[rules.LATE], summary[rules.DONE_LATE], summary["on_time_percent"]) == (1, 1, 1, 33)
    assert rules.adherence_summary([], today)["on_time_percent"] is None


def test_stale_contacts_and_the_threshold_comes_from_data():
    assert rules.stale_after_days() == 180
    assert rules.is_stale(date(2026, 1, 1), date(2026, 12, 1), 180)
    assert not rules.is_stale(date(2026, 11, 1), date(2026, 12, 1), 180)
    assert rules.is_stale(None, date(2026, 12, 1), 180)


def test_the_example_library_covers_five_areas_with_child_measures_in_each_for_both_countries():
    rows = rules.read_csv("sop_measures.csv")
    institutions = {(r["country"], r["code"]) for r in rules.read_csv("institutions.csv")}
    for country in ("RO", "IT"):
        for area in rules.SOP_AREAS:
            in_area = [r for r in rows if r["country"] == country and r["area"] == area]
            assert in_area and any(r["children"] == "1" for r in in_area), (country, area)
            assert all(all(r[k].strip() for k in ("what", "when", "who", "how")) for r in in_area)
    assert all((r["country"], r["institution"]) in institutions for r in rows)
    assert {r["country"] for r in rules.read_csv("identification_bodies.csv")} == {"RO", "IT"}
    assert len(rules.PACKET_FIELDS) == 7
