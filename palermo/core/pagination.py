"""API list pagination. Offsets are bounded to what the databases can take (PostgreSQL's OFFSET is a bigint:
2^63 and above was a server error, not a field error). Long lists also take a `cursor` (palermo.core.keyset)
that reaches the last page as fast as the first; every keyset page carries `next_cursor`/`previous_cursor`,
so a client can start with an offset and follow cursors from there."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination, PaginationBase

from palermo.core import keyset
from palermo.core.rules import FieldErrors

# Far beyond any list the platform holds, and far inside every database's range.
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """The project's default (NINJA_PAGINATION_CLASS): a plain `@paginate` uses it."""

    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class KeysetPagination(PaginationBase):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip; prefer `cursor` for long lists")
        cursor: str | None = Field(None, description="`next_cursor` or `previous_cursor` of an earlier page")

    class Output(Schema):
        items: list[Any]
        count: int
        next_cursor: str | None
        previous_cursor: str | None

    def __init__(self, *, ordering: tuple[str, ...], **kwargs: Any) -> None:
        self.ordering = keyset.Ordering(ordering)
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination: Input, request, **params: Any) -> dict:
        if pagination.cursor and pagination.offset:
            raise FieldErrors({"offset": ["send either an offset or a cursor, not both"]})
        count = queryset.count()
        if pagination.cursor or not pagination.offset:
            try:
                found = keyset.page(queryset, self.ordering, pagination.cursor, pagination.limit)
            except keyset.CursorError as exc:
                raise FieldErrors({"cursor": [str(exc)]}) from exc
            return {"items": found.items, "count": count, "next_cursor": found.next_cursor,
                    "previous_cursor": found.previous_cursor}
        offset = pagination.offset
        items = list(queryset.order_by(*self.ordering.fields)[offset : offset + pagination.limit])
        return {"items": items, "count": count,
                "next_cursor": keyset.encode(self.ordering.key_of(items[-1]))
                if items and offset + len(items) < count else None,
                "previous_cursor": keyset.encode(self.ordering.key_of(items[0]), backwards=True) if items else None}
