"""Keyset ("seek") pagination: a page starts after the last row of the previous one, found through the sort
key, so the database never reads and throws away the rows before it. With OFFSET the last page of a long
list walks the whole visible set through the visibility rule; with a key it costs what the first page costs.

A cursor is an opaque token: the sort key of the boundary row and the direction. It carries no filter and no
user, so it grants nothing — the queryset it is applied to is already the viewer's visible set.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


class CursorError(ValueError):
    """A cursor that was not written by this module for this list."""


@dataclass(frozen=True)
class Ordering:
    """A sort order whose last field is unique, so every row has one place and no row repeats or goes missing."""

    fields: tuple[str, ...]

    def names(self) -> list[str]:
        return [f.lstrip("-") for f in self.fields]

    def reversed(self) -> Ordering:
        return Ordering(tuple(f[1:] if f.startswith("-") else f"-{f}" for f in self.fields))

    def key_of(self, row: Any) -> list:
        return [_plain(getattr(row, "pk" if name == "pk" else name)) for name in self.names()]

    def after(self, key: list) -> Q:
        """Rows strictly after `key` in this order: (a, b) > (x, y) as a > x or (a = x and b > y)."""
        condition = Q(pk__in=[])
        equal = Q()
        for field, value in zip(self.fields, key, strict=True):
            name = field.lstrip("-")
            condition |= equal & Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
            equal &= Q(**{name: value})
        return condition


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def encode(key: list, backwards: bool = False) -> str:
    raw = json.dumps({"k": key, "b": backwards}, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, ordering: Ordering) -> tuple[list, bool]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key, backwards = data["k"], data["b"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise CursorError("not a cursor of this list") from exc
    if (not isinstance(key, list) or len(key) != len(ordering.fields) or not isinstance(backwards, bool)
            or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in key)):
        raise CursorError("not a cursor of this list")
    return key, backwards


def _typed(model, ordering: Ordering, key: list) -> list:
    """The cursor's values as the sort fields' Python values: a forged cursor is a field error, never a
    database error."""
    typed = []
    for name, value in zip(ordering.names(), key, strict=True):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if isinstance(value, str) and "\x00" in value:
            raise CursorError("not a cursor of this list")
        try:
            typed.append(field.to_python(value))
        except (ValidationError, ValueError, TypeError) as exc:
            raise CursorError("not a cursor of this list") from exc
    return typed


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None


def page(queryset: QuerySet, ordering: Ordering, cursor: str | None, limit: int) -> KeysetPage:
    """One page of `queryset` in `ordering`: the first one without a cursor, else the page after (or before)
    the cursor's row. One query, limit + 1 rows, to know whether there is a further page."""
    key, backwards = decode(cursor, ordering) if cursor else (None, False)
    if key is not None:
        key = _typed(queryset.model, ordering, key)
    order = ordering.reversed() if backwards else ordering
    queryset = queryset.order_by(*order.fields)
    if key is not None:
        queryset = queryset.filter(order.after(key))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    has_next = more if not backwards else True
    has_previous = (key is not None) if not backwards else more
    return KeysetPage(
        rows,
        encode(ordering.key_of(rows[-1])) if has_next else None,
        encode(ordering.key_of(rows[0]), backwards=True) if has_previous else None,
    )
