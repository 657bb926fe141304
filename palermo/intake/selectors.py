"""Reads of the intake app, all through palermo.core.visibility: queues, a signal and its history,
and suggested links — the records the viewer may see that share a selector with a signal."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from functools import cache

import pycountry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from palermo.accounts.models import Agency, TaskForce
from palermo.audit import services as audit
from palermo.core import visibility as V
from palermo.core import vocab
from palermo.core.crypto import blind_index
from palermo.core.models import Case, Organisation, Person
from palermo.core.rules import name_key
from palermo.core.selectors import NotVisible, stated_purpose
from palermo.intake.models import RoutingRule, Signal
from palermo.intake.services import queue_filter


def signals(user) -> QuerySet[Signal]:
    return V.visible(Signal.objects.all(), user).select_related(
        "owner_agency", "routed_agency", "routed_task_force", "escalated_to", "situation")


def signal_detail(user, pk) -> Signal:
    try:
        return signals(user).get(pk=int(pk))
    except (Signal.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such signal") from exc


def read_signal(user, signal: Signal, purpose: str) -> Signal:
    """The report's text may identify a victim: reading it is audited, with the purpose the user stated,
    before it is shown."""
    purpose = stated_purpose(purpose)
    with transaction.atomic():
        audit.record(user, "view_sensitive", signal, purpose=purpose)
    return signal


def queue(user, *, include_closed: bool = False) -> QuerySet[Signal]:
    """The viewer's agency queue: most urgent first, then the earliest SLA deadline."""
    if not (user.is_authenticated and user.agency_id):
        return Signal.objects.none()
    task_forces = TaskForce.objects.filter(agencies=user.agency_id).values("pk")
    qs = signals(user).filter(queue_filter(user.agency_id, task_forces))
    if not include_closed:
        qs = qs.exclude(status="closed")
    return qs.order_by("urgency_rank", "sla_due_at", "pk")


def queue_counts(user) -> dict[str, int]:
    """Contacts and situations in the open queue, as hotlines count them."""
    open_signals = queue(user)
    return {"contacts": open_signals.count(),
            "situations": open_signals.values("situation").distinct().count(),
            "overdue": open_signals.filter(status="new", sla_due_at__lt=timezone.now()).count()}


def assignments(user, signal: Signal):
    signal_detail(user, signal.pk)
    return signal.assignments.select_related("from_agency", "from_task_force", "to_agency", "to_task_force", "by")


def same_situation(user, signal: Signal) -> QuerySet[Signal]:
    """Other contacts about the same situation that the viewer may see."""
    return signals(user).filter(situation_id=signal.situation_id).exclude(pk=signal.pk).order_by("received_at")


def situation_size(user, signal: Signal) -> int:
    """How many contacts of the situation the viewer may see (a count of the others' would leak)."""
    return signals(user).filter(situation_id=signal.situation_id).count()


@dataclass
class SuggestedLink:
    """A record the viewer may see that holds a selector found in the signal, and why it is suggested."""

    kind: str
    raw: str
    holder: Person | Organisation
    holder_type: str
    source: str
    owner_agency: str
    cases: list[Case] = field(default_factory=list)

    @property
    def why(self) -> str:
        label = self.holder.pseudonym if isinstance(self.holder, Person) else self.holder.name
        return (f"The {self.kind} “{self.raw}” in this signal is recorded for {self.holder_type} {label} "
                f"({self.owner_agency}; source: {self.source}).")


def suggested_links(user, signal: Signal) -> list[SuggestedLink]:
    """Only selectors, persons, organisations and cases `user` may see are matched."""
    raw_by_index = {}
    for selector in signal.selectors:
        raw_by_index.setdefault(blind_index(selector["type"], selector["value"]), (selector["type"], selector["raw"]))
    for name in signal.names_mentioned or []:
        raw_by_index.setdefault(blind_index("name", name_key(name)), ("name", name))
    indexes = list(signal.selector_indexes.values_list("value_index", flat=True))
    if not indexes:
        return []
    matches = V.selectors(user).filter(value_index__in=indexes)
    links = V.selector_links(user).filter(selector__in=matches).select_related(
        "selector", "selector__owner_agency", "person", "organisation").order_by("pk")
    visible_cases = V.cases(user)
    suggestions = []
    for link in links:
        holder = link.person or link.organisation
        kind, raw = raw_by_index.get(link.selector.value_index, (link.selector.kind, "(added by the reporter)"))
        if isinstance(holder, Person):
            cases = list(visible_cases.filter(person_roles__in=V.person_roles(user).filter(person=holder)).distinct())
        else:
            cases = list(visible_cases.filter(
                caseorganisation__in=V.case_organisations(user).filter(organisation=holder)).distinct())
        suggestions.append(SuggestedLink(kind=kind, raw=raw, holder=holder,
                                         holder_type="person" if link.person_id else "organisation",
                                         source=link.source, owner_agency=link.selector.owner_agency.name,
                                         cases=cases))
    suggestions.extend(_name_matches(user, indexes, raw_by_index, visible_cases))
    return suggestions


def _name_matches(user, indexes, raw_by_index, visible_cases) -> list[SuggestedLink]:
    """Names the caller gave against the names (and name variants, any script or order) of visible persons."""
    found: dict[int, tuple[Person, str, str]] = {}
    for person in V.persons(user).filter(name_index__in=indexes).select_related("owner_agency"):
        found.setdefault(person.pk, (person, raw_by_index[person.name_index][1], "name on the record"))
    for variant in V.name_variants(user).filter(name_index__in=indexes).select_related("person__owner_agency"):
        found.setdefault(variant.person_id, (variant.person, raw_by_index[variant.name_index][1],
                                             f"{variant.get_kind_display().lower()} from {variant.source}"))
    links = []
    for person, raw, source in found.values():
        cases = list(visible_cases.filter(person_roles__in=V.person_roles(user).filter(person=person)).distinct())
        links.append(SuggestedLink(kind="name", raw=raw, holder=person, holder_type="person", source=source,
                                   owner_agency=person.owner_agency.name, cases=cases))
    return links


@cache
def _country_names(language: str):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language.replace("-", "_")]).gettext
    except OSError:
        return lambda name: name


def public_countries(language: str) -> list[tuple[str, str]]:
    """Countries where some agency receives reports (a routing rule or a national coordinator), named in
    the reporter's language."""
    codes = set(RoutingRule.objects.filter(active=True).values_list("country", flat=True))
    codes |= set(Agency.objects.filter(agency_type="NationalCoordinator").values_list("country", flat=True))
    translate = _country_names({"zh-hans": "zh_CN"}.get(language, language or "en"))
    names = {code: translate(vocab.countries().get(code, code)) for code in codes}
    return sorted(names.items(), key=lambda item: item[1])
