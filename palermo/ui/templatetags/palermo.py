from django import template

from palermo.accounts import roles as R
from palermo.core import vocab

register = template.Library()


@register.filter
def vocab_label(code: str, vocabulary: str) -> str:
    return vocab.label(vocabulary, code)


@register.filter
def role_label(code: str) -> str:
    return R.ROLES.get(code, code)


@register.filter
def country_name(code: str) -> str:
    return vocab.countries().get(code, code)
