"""Message types that domain apps send and receive through the federation.

The federation is a transport: it does not import the domain apps. Each app registers its types in
its AppConfig.ready() (e.g. protection registers the TRM referral notifications), naming the handler
that applies a received message. Partners are allowed types by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from palermo.federation.envelope import REJECTION_TYPE

PING_TYPE = "federation.ping"
RECEIPT_TYPE = "federation.receipt"
TRANSPORT_TYPES = frozenset({REJECTION_TYPE, RECEIPT_TYPE})


@dataclass(frozen=True)
class MessageType:
    name: str
    label: str
    apply: Callable | None  # apply(envelope, partner) inside the receiving transaction; None: transport-internal


_TYPES: dict[str, MessageType] = {}


def register(name: str, label: str, apply: Callable | None) -> MessageType:
    if name in _TYPES and _TYPES[name].apply is not apply:
        raise ValueError(f"message type {name!r} is already registered by another handler")
    _TYPES[name] = MessageType(name, label, apply)
    return _TYPES[name]


def get(name: str) -> MessageType | None:
    return _TYPES.get(name)


def names() -> list[str]:
    """Types a partner can be allowed (the transport's own answers are always allowed)."""
    return sorted(name for name in _TYPES if name not in TRANSPORT_TYPES)


register(REJECTION_TYPE, "Refusal of a message, with its reason", None)
register(RECEIPT_TYPE, "Signed receipt of a delivered message", None)
register(PING_TYPE, "Connection test between partners", None)
