"""IKM per PermenPANRB 14/2017, checked against examples worked out by hand."""
from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.quality.ikm import (
    AGE_BANDS,
    ANSWER_OPTIONS,
    ANSWER_OPTIONS_EN,
    EDUCATION_OPTIONS,
    ELEMENTS,
    ELEMENTS_EN,
    KREJCIE_MORGAN_TABLE,
    OCCUPATION_OPTIONS,
    QUESTIONS,
    SEX_OPTIONS,
    IkmError,
    age_band,
    compute_ikm,
    grade_for_ikm,
    grade_for_nrr,
    krejcie_morgan_sample,
    required_sample_size,
)

CODES = [f"U{i}" for i in range(1, 10)]


def by_element(columns: dict[str, list[int | None]]) -> list[dict[str, int]]:
    """Turn per-element score columns into one response dict per respondent (None = skipped)."""
    n = len(next(iter(columns.values())))
    return [{code: col[i] for code, col in columns.items() if col[i] is not None} for i in range(n)]


# --- worked examples ------------------------------------------------------

def test_worked_example_four_respondents_grade_b():
    responses = by_element({
        "U1": [3, 4, 3, 3],  # 13 / 4 = 3.25
        "U2": [3, 3, 3, 3],  # 12 / 4 = 3.00
        "U3": [2, 3, 3, 2],  # 10 / 4 = 2.50
        "U4": [4, 4, 4, 4],  # 16 / 4 = 4.00
        "U5": [3, 3, 4, 3],  # 13 / 4 = 3.25
        "U6": [3, 4, 4, 3],  # 14 / 4 = 3.50
        "U7": [4, 4, 3, 4],  # 15 / 4 = 3.75
        "U8": [2, 3, 2, 3],  # 10 / 4 = 2.50
        "U9": [3, 3, 3, 4],  # 13 / 4 = 3.25
    })
    # Σ NRR = 3.25+3.00+2.50+4.00+3.25+3.50+3.75+2.50+3.25 = 29.00
    # weighted NRR = 29 × 1/9 = 3.2222…
    # IKM = 29/9 × 25 = 725/9 = 80.5555… → 80.56 → B (76.61–88.30) "Baik"
    result = compute_ikm(responses)
    assert result.respondents == 4
    assert result.nrr == {"U1": 3.25, "U2": 3.0, "U3": 2.5, "U4": 4.0, "U5": 3.25,
                          "U6": 3.5, "U7": 3.75, "U8": 2.5, "U9": 3.25}
    assert result.weighted_nrr_exact == Fraction(29, 9)
    assert result.weighted_nrr == pytest.approx(3.222222222)
    assert result.ikm_exact == Fraction(725, 9)
    assert result.ikm == 80.56
    assert (result.grade, result.label, result.label_en) == ("B", "Baik", "Good")
    # U3 and U8 (2.50) drag the index down most; ties broken by code.
    assert result.weakest_elements()[:2] == ["U3", "U8"]


def test_missing_answers_divide_by_respondents_who_answered_that_element():
    responses = by_element({
        "U1": [4, 4, 3],      # 11 / 3
        "U2": [4, 3, 4],      # 11 / 3
        "U3": [3, 3, 3],      #  9 / 3 = 3
        "U4": [4, 4, None],   #  8 / 2 = 4   (not 8 / 3: the third respondent skipped it)
        "U5": [4, 4, 4],      # 12 / 3 = 4
        "U6": [4, 3, 4],      # 11 / 3
        "U7": [4, 4, 4],      # 12 / 3 = 4
        "U8": [3, 4, None],   #  7 / 2 = 3.5
        "U9": [3, 4, 4],      # 11 / 3
    })
    # Σ NRR = 4 × 11/3 + 3 + 4 + 4 + 4 + 3.5 = 44/3 + 18.5 = 199/6 = 33.1666…
    # IKM = 199/6 × 1/9 × 25 = 4975/54 = 92.1296… → 92.13 → A "Sangat Baik"
    result = compute_ikm(responses)
    assert result.respondents == 3
    assert result.answered["U4"] == 2 and result.answered["U8"] == 2 and result.answered["U1"] == 3
    assert result.nrr_exact["U4"] == 4 and result.nrr_exact["U8"] == Fraction(7, 2)
    assert result.weighted_nrr_exact == Fraction(199, 54)
    assert result.ikm == 92.13
    assert (result.grade, result.label) == ("A", "Sangat Baik")


def test_none_counts_as_not_answered():
    full = {code: 3 for code in CODES}
    result = compute_ikm([full, {**full, "U5": None}])
    assert result.answered["U5"] == 1 and result.answered["U1"] == 2


def test_exact_weight_one_ninth_versus_rounded_0_111_changes_the_grade():
    # 10 respondents.  Six elements score five 4s and five 3s (sum 35, NRR 3.5);
    # three elements score six 4s and four 3s (sum 36, NRR 3.6).
    columns = {code: [4] * 5 + [3] * 5 for code in CODES[:6]}
    columns |= {code: [4] * 6 + [3] * 4 for code in CODES[6:]}
    # Σ NRR = 6 × 3.5 + 3 × 3.6 = 21 + 10.8 = 31.8
    # exact:   31.8 × 1/9   = 3.5333…  × 25 = 88.333… → 88.33 → A (≥ 88.31)
    # rounded: 31.8 × 0.111 = 3.5298   × 25 = 88.245  → 88.25 → B (≤ 88.30)
    result = compute_ikm(by_element(columns))
    assert sum(result.nrr_exact.values()) == Fraction("31.8")
    assert result.ikm == 88.33
    assert result.grade == "A"
    wrong = Fraction("31.8") * Fraction("0.111") * 25
    assert wrong == Fraction("88.245")
    assert grade_for_ikm(wrong).code == "B"


def test_extremes():
    assert compute_ikm([{c: 4 for c in CODES}]).ikm == 100.0
    lowest = compute_ikm([{c: 1 for c in CODES}] * 3)
    assert (lowest.ikm, lowest.grade, lowest.label) == (25.0, "D", "Tidak Baik")


def test_accepts_any_iterable_and_result_is_immutable():
    result = compute_ikm({c: 3 for c in CODES} for _ in range(2))
    assert result.ikm == 75.0 and result.grade == "C" and result.label == "Kurang Baik"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ikm = 99.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.nrr["U1"] = 4.0  # type: ignore[index]


@given(st.lists(st.fixed_dictionaries({c: st.integers(1, 4) for c in CODES}), min_size=1, max_size=30))
def test_ikm_grade_agrees_with_nrr_interval_grade(responses):
    result = compute_ikm(responses)
    assert 25 <= result.ikm <= 100
    assert grade_for_nrr(result.weighted_nrr_exact).code == result.grade
    assert round(result.ikm, 2) == result.ikm
    assert abs(result.ikm - float(result.ikm_exact)) <= 0.005 + 1e-9


# --- grade bands ----------------------------------------------------------

@pytest.mark.parametrize(("score", "grade"), [
    (100, "A"), ("88.31", "A"), ("88.305", "A"),     # 88.305 rounds half-up to 88.31
    ("88.3049", "B"), ("88.30", "B"), ("76.61", "B"),
    ("76.60", "C"), ("65.00", "C"), ("64.995", "C"),
    ("64.99", "D"), (25, "D"),
])
def test_grade_for_ikm_bands(score, grade):
    assert grade_for_ikm(Fraction(score)).code == grade


def test_grade_for_ikm_floats_are_read_as_written():
    # 88.31 as a binary float is 88.3099999…; it must still be an A.
    assert grade_for_ikm(88.31).code == "A"
    assert grade_for_ikm(76.61).code == "B"


@pytest.mark.parametrize("score", [24.99, 100.01, float("nan"), "abc", True, None])
def test_grade_for_ikm_rejects_out_of_range(score):
    with pytest.raises(IkmError):
        grade_for_ikm(score)


@pytest.mark.parametrize(("nrr", "grade"), [
    (4.0, "A"), (3.5324, "A"), (3.5322, "A"),   # 3.5322 × 25 = 88.305 → 88.31
    (3.5321, "B"), (3.532, "B"), (3.0644, "B"),
    (3.064, "C"), (2.60, "C"), (2.5996, "D"), (1.0, "D"),
])
def test_grade_for_nrr_interval_table(nrr, grade):
    assert grade_for_nrr(nrr).code == grade


@pytest.mark.parametrize("nrr", [0.99, 4.01, "x", False])
def test_grade_for_nrr_rejects_out_of_range(nrr):
    with pytest.raises(IkmError):
        grade_for_nrr(nrr)


# --- errors ---------------------------------------------------------------

FULL = {code: 3 for code in CODES}


@pytest.mark.parametrize(("response", "message"), [
    ({**FULL, "U1": 0}, "between 1 and 4"),
    ({**FULL, "U2": 5}, "between 1 and 4"),
    ({**FULL, "U3": 3.0}, "whole number"),
    ({**FULL, "U4": "3"}, "whole number"),
    ({**FULL, "U5": True}, "whole number"),
    ({**FULL, "U10": 3}, "unknown element"),
    ({**FULL, "u1": 3}, "unknown element"),
    ({}, "answers no element"),
    ({"U1": None}, "answers no element"),
])
def test_invalid_response_raises(response, message):
    with pytest.raises(IkmError, match=message):
        compute_ikm([FULL, response])


def test_response_must_be_a_mapping():
    with pytest.raises(IkmError, match="mapping"):
        compute_ikm([[3] * 9])


def test_no_responses_raises():
    with pytest.raises(IkmError, match="no survey responses"):
        compute_ikm([])


def test_element_nobody_answered_raises_naming_it():
    without_u9 = {code: 4 for code in CODES[:8]}
    with pytest.raises(IkmError, match=r"U9 \(Sarana dan Prasarana\)"):
        compute_ikm([without_u9, without_u9])


def test_ikm_error_is_a_value_error():
    assert issubclass(IkmError, ValueError)


# --- reference data -------------------------------------------------------

def test_elements_in_regulation_order():
    assert list(ELEMENTS) == CODES == list(ELEMENTS_EN) == list(QUESTIONS)
    assert ELEMENTS["U2"] == "Sistem, Mekanisme, dan Prosedur"
    assert ELEMENTS["U8"] == "Penanganan Pengaduan, Saran dan Masukan"
    assert ELEMENTS["U9"] == "Sarana dan Prasarana"


def test_answer_wording_for_every_element():
    for options in (ANSWER_OPTIONS, ANSWER_OPTIONS_EN):
        assert list(options) == CODES
        assert all(list(o) == [1, 2, 3, 4] for o in options.values())
    assert list(ANSWER_OPTIONS["U1"].values()) == ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
    assert list(ANSWER_OPTIONS["U4"].values()) == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert ANSWER_OPTIONS["U7"][4] == "Sangat sopan dan ramah"
    assert list(ANSWER_OPTIONS["U8"].values()) == [
        "Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"]
    assert list(ANSWER_OPTIONS["U9"].values()) == ["Buruk", "Cukup", "Baik", "Sangat Baik"]


def test_respondent_profile_options():
    assert [c for c, *_ in SEX_OPTIONS] == ["L", "P"]
    assert [c for c, *_ in EDUCATION_OPTIONS] == ["SD", "SMP", "SMA", "D1-D3-D4", "S1", "S2", "S3"]
    assert [c for c, *_ in OCCUPATION_OPTIONS] == ["PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"]
    codes = [c for c, *_ in AGE_BANDS]
    assert [age_band(a) for a in (15, 19, 20, 29, 30, 45, 59, 60, 90)] == [
        "<20", "<20", "20-29", "20-29", "30-39", "40-49", "50-59", "60+", "60+"]
    assert set(map(age_band, range(0, 120))) == set(codes)
    with pytest.raises(IkmError):
        age_band(-1)


# --- sample size ----------------------------------------------------------

@pytest.mark.parametrize(("population", "sample"), [
    (10, 10), (100, 80), (1000, 278), (10_000, 370), (75_000, 382),
    (100_000, 384), (1_000_000, 384), (50_000_000, 384),
])
def test_required_sample_size_table_values(population, sample):
    assert required_sample_size(population) == sample


def test_required_sample_size_takes_the_next_higher_row():
    assert required_sample_size(101) == 86     # row 110
    assert required_sample_size(105) == 86
    assert required_sample_size(111) == 92     # row 120
    assert required_sample_size(1001) == 285   # row 1100
    assert required_sample_size(75_001) == 384


def test_required_sample_size_never_exceeds_population():
    assert required_sample_size(1) == 1
    assert required_sample_size(7) == 7
    assert required_sample_size(11) == 11      # row 15 says 14, but only 11 people exist


@pytest.mark.parametrize("population", [0, -5, 1.5, "100", True])
def test_required_sample_size_rejects_bad_population(population):
    with pytest.raises(IkmError):
        required_sample_size(population)


def test_krejcie_morgan_formula_reproduces_the_table():
    # s = 3.841·N·0.25 / (0.0025·(N−1) + 3.841·0.25); e.g. N=100:
    # 96.025 / (0.2475 + 0.96025) = 96.025 / 1.20775 = 79.51 → 80
    assert krejcie_morgan_sample(100) == pytest.approx(79.507, abs=1e-3)
    for population, sample in KREJCIE_MORGAN_TABLE:
        assert round(krejcie_morgan_sample(population)) == sample, population
