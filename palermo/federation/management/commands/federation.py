"""palermo federation init|card|partner|rotate-keys — this instance's identity and its partners."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from palermo.accounts.models import User
from palermo.core.rules import FieldErrors
from palermo.core.services import NotPermitted
from palermo.federation import outbox, services
from palermo.federation.models import OutboxMessage, Partner
from palermo.federation.registry import PING_TYPE


class Command(BaseCommand):
    help = "Federation between Palermo instances: identity, partner cards, partners, key rotation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="create this instance's identity and its signing and encryption keys")
        init.add_argument("--user", required=True, help="a platform administrator")
        init.add_argument("--instance-id", required=True, help="e.g. ro.palermo.example.org")
        init.add_argument("--name", required=True)
        init.add_argument("--url", required=True, help="where partners deliver messages")
        init.add_argument("--country", required=True, help="ISO 3166 code")
        init.add_argument("--contact-point", required=True)
        card = sub.add_parser("card", help="print this instance's partner card (JSON) to give to a partner")
        card.add_argument("--output", help="write the card to this file instead of printing it")
        rotate = sub.add_parser("rotate-keys", help="new keys; the old ones keep working for the overlap")
        rotate.add_argument("--user", required=True)
        rotate.add_argument("--overlap-days", type=int, default=services.DEFAULT_OVERLAP.days)
        ping = sub.add_parser("ping", help="queue a connection test to a partner")
        ping.add_argument("instance_id")
        ping.add_argument("--user", required=True)
        sub.add_parser("deliver", help="deliver the messages that are due now (the worker does this on its own)")
        outbox = sub.add_parser("outbox", help="messages sent and their status (--dead: the dead-letter list)")
        outbox.add_argument("--dead", action="store_true", help="only undeliverable and refused messages")
        retry = sub.add_parser("retry", help="send an undeliverable or refused message again")
        retry.add_argument("message_id")
        retry.add_argument("--user", required=True)
        retry.add_argument("--reason", required=True)
        partner = sub.add_parser("partner", help="add, list, suspend, resume partners or take their new keys")
        psub = partner.add_subparsers(dest="partner_action", required=True)
        psub.add_parser("list", help="partners, their status, trust and allowed message types")
        add = psub.add_parser("add", help="add a partner from the card it gave you")
        add.add_argument("card", help="the partner's card (JSON file)")
        add.add_argument("--user", required=True)
        add.add_argument("--trust", required=True, choices=[code for code, _ in Partner.TRUST_LEVELS])
        add.add_argument("--types", required=True, help="comma-separated message types the partner may exchange")
        add.add_argument("--fingerprint", required=True, help="the fingerprint the partner confirmed out of band")
        keys = psub.add_parser("update-keys", help="take a partner's new card after it rotated keys")
        keys.add_argument("instance_id")
        keys.add_argument("card")
        keys.add_argument("--user", required=True)
        keys.add_argument("--fingerprint", required=True)
        for name, helptext in (("suspend", "stop accepting and sending messages"), ("resume", "exchange again")):
            change = psub.add_parser(name, help=helptext)
            change.add_argument("instance_id")
            change.add_argument("--user", required=True)
            change.add_argument("--reason", required=True)

    def handle(self, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except FieldErrors as exc:
            raise CommandError("\n".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.errors.items())) from exc
        except (NotPermitted, services.NotInitialised) as exc:
            raise CommandError(str(exc)) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user {username!r}")
        return user

    def _init(self, *, user, instance_id, name, url, country, contact_point, **_):
        services.init_instance(self._user(user), instance_id=instance_id, name=name, url=url, country=country,
                               contact_point=contact_point)
        self.stdout.write(f"federation identity created for {instance_id}\nfingerprint: {services.fingerprint()}")

    def _card(self, *, output=None, **_):
        text = json.dumps(services.card(), indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"card written to {output}; fingerprint to confirm by phone: {services.fingerprint()}")
        else:
            self.stdout.write(text)

    def _rotate_keys(self, *, user, overlap_days, **_):
        fresh = services.rotate_keys(self._user(user), overlap=timedelta(days=overlap_days))
        self.stdout.write(f"new keys {', '.join(k.kid for k in fresh)}; old keys retire in {overlap_days} day(s). "
                          f"Send partners the new card. Fingerprint: {services.fingerprint()}")

    def _ping(self, *, instance_id, user, **_):
        actor = self._user(user)
        if not actor.is_superuser:
            raise CommandError("only the instance's platform administrators send connection tests")
        with transaction.atomic():
            message = outbox.send(actor, self._find(instance_id), PING_TYPE, {}, purpose="connection test")
        self.stdout.write(f"queued {message.message_id} to {instance_id}")

    def _deliver(self, **_):
        outcomes = outbox.deliver_due()
        self.stdout.write(", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "nothing due")

    def _outbox(self, *, dead, **_):
        messages = OutboxMessage.objects.select_related("partner")
        if dead:
            messages = messages.filter(status__in=[OutboxMessage.DEAD, OutboxMessage.REJECTED])
        for m in messages[:500]:
            self.stdout.write(f"{m.message_id}\t{m.partner.instance_id}\t{m.message_type}\t{m.status}\t"
                              f"attempts={m.attempts}\t{m.created:%Y-%m-%d %H:%M}\t{m.last_error.splitlines()[-1:] or ''}")

    def _retry(self, *, message_id, user, reason, **_):
        message = OutboxMessage.objects.filter(message_id=message_id).first()
        if message is None:
            raise CommandError(f"no message {message_id!r} in the outbox")
        outbox.retry_dead(self._user(user), message, reason=reason)
        self.stdout.write(f"{message_id} will be sent again")

    def _partner(self, *, partner_action, **options):
        getattr(self, "_partner_" + partner_action.replace("-", "_"))(**options)

    def _partner_list(self, **_):
        for p in Partner.objects.all():
            self.stdout.write(f"{p.instance_id}\t{p.country}\t{p.status}\t{p.trust_level}\t"
                              f"{','.join(p.allowed_message_types)}\t{p.url}")

    def _read_card(self, path: str) -> dict:
        try:
            return json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"card: cannot read {path}: {exc.strerror}") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"card: {path} is not a JSON partner card ({exc})") from exc

    def _partner_add(self, *, card, user, trust, types, fingerprint, **_):
        partner = services.add_partner(self._user(user), self._read_card(card), trust_level=trust,
                                       message_types=[t.strip() for t in types.split(",") if t.strip()],
                                       confirmed_fingerprint=fingerprint)
        self.stdout.write(f"partner {partner.instance_id} added ({partner.trust_level})")

    def _find(self, instance_id: str) -> Partner:
        partner = Partner.objects.filter(instance_id=instance_id).first()
        if partner is None:
            raise CommandError(f"no partner {instance_id!r}")
        return partner

    def _partner_update_keys(self, *, instance_id, card, user, fingerprint, **_):
        services.update_partner_keys(self._user(user), self._find(instance_id), self._read_card(card),
                                     confirmed_fingerprint=fingerprint)
        self.stdout.write(f"keys of {instance_id} updated")

    def _partner_suspend(self, *, instance_id, user, reason, **_):
        services.set_partner_status(self._user(user), self._find(instance_id), Partner.SUSPENDED, reason=reason)
        self.stdout.write(f"{instance_id} suspended")

    def _partner_resume(self, *, instance_id, user, reason, **_):
        services.set_partner_status(self._user(user), self._find(instance_id), Partner.ACTIVE, reason=reason)
        self.stdout.write(f"{instance_id} resumed")
