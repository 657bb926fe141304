import json

import pytest

from palermo.intake.extraction import extract
from palermo.intake.extraction.indicators import indicator_descriptions
from palermo.intake.extraction.lexicons import DATA_DIR
from palermo.intake.triage import ProhibitedFeatureError, TriageFacts, triage

WEIGHTS = json.loads((DATA_DIR / "triage_weights.json").read_text("utf-8"))


def test_no_factor_is_low_and_says_so():
    result = triage(TriageFacts())
    assert (result.level, result.score) == ("low", 0)
    assert result.reasons == ["No urgency factor was reported; the report is queued in order of arrival."]


def test_each_contributing_factor_is_explained():
    facts = TriageFacts(
        minor_involved=True,
        ongoing_exploitation=True,
        location_known=True,
        caller_is_victim=True,
        indicator_codes=("IND-DEBT", "IND-DOCS-WITHHELD"),
        repeated_signals=2,
    )
    result = triage(facts)
    text = "\n".join(result.reasons)
    for name in ("minor_involved", "ongoing_exploitation", "location_known", "caller_is_victim"):
        assert WEIGHTS["factors"][name]["reason"] in text
    for code in ("IND-DEBT", "IND-DOCS-WITHHELD"):
        assert f"[{code}]" in text
        assert indicator_descriptions()[code].rstrip(".") in text
    assert "2 earlier report(s) describe the same situation." in text
    assert "Someone is in immediate danger" not in text
    assert result.score == 35 + 20 + 10 + 10 + 6 + 8 + 10
    assert result.level == "critical"


def test_points_in_reasons_add_up_to_the_score():
    result = triage(TriageFacts(location_known=True, indicator_codes=("IND-THREATS",), repeated_signals=1))
    points = [int(reason.rsplit("(+", 1)[1].split(")")[0].split(",")[0]) for reason in result.reasons]
    assert sum(points) == result.score == 10 + 10 + 5


def test_immediate_danger_is_always_critical():
    result = triage(TriageFacts(immediate_danger=True))
    assert result.level == "critical"
    assert result.score == 45
    assert result.reasons[-1] == "Level raised to critical: someone is in immediate danger."


def test_a_minor_is_at_least_high():
    assert triage(TriageFacts(minor_involved=True)).level == "high"


def test_score_levels_follow_thresholds():
    assert triage(TriageFacts(location_known=True)).level == "low"
    assert triage(TriageFacts(ongoing_exploitation=True)).level == "medium"
    assert (
        triage(
            TriageFacts(
                ongoing_exploitation=True,
                location_known=True,
                caller_is_victim=True,
                indicator_codes=("IND-LIVES-AT-WORK",),
            )
        ).level
        == "high"
    )


def test_indicator_points_are_capped_and_the_cap_is_explained():
    codes = tuple(WEIGHTS["indicators"]["points"])
    result = triage(TriageFacts(indicator_codes=codes))
    assert result.score == WEIGHTS["indicators"]["maximum"]
    assert any("capped at 30" in reason for reason in result.reasons)


def test_score_never_exceeds_100():
    facts = TriageFacts(True, True, True, True, True, tuple(WEIGHTS["indicators"]["points"]), 10)
    assert triage(facts).score == 100


@pytest.mark.parametrize("field", ["nationality", "ethnicity", "religion", "country_of_origin", "race"])
def test_protected_characteristics_are_refused(field):
    with pytest.raises(ProhibitedFeatureError, match="never"):
        triage({"minor_involved": True, field: "anything"})
    with pytest.raises(TypeError):
        TriageFacts(**{field: "anything"})


def test_unknown_facts_and_codes_are_refused():
    with pytest.raises(ValueError, match="unknown triage fact"):
        triage({"new_in_town": True})
    with pytest.raises(ValueError, match="unknown indicator code"):
        TriageFacts(indicator_codes=("IND-NEW-IN-TOWN",))


def test_every_lexicon_code_has_a_weight():
    assert set(indicator_descriptions()) == set(WEIGHTS["indicators"]["points"])


def test_mapping_input_matches_dataclass_input():
    payload = {"minor_involved": True, "indicator_codes": ["IND-DEBT"], "repeated_signals": 1}
    assert triage(payload) == triage(
        TriageFacts(minor_involved=True, indicator_codes=("IND-DEBT",), repeated_signals=1)
    )


def test_movement_language_does_not_raise_urgency():
    advert = "New in town, leaving soon! Just arrived, only here this week."
    calm = triage(TriageFacts(indicator_codes=tuple(extract(advert).indicator_codes)))
    assert (calm.level, calm.score) == ("low", 0)


def test_extraction_feeds_triage():
    text = "My sister is 15 years old, they took her passport and she is in danger right now."
    result = triage(TriageFacts(indicator_codes=tuple(extract(text).indicator_codes)))
    assert {"[IND-MINOR]", "[IND-DOCS-WITHHELD]", "[IND-DANGER-NOW]"} <= {
        reason[reason.index("[") : reason.index("]") + 1] for reason in result.reasons if "[" in reason
    }
