"""The cooperation message types, registered with the federation transport."""

from palermo.federation import registry


def register() -> None:
    from palermo.cooperation import services

    registry.register(services.REQUEST_TYPE, "Request between states and agencies", services.receive_request)
    registry.register(services.UPDATE_TYPE, "Answer to or withdrawal of a request", services.receive_update)
    registry.register(services.REMINDER_TYPE, "Reminder of an overdue request", services.receive_reminder)
