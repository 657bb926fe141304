"""The TRM notifications, registered with the federation transport (seed 003 ch. 12, box 4)."""

from palermo.federation import registry


def register() -> None:
    from palermo.referral import services

    registry.register(services.ASSISTANCE_TYPE, "TRM: request for assistance", services.receive_request)
    registry.register(services.REINTEGRATION_TYPE, "TRM: request for (re)integration support",
                      services.receive_request)
    registry.register(services.ANSWER_TYPE, "TRM: confirmation or refusal of a referral", services.receive_answer)
