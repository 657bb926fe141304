import itertools

import pytest

from palermo.protection.domain import catalogue
from palermo.protection.domain.errors import (
    CatalogueListUnavailableError,
    UnknownIndicatorError,
    WrongIndicatorListError,
)
from palermo.protection.domain.screening import (
    INSUFFICIENT,
    POSSIBLE,
    PRESUMED,
    dimension_is_positive,
    screen,
)

ADULT_PRESUMED = ["ADL-LAB-DR-S1", "ADL-LAB-DR-M1", "ADL-LAB-EX-S1", "ADL-LAB-EX-M1", "ADL-LAB-CD-S1",
                  "ADL-LAB-CD-S2"]


def test_catalogue_codes_are_unique_and_follow_the_format():
    data = catalogue.raw()
    codes = [item["code"] for entry in data["lists"].values() for item in entry["indicators"]]
    assert len(codes) == len(set(codes))
    prefixes = {"adults_labour": "ADL-LAB-", "children_labour": "CHD-LAB-"}
    for key, entry in data["lists"].items():
        for item in entry["indicators"]:
            assert item["code"].startswith(prefixes[key])
            assert item["code"].split("-")[2] == item["dimension"]
            assert item["code"].split("-")[3][0] == item["strength"][0].upper()


def test_adult_labour_counts_per_dimension_match_the_published_list():
    counts = {dim.key: 0 for dim in catalogue.dimensions()}
    for indicator in catalogue.indicators_of("adults_labour"):
        counts[indicator.dimension] += 1
    assert counts == {"DR": 10, "CR": 10, "VR": 16, "EX": 9, "CD": 15, "VD": 7}


def test_children_labour_list_has_no_weak_indicators():
    strengths = {i.strength for i in catalogue.indicators_of("children_labour")}
    assert strengths == {"strong", "medium"}
    assert len(catalogue.indicators_of("children_labour")) == 65


def test_six_dimensions_in_published_order():
    assert [d.name for d in catalogue.dimensions()] == [
        "deceptive_recruitment", "coercive_recruitment", "recruitment_by_abuse_of_vulnerability",
        "exploitative_conditions", "coercion_at_destination", "abuse_of_vulnerability_at_destination"]


def _rule_by_hand(strong, medium, weak):
    return (strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1))


@pytest.mark.parametrize("strong,medium,weak", list(itertools.product(range(4), range(5), range(4))))
def test_dimension_combination_table(strong, medium, weak):
    assert dimension_is_positive(strong, medium, weak) is _rule_by_hand(strong, medium, weak)


@pytest.mark.parametrize("counts,expected", [
    ((1, 0, 0), False), ((2, 0, 0), True), ((1, 1, 0), True), ((1, 0, 1), True),
    ((0, 2, 0), False), ((0, 3, 0), True), ((0, 2, 1), True), ((0, 1, 2), False), ((0, 0, 3), False),
])
def test_dimension_boundaries(counts, expected):
    assert dimension_is_positive(*counts) is expected


def test_adult_presumed_victim_explains_dimensions_and_wording():
    result = screen(ADULT_PRESUMED, age=30, exploitation="labour")
    assert result.outcome == PRESUMED
    assert result.dimension_flags() == {
        "deceptive_recruitment": True, "coercive_recruitment": False,
        "recruitment_by_abuse_of_vulnerability": False, "exploitative_conditions": True,
        "coercion_at_destination": True, "abuse_of_vulnerability_at_destination": False}
    assert "Deceived about the nature of the job, location or employer" in result.explanation
    assert "Confiscation of documents" in result.explanation
    assert "not the final decision" in result.explanation


def test_adult_without_destination_dimension_is_possible_and_says_what_is_missing():
    result = screen(ADULT_PRESUMED[:4], age=40, exploitation="labour")
    assert result.outcome == POSSIBLE
    assert "coercion at destination or abuse of vulnerability at destination" in result.explanation


def test_abuse_of_vulnerability_at_destination_can_replace_coercion():
    codes = ADULT_PRESUMED[:4] + ["ADL-LAB-VD-M1", "ADL-LAB-VD-M2", "ADL-LAB-VD-W1"]
    assert screen(codes, age=40, exploitation="labour").outcome == PRESUMED


def test_single_strong_indicator_is_insufficient():
    result = screen(["ADL-LAB-EX-S1"], age=25, exploitation="labour")
    assert result.outcome == INSUFFICIENT
    assert "Indicators present but not enough" in result.explanation


def test_no_indicators_is_insufficient():
    assert screen([], age=25, exploitation="labour").outcome == INSUFFICIENT


def test_duplicate_codes_count_once():
    result = screen(["ADL-LAB-EX-S1", "ADL-LAB-EX-S1"], age=25, exploitation="labour")
    assert result.dimension_flags()["exploitative_conditions"] is False


def test_age_17_uses_child_list_and_18_uses_adult_list():
    assert screen(["CHD-LAB-EX-S1"], age=17, exploitation="labour").list_key == "children_labour"
    assert screen(["ADL-LAB-EX-S1"], age=18, exploitation="labour").list_key == "adults_labour"
    with pytest.raises(WrongIndicatorListError, match="adults/labour"):
        screen(["ADL-LAB-EX-S1"], age=17, exploitation="labour")
    with pytest.raises(WrongIndicatorListError, match="children/labour"):
        screen(["CHD-LAB-EX-S1"], age=18, exploitation="labour")


def test_missing_age_presumes_a_child_and_says_so():
    result = screen(["CHD-LAB-EX-S1", "CHD-LAB-EX-M1"], age=None, exploitation="labour")
    assert result.list_key == "children_labour"
    assert "presumed a child" in result.explanation


def test_child_needs_no_destination_means():
    codes = ["CHD-LAB-DR-S1", "CHD-LAB-DR-M1", "CHD-LAB-EX-S1", "CHD-LAB-EX-M1"]
    result = screen(codes, age=15, exploitation="labour")
    assert result.outcome == PRESUMED
    assert "no means are required" in result.explanation


def test_child_with_only_exploitation_is_possible_victim():
    assert screen(["CHD-LAB-EX-S1", "CHD-LAB-EX-M1"], age=15, exploitation="labour").outcome == POSSIBLE


def test_child_strengths_differ_from_adult_strengths():
    # Threats of violence are strong for children: one strong + one medium makes coercive recruitment positive.
    child = screen(["CHD-LAB-CR-S1", "CHD-LAB-CR-M1"], age=12, exploitation="labour")
    assert child.dimension_flags()["coercive_recruitment"] is True
    threats = [i for i in catalogue.indicators_of("children_labour")
               if i.wording == "Threats of violence against victim" and i.dimension == "CR"]
    assert threats[0].strength == "strong"


def test_unknown_code_is_an_error():
    with pytest.raises(UnknownIndicatorError, match="ADL-LAB-XX-S1"):
        screen(["ADL-LAB-XX-S1"], age=30, exploitation="labour")
    with pytest.raises(UnknownIndicatorError):
        screen(["not a code"], age=30, exploitation="labour")


def test_sexual_list_code_on_labour_screen_is_a_wrong_list_error():
    with pytest.raises(WrongIndicatorListError, match="adults/sexual"):
        screen(["ADL-SEX-DR-S1"], age=30, exploitation="labour")


def test_missing_sexual_lists_raise_instead_of_guessing():
    with pytest.raises(CatalogueListUnavailableError, match="adults/sexual"):
        screen([], age=30, exploitation="sexual")
    notes = catalogue.raw()["lists"]["children_sexual"]["missing_reason"]
    assert "no indicator was invented" in notes


@pytest.mark.parametrize("age", [15, None])
def test_child_sexual_screening_raises_while_the_list_is_missing(age):
    # A missing age presumes a child, so it must hit the children/sexual list, not the adult one.
    with pytest.raises(CatalogueListUnavailableError, match="children/sexual"):
        screen(["CHD-SEX-EX-M1"], age=age, exploitation="sexual")


def test_child_sexual_code_on_child_labour_screen_is_a_wrong_list_error():
    with pytest.raises(WrongIndicatorListError, match="children/sexual"):
        screen(["CHD-LAB-EX-S1", "CHD-SEX-EX-M1"], age=15, exploitation="labour")


@pytest.mark.parametrize("key", ["adults_sexual", "children_sexual"])
def test_missing_lists_hold_no_indicators_and_say_why(key):
    entry = catalogue.raw()["lists"][key]
    assert entry["status"] == "missing"
    assert entry["indicators"] == []
    assert "WCMS_105023" in entry["missing_reason"]
    assert "Searched again" in entry["missing_reason"]


def test_invalid_exploitation_and_age_are_rejected():
    with pytest.raises(ValueError):
        screen([], age=30, exploitation="domestic")
    with pytest.raises(ValueError):
        screen([], age="17", exploitation="labour")
    with pytest.raises(ValueError):
        screen([], age=-1, exploitation="labour")


def test_catalogue_credits_its_source():
    assert catalogue.raw()["source"]["reference"] == "ILO WCMS_105023"
