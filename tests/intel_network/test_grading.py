import pytest

from palermo.intel.grading import (
    GradingError,
    Restrictions,
    comparison_note,
    derive_restrictions,
    grade_3x5x2,
    grade_4x4,
    grading_model,
    validate_grade,
)


def test_3x5x2_grade_with_labels():
    grade = grade_3x5x2("1", "b", "P")
    assert grade.code == "1/B/P"
    assert grade.labels() == {
        "Source evaluation": "Reliable",
        "Intelligence assessment": "Known indirectly to the source but corroborated",
        "Handling code": "Lawful sharing permitted",
    }
    assert grade.restrictions == Restrictions("P", ())


def test_3x5x2_handling_c_makes_conditions_mandatory():
    grade = grade_3x5x2("2", "C", "C", ["Not to be shared outside the joint investigation team", " "])
    assert grade.restrictions.conditions == ("Not to be shared outside the joint investigation team",)
    with pytest.raises(GradingError, match="requires the conditions to be written"):
        grade_3x5x2("2", "C", "C")
    with pytest.raises(GradingError, match="carries no conditions"):
        grade_3x5x2("1", "A", "P", ["Do not share"])


def test_3x5x2_errors_name_every_wrong_part():
    with pytest.raises(GradingError) as raised:
        grade_3x5x2("4", "F", "X")
    assert len(raised.value.problems) == 3
    assert "source evaluation '4' is not a 3x5x2 code (expected one of 1, 2, 3)" in str(raised.value)
    assert "intelligence assessment 'F'" in str(raised.value)


def test_4x4_grade_and_handling_codes():
    plain = grade_4x4("B", "2", ["H0"])
    assert plain.code == "B2 H0" and plain.restrictions.handling == "P"
    assert plain.labels()["Source reliability"] == "Mostly reliable"
    restricted = grade_4x4("x", "4", ["H3", "H1"], "Only for the joint investigation team")
    assert restricted.code == "X4 H1 H3"
    assert restricted.restrictions.handling == "C"
    assert restricted.restrictions.conditions == (
        "H1: Not to be disclosed in judicial proceedings without the permission of the provider.",
        "H3: Only for the joint investigation team",
    )


def test_4x4_validation():
    with pytest.raises(GradingError) as raised:
        grade_4x4("D", "5", ["H3", "H9"])
    text = str(raised.value)
    for expected in (
        "source reliability 'D'",
        "information assessment '5'",
        "handling codes 'H9'",
        "H3 (Other restrictions) requires",
    ):
        assert expected in text
    with pytest.raises(GradingError, match="H3 is not set"):
        grade_4x4("A", "1", [], "Do not share")


def test_model_is_selected_per_agency():
    assert (
        validate_grade(
            "3x5x2", {"source_evaluation": "3", "intelligence_assessment": "E", "handling_code": "P"}
        ).code
        == "3/E/P"
    )
    assert validate_grade("4x4", {"source_reliability": "A", "information_accuracy": "1"}).code == "A1"
    with pytest.raises(GradingError, match="unknown grading model '5x5x5'"):
        validate_grade("5x5x5", {})
    assert set(grading_model("4x4")["dimensions"]) == {
        "source_reliability",
        "information_accuracy",
        "handling_codes",
    }


def test_models_are_not_converted():
    assert comparison_note("information").startswith("Not convertible:")
    assert "no 4x4 counterpart" in comparison_note("information")
    with pytest.raises(GradingError):
        comparison_note("_note")


def test_derived_product_takes_the_most_restrictive_handling_and_all_conditions():
    open_report = Restrictions.of("P")
    first = Restrictions.of("C", ["No onward sharing to third countries"])
    second = Restrictions.of("C", ["Not for judicial proceedings", "No onward sharing to third countries"])
    derived = derive_restrictions([open_report, first, second])
    assert derived == Restrictions(
        "C", ("No onward sharing to third countries", "Not for judicial proceedings")
    )
    assert derive_restrictions([open_report, Restrictions.of("P")]) == Restrictions("P", ())
    # A product derived from a derived product keeps the inherited conditions.
    assert derive_restrictions([derived, open_report]) == derived


def test_restrictions_from_4x4_reports_mix_with_3x5x2_reports():
    eu = grade_4x4("B", "3", ["H2"]).restrictions
    uk = grade_3x5x2("1", "A", "P").restrictions
    derived = derive_restrictions([uk, eu])
    assert derived.handling == "C" and derived.conditions == eu.conditions


def test_derive_restrictions_rejects_bad_input():
    with pytest.raises(GradingError, match="at least one parent"):
        derive_restrictions([])
    with pytest.raises(GradingError, match="requires the conditions"):
        derive_restrictions([Restrictions("C", ())])
