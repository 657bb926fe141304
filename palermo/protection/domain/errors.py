"""Errors raised by the protection domain; all are ValueErrors so callers can show them as input errors."""


class ProtectionDomainError(ValueError):
    """Base class: the input cannot be judged as given (the message says why)."""


class UnknownIndicatorError(ProtectionDomainError):
    """An indicator code is not in the ILO/EC catalogue."""


class WrongIndicatorListError(ProtectionDomainError):
    """An indicator code belongs to another list (adults vs children, labour vs sexual)."""


class CatalogueListUnavailableError(ProtectionDomainError):
    """The requested ILO/EC list has not been transcribed into the catalogue yet."""


class UnauthorisedError(ProtectionDomainError):
    """The actor's role may not take this decision or override."""


class MissingReasonError(ProtectionDomainError):
    """A decision or override needs a written reason of the minimum length."""
