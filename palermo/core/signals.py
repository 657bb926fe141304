"""Events other domain apps react to, so the core does not depend on them."""

from django.dispatch import Signal

# Sent after the transaction that recorded selectors commits; `value_indexes` lists their blind indexes.
selectors_recorded = Signal()
