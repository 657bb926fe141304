"""`palermo rotate-field-key`: every identity field re-encrypted under the first PALERMO_FIELD_KEY.

Resumable by construction: a value already under the first key is left alone, so a run that was
interrupted (crash, kill, power cut) is finished by running it again, and each value is re-encrypted at
most once. Each batch commits on its own, and a row is only rewritten while it still holds the
ciphertext that was read, so a change made by a user meanwhile is never overwritten.
Blind indexes are untouched: their key is pinned in PALERMO_INDEX_KEY (palermo/core/crypto.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from palermo.audit.services import record
from palermo.core import crypto
from palermo.core.models import NameVariant, Selector
from palermo.core.rules import name_key

BATCH = 500


class RotationRefused(Exception):
    """Rotating now would break something; the message says what to do first."""


@dataclass
class Rotation:
    checked: int = 0
    rotated: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


def encrypted_models() -> list[tuple[type, list]]:
    return [(m, fields) for m in apps.get_models() if (fields := crypto.encrypted_fields(m))]


def check_blind_indexes_survive() -> None:
    """Refuse unless the blind-index key is pinned (it must outlive the old field key) and is the key the
    stored indexes were made with (checked on a sample of selectors and name variants)."""
    if not settings.PALERMO_INDEX_KEY:
        raise RotationRefused(
            "PALERMO_INDEX_KEY is not set: the blind indexes would stop matching once the old key is gone. "
            "Before adding the new key, set PALERMO_INDEX_KEY to the output of `palermo index-key`.")
    for selector in Selector.objects.order_by("pk")[:20]:
        if crypto.blind_index(selector.kind, selector.value) != selector.value_index:
            raise RotationRefused("PALERMO_INDEX_KEY is not the key the stored blind indexes were made with; "
                                  "set it to what `palermo index-key` printed before the new key was added.")
    for variant in NameVariant.objects.order_by("pk")[:20]:
        if crypto.blind_index("name", name_key(variant.name)) != variant.name_index:
            raise RotationRefused("PALERMO_INDEX_KEY does not match the stored name indexes.")


def count_rows() -> int:
    return sum(model._base_manager.count() for model, _ in encrypted_models())


def rotate(progress: Callable[[int], None] = lambda n: None) -> Rotation:
    check_blind_indexes_survive()
    new_key = crypto.fingerprint(settings.PALERMO_FIELD_KEYS[0])
    with transaction.atomic():
        record(None, "rotate_field_key_started", object_type="database",
               details={"new_key": new_key, "keys_configured": crypto.field_key_fingerprints()})
    result = Rotation()
    for model, fields in encrypted_models():
        rotated_here = _rotate_table(model, fields, result, progress)
        if rotated_here:
            result.by_table[model._meta.label_lower] = rotated_here
    with transaction.atomic():
        record(None, "rotate_field_key", object_type="database",
               details={"new_key": new_key, "values_rotated": result.rotated, "rows_checked": result.checked,
                        "tables": result.by_table})
    return result


def _rotate_table(model, fields: list, result: Rotation, progress: Callable[[int], None]) -> int:
    sealed = {f"sealed_{f.attname}": Cast(f.attname, TextField()) for f in fields}
    rows = model._base_manager.order_by("pk").annotate(**sealed).values_list("pk", *sealed)
    last_pk, rotated_here = None, 0
    while True:
        batch = list((rows.filter(pk__gt=last_pk) if last_pk is not None else rows)[:BATCH])
        if not batch:
            return rotated_here
        with transaction.atomic():
            for pk, *tokens in batch:
                stale = {f: token for f, token in zip(fields, tokens, strict=True)
                         if token and not crypto.is_under_first_key(token)}
                if not stale:
                    continue
                unchanged = Q(*(Q(**{f.attname: crypto.Ciphertext(token)}) for f, token in stale.items()))
                model._base_manager.filter(unchanged, pk=pk).update(
                    **{f.attname: crypto.reencrypt(token) for f, token in stale.items()})
                rotated_here += len(stale)
                result.rotated += len(stale)
        result.checked += len(batch)
        progress(len(batch))
        last_pk = batch[-1][0]
