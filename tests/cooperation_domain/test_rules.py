"""Rules of requests between states: kinds from data, deadlines, who moves a request on, reminders."""

from datetime import UTC, datetime, timedelta

from palermo.cooperation import rules

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_kinds_come_from_data_with_deadlines_and_roles():
    kinds = rules.kinds()
    assert kinds["danger_alert"].urgent and kinds["danger_alert"].deadline == timedelta(days=1)
    assert "art. 33" in kinds["danger_alert"].basis
    assert kinds["mutual_legal_assistance"].roles == {"prosecutor"}
    assert not kinds["information"].urgent


def test_a_deadline_may_be_sooner_never_later_or_past():
    kind = rules.kinds()["identity_verification"]
    assert rules.deadline_problems(kind, NOW, None) == []
    assert rules.deadline_problems(kind, NOW, NOW + timedelta(days=3)) == []
    assert rules.deadline_problems(kind, NOW, NOW + timedelta(days=30))[0][0] == "deadline"
    assert rules.deadline_problems(kind, NOW, NOW - timedelta(hours=1))[0][0] == "deadline"


def test_the_addressee_answers_and_the_requester_only_withdraws():
    assert rules.allowed_moves(rules.INCOMING, rules.SENT) == {"acknowledged", "in_progress", "executed", "refused"}
    assert rules.allowed_moves(rules.OUTGOING, rules.SENT) == {"withdrawn"}
    assert rules.allowed_moves(rules.INCOMING, rules.EXECUTED) == set()
    assert rules.move_problems(rules.OUTGOING, rules.SENT, rules.EXECUTED, "done")[0][0] == "status"
    assert rules.move_problems(rules.INCOMING, rules.SENT, rules.REFUSED, " ")[0][0] == "note"
    assert rules.move_problems(rules.INCOMING, rules.SENT, rules.ACKNOWLEDGED, "") == []


def test_overdue_requests_are_reminded_at_once_then_at_the_kinds_interval():
    kind = rules.kinds()["information"]
    deadline = NOW - timedelta(days=1)
    assert rules.is_overdue(rules.SENT, deadline, NOW)
    assert not rules.is_overdue(rules.EXECUTED, deadline, NOW)
    assert rules.reminder_due(kind, rules.SENT, deadline, None, NOW)
    assert not rules.reminder_due(kind, rules.SENT, deadline, NOW - timedelta(days=2), NOW)
    assert rules.reminder_due(kind, rules.SENT, deadline, NOW - timedelta(days=7), NOW)
    assert not rules.reminder_due(kind, rules.SENT, NOW + timedelta(days=1), None, NOW)
    urgent = rules.kinds()["danger_alert"]
    assert rules.reminder_due(urgent, rules.ACKNOWLEDGED, deadline, NOW - timedelta(hours=7), NOW)
