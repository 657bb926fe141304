"""Forms of the intake pages. They render labelled, keyboard-friendly fields and coerce input; the rules
themselves are checked in palermo.intake.services, whose field errors are shown beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, TaskForce
from palermo.core import vocab
from palermo.intake import vocabularies as IV
from palermo.intake.models import RoutingRule

TRISTATE = [("unknown", "Unknown"), ("yes", "Yes"), ("no", "No")]


def _blank(choices, label="—"):
    return [("", label), *choices]


class OperatorIntakeForm(forms.Form):
    """In the order an operator asks while on the phone; access keys in brackets on the labels."""

    channel = forms.ChoiceField(label="Channel [Alt+C]", choices=IV.CHANNELS, initial="PhoneCall",
                                widget=forms.Select(attrs={"autofocus": True, "accesskey": "c"}))
    caller_type = forms.ChoiceField(label="Caller", choices=IV.CALLER_TYPES, initial="Anonymous")
    immediate_danger = forms.ChoiceField(label="Someone in immediate danger? [Alt+D]", choices=TRISTATE,
                                         widget=forms.Select(attrs={"accesskey": "d"}))
    minors_involved = forms.ChoiceField(label="Minor involved? [Alt+M]", choices=TRISTATE,
                                        widget=forms.Select(attrs={"accesskey": "m"}))
    ongoing_exploitation = forms.ChoiceField(label="Happening now?", choices=TRISTATE)
    country = forms.ChoiceField(label="Country", choices=vocab.country_choices)
    region = forms.CharField(label="Region", required=False, max_length=120)
    location = forms.CharField(label="Location (address, landmark) [Alt+L]", required=False, max_length=300,
                               widget=forms.TextInput(attrs={"accesskey": "l"}))
    exploitation_type = forms.ChoiceField(label="Type of exploitation", required=False,
                                          choices=_blank(IV.EXPLOITATION_TYPES, "not known yet"))
    venue_type = forms.ChoiceField(label="Venue or industry (Polaris typology)", required=False,
                                   choices=_blank(IV.VENUE_TYPES, "not known yet"))
    interpreter_needed = forms.BooleanField(label="Interpreter needed", required=False)
    interpreter_language = forms.CharField(label="Interpreter language", required=False, max_length=12)
    text = forms.CharField(label="What the caller says (notes) [Alt+N]", required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "accesskey": "n"}))
    names_mentioned = forms.CharField(label="Names mentioned (one per line; any script)", required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    indicator_codes = forms.MultipleChoiceField(label="Indicators the caller described", required=False,
                                                choices=IV.indicator_choices,
                                                widget=forms.CheckboxSelectMultiple)
    received_at = forms.DateTimeField(label="Received at (leave empty for now)", required=False)


class ReassignForm(forms.Form):
    to_agency = forms.ModelChoiceField(label="To agency", queryset=Agency.objects.all(), required=False)
    to_task_force = forms.ModelChoiceField(label="or task force", queryset=TaskForce.objects.all(), required=False)
    reason = forms.CharField(label="Reason", max_length=300)


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["country", "region", "exploitation_type", "venue_type", "target_agency", "target_task_force", "note"]
        labels = {"target_agency": "Send to agency", "target_task_force": "or to task force"}


# --- public report (translated) -----------------------------------------------------------------

PUBLIC_SITUATIONS = [
    ("", _("I don't know")),
    ("SexualExploitation", _("Forced to sell sex")),
    ("ForcedLabour", _("Forced to work")),
    ("ForcedBegging", _("Forced to beg")),
    ("Servitude", _("Kept as a servant in a home")),
    ("Other", _("Something else")),
]
PUBLIC_REPORTERS = [
    ("Anonymous", _("I prefer not to say")),
    ("Victim", _("It is happening to me")),
    ("FamilyOrFriend", _("A family member or friend")),
    ("CommunityMember", _("A neighbour or someone nearby")),
    ("Professional", _("I meet them through my work")),
    ("Client", _("A client or customer")),
]
PUBLIC_TRISTATE = [("unknown", _("I don't know")), ("yes", _("Yes")), ("no", _("No"))]


class PublicReportForm(forms.Form):
    text = forms.CharField(label=_("What is happening? Write in any language."), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 8, "autofocus": True}))
    country = forms.ChoiceField(label=_("Country where it is happening"))
    location = forms.CharField(label=_("Town or place (optional)"), required=False, max_length=300)
    situation = forms.ChoiceField(label=_("What kind of situation is it?"), choices=PUBLIC_SITUATIONS,
                                  required=False)
    immediate_danger = forms.ChoiceField(label=_("Is someone in danger right now?"), choices=PUBLIC_TRISTATE)
    minors_involved = forms.ChoiceField(label=_("Is anyone under 18 involved?"), choices=PUBLIC_TRISTATE)
    caller_type = forms.ChoiceField(label=_("Who are you?"), choices=PUBLIC_REPORTERS)
    contact = forms.CharField(label=_("How can we reach you? (optional — leave empty to stay anonymous)"),
                              required=False, max_length=300)
    # Honeypot: hidden from people and assistive technology; only bots fill it in.
    website = forms.CharField(required=False, label="Website",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = countries


class FollowUpLoginForm(forms.Form):
    code = forms.CharField(label=_("Follow-up code"), max_length=20, widget=forms.TextInput(attrs={"autofocus": True}))
    passphrase = forms.CharField(label=_("Passphrase"), max_length=100, widget=forms.PasswordInput)


class FollowUpAddForm(forms.Form):
    text = forms.CharField(label=_("Add information"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 6, "autofocus": True}))
