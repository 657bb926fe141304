import pytest

from palermo.protection.domain.errors import ProtectionDomainError
from palermo.protection.domain.palermo_test import Finding, palermo_test, purpose_htcds_code, vocabulary

ACT = Finding("act", "recruitment", "Recruited through a job advert promising hotel work.", ("interview 1",))
MEANS = Finding("means", "deception", "The job did not exist; work was in a packing shed.", ("interview 1",))
PURPOSE = Finding("purpose", "forced_labour", "Worked 16 hours a day under threat of a fine.",
                  ("interview 1", "labour inspection report"))


def test_adult_needs_act_means_and_purpose():
    assert palermo_test([ACT, MEANS, PURPOSE], age=30).met is True
    result = palermo_test([ACT, PURPOSE], age=30)
    assert result.met is False
    assert "Means not established" in result.explanation


def test_child_needs_only_act_and_purpose_at_17_not_at_18():
    assert palermo_test([ACT, PURPOSE], age=17).met is True
    assert palermo_test([ACT, PURPOSE], age=18).met is False
    assert palermo_test([ACT, PURPOSE], age=None).met is True
    assert palermo_test([ACT, PURPOSE], age=19, age_uncertain=True).met is True


def test_each_element_records_facts_and_sources_in_the_explanation():
    result = palermo_test([ACT, MEANS, PURPOSE], age=30)
    assert result.elements["purpose"].findings == (PURPOSE,)
    assert "labour inspection report" in result.explanation
    assert "Recruited through a job advert" in result.explanation


def test_consent_never_negates_and_is_noted():
    with_consent = palermo_test([ACT, MEANS, PURPOSE], age=30, consent_to_exploitation_recorded=True)
    assert with_consent.met is True
    assert "irrelevant because means are established" in with_consent.consent_note
    child = palermo_test([ACT, PURPOSE], age=15, consent_to_exploitation_recorded=True)
    assert child.met is True and "child" in child.consent_note


@pytest.mark.parametrize("finding,message", [
    (Finding("means", "persuasion", "x", ("s",)), "Unknown means"),
    (Finding("motive", "money", "x", ("s",)), "Unknown element"),
    (Finding("act", "recruitment", "  ", ("s",)), "needs the facts"),
    (Finding("act", "recruitment", "facts", ()), "at least one source"),
    (Finding("act", "recruitment", "facts", ("",)), "at least one source"),
])
def test_invalid_findings_are_rejected(finding, message):
    with pytest.raises(ProtectionDomainError, match=message):
        palermo_test([finding], age=30)


def test_vocabularies_cover_protocol_and_htcds_forms():
    assert set(vocabulary("act")) == {"recruitment", "transportation", "transfer", "harbouring", "receipt"}
    assert len(vocabulary("means")) == 9
    assert {"forced_marriage", "forced_begging", "forced_criminality", "child_labour", "forced_adoption",
            "surrogacy", "forced_military", "organ_removal"} <= set(vocabulary("purpose"))
    assert purpose_htcds_code("forced_military") == "ForcedMilitaryByNonStateActors"
