"""Sign-in status of a user for the administration pages."""

from django import template

from palermo.accounts import security

register = template.Library()


@register.simple_tag
def sign_in_status(user) -> dict:
    return {"locked_until": security.account_locks([user.username]).get(user.username),
            "has_mfa": security.has_mfa(user), "required": security.mfa_required_for(user),
            "events": security.recent_sign_in_events(user)}
