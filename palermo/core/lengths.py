"""Text longer than its column is a field error for every model, on every database: PostgreSQL refused
it with a server error (schemathesis found a 13-character `primary_language`) and SQLite stored it.
Services check the lengths users meet; this is the one guard behind all of them."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import pre_save

from palermo.core.rules import FieldErrors


def refuse_text_longer_than_its_column(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixtures load as stored
        return
    errors = {}
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField) and field.max_length:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and len(value) > field.max_length:
                errors[field.name] = [f"at most {field.max_length} characters"]
    if errors:
        raise FieldErrors(errors)


def connect() -> None:
    pre_save.connect(refuse_text_longer_than_its_column, dispatch_uid="palermo.core.lengths")
