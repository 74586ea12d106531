"""Community Satisfaction Index (Indeks Kepuasan Masyarakat, IKM) per PermenPANRB 14/2017.

The regulation's method, as implemented here:

* each of the nine elements U1..U9 is answered on a 1..4 scale;
* NRR (nilai rata-rata) per element = sum of its scores / number of respondents
  who answered that element;
* weighted NRR = sum of the nine NRRs x 1/9 (the regulation's weight is 1/9; the
  "0.111" printed in many spreadsheets is a rounding of it and can change the grade);
* IKM = weighted NRR x 25, rounded to 2 decimals;
* the grade is read from the rounded IKM score.

All arithmetic is done in exact fractions; floats appear only in the result for display.
"""
from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational
from types import MappingProxyType
from typing import Any


class IkmError(ValueError):
    """Invalid survey input for the IKM computation."""


WEIGHT = Fraction(1, 9)
SCALE = 25
MIN_SCORE, MAX_SCORE = 1, 4

ELEMENTS: Mapping[str, str] = MappingProxyType({
    "U1": "Persyaratan",
    "U2": "Sistem, Mekanisme, dan Prosedur",
    "U3": "Waktu Penyelesaian",
    "U4": "Biaya/Tarif",
    "U5": "Produk Spesifikasi Jenis Pelayanan",
    "U6": "Kompetensi Pelaksana",
    "U7": "Perilaku Pelaksana",
    "U8": "Penanganan Pengaduan, Saran dan Masukan",
    "U9": "Sarana dan Prasarana",
})

ELEMENTS_EN: Mapping[str, str] = MappingProxyType({
    "U1": "Requirements",
    "U2": "Systems, mechanisms and procedures",
    "U3": "Completion time",
    "U4": "Fees/tariffs",
    "U5": "Service product specification",
    "U6": "Staff competence",
    "U7": "Staff conduct",
    "U8": "Handling of complaints, suggestions and feedback",
    "U9": "Facilities and infrastructure",
})

# The questionnaire's question per element (the regulation's sample form, reworded
# only to address the respondent as "Saudara").
QUESTIONS: Mapping[str, str] = MappingProxyType({
    "U1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "U2": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "U3": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "U4": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "U5": "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
          "dalam standar pelayanan dengan hasil yang diberikan?",
    "U6": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "U7": "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
          "kesopanan dan keramahan?",
    "U8": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    "U9": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
})

QUESTIONS_EN: Mapping[str, str] = MappingProxyType({
    "U1": "How well do the service requirements match the type of service?",
    "U2": "How easy are the service procedures at this unit?",
    "U3": "How fast was the service delivered?",
    "U4": "How reasonable are the fees/tariffs for the service?",
    "U5": "How well does the service delivered match what the service standard promises?",
    "U6": "How competent were the staff serving you?",
    "U7": "How polite and friendly were the staff serving you?",
    "U8": "How are complaints from service users handled?",
    "U9": "How good are the facilities and infrastructure?",
})


def _options(*labels: str) -> Mapping[int, str]:
    return MappingProxyType(dict(zip(range(MIN_SCORE, MAX_SCORE + 1), labels, strict=True)))


# Answer wording per element for scores 1..4 (answers a..d on the regulation's form).
ANSWER_OPTIONS: Mapping[str, Mapping[int, str]] = MappingProxyType({
    "U1": _options("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "U2": _options("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "U3": _options("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "U4": _options("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "U5": _options("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "U6": _options("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "U7": _options("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
                   "Sangat sopan dan ramah"),
    "U8": _options("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
                   "Dikelola dengan baik"),
    "U9": _options("Buruk", "Cukup", "Baik", "Sangat Baik"),
})

ANSWER_OPTIONS_EN: Mapping[str, Mapping[int, str]] = MappingProxyType({
    "U1": _options("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
    "U2": _options("Not easy", "Less easy", "Easy", "Very easy"),
    "U3": _options("Not fast", "Less fast", "Fast", "Very fast"),
    "U4": _options("Very expensive", "Fairly expensive", "Cheap", "Free"),
    "U5": _options("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
    "U6": _options("Not competent", "Less competent", "Competent", "Very competent"),
    "U7": _options("Not polite and friendly", "Less polite and friendly", "Polite and friendly",
                   "Very polite and friendly"),
    "U8": _options("None", "Exists but does not work", "Works, not optimally", "Well managed"),
    "U9": _options("Poor", "Fair", "Good", "Very good"),
})

# Respondent profile asked by the regulation's form: (stored code, Indonesian, English).
SEX_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("L", "Laki-laki", "Male"),
    ("P", "Perempuan", "Female"),
)
# The form asks the age in years; reports group it in these bands (our choice).
AGE_BANDS: tuple[tuple[str, str, str], ...] = (
    ("<20", "Di bawah 20 tahun", "Under 20"),
    ("20-29", "20–29 tahun", "20–29"),
    ("30-39", "30–39 tahun", "30–39"),
    ("40-49", "40–49 tahun", "40–49"),
    ("50-59", "50–59 tahun", "50–59"),
    ("60+", "60 tahun ke atas", "60 and over"),
)
EDUCATION_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("SD", "SD ke bawah", "Primary school or less"),
    ("SMP", "SMP", "Junior secondary"),
    ("SMA", "SMA", "Senior secondary"),
    ("D1-D3-D4", "D1-D3-D4", "Diploma (D1–D4)"),
    ("S1", "S1", "Bachelor's degree"),
    ("S2", "S2", "Master's degree"),
    ("S3", "S3", "Doctorate"),
)
OCCUPATION_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("PNS", "PNS", "Civil servant"),
    ("TNI", "TNI", "Armed forces"),
    ("POLRI", "POLRI", "Police"),
    ("SWASTA", "Swasta", "Private sector employee"),
    ("WIRAUSAHA", "Wirausaha", "Self-employed"),
    ("LAINNYA", "Lainnya", "Other"),
)


def age_band(age_years: int) -> str:
    """Code of the AGE_BANDS entry an age in whole years falls in."""
    if isinstance(age_years, bool) or not isinstance(age_years, int) or age_years < 0:
        raise IkmError(f"age must be a non-negative whole number of years, got {age_years!r}")
    if age_years < 20:
        return "<20"
    if age_years >= 60:
        return "60+"
    decade = age_years // 10 * 10
    return f"{decade}-{decade + 9}"


# --- grades ---------------------------------------------------------------

@dataclass(frozen=True)
class Grade:
    code: str
    label: str
    label_en: str
    min_ikm: Fraction  # lowest rounded IKM score in this band (inclusive)


# The regulation's bands on the 25..100 scale; an IKM score rounded to 2 decimals
# always falls in exactly one of them (there are no gaps at 0.01 resolution).
GRADES: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", "Very good", Fraction("88.31")),
    Grade("B", "Baik", "Good", Fraction("76.61")),
    Grade("C", "Kurang Baik", "Poor", Fraction("65.00")),
    Grade("D", "Tidak Baik", "Very poor", Fraction("25.00")),
)


def _exact(value: Any, what: str) -> Fraction:
    if isinstance(value, bool):
        raise IkmError(f"{what} must be a number, got {value!r}")
    if isinstance(value, Rational):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise IkmError(f"{what} must be finite, got {value!r}")
        # The decimal the caller wrote (3.5324), not the binary float nearest to it.
        return Fraction(repr(value))
    try:
        return Fraction(value)  # Decimal, or a numeric string such as "88.31"
    except (TypeError, ValueError):
        raise IkmError(f"{what} must be a number, got {value!r}") from None


def _round_half_up(value: Fraction, places: int = 2) -> Fraction:
    """Round a non-negative exact value half-up, the way the regulation's tables do."""
    step = 10**places
    return Fraction(math.floor(value * step + Fraction(1, 2)), step)


def grade_for_ikm(score: Any) -> Grade:
    """Grade for an IKM score on the 25..100 scale (rounded to 2 decimals first)."""
    value = _round_half_up(_exact(score, "IKM score"))
    if not Fraction(25) <= value <= Fraction(100):
        raise IkmError(f"IKM score must be between 25 and 100, got {score!r}")
    return next(g for g in GRADES if value >= g.min_ikm)


def grade_for_nrr(nrr: Any) -> Grade:
    """Grade for an (weighted) NRR on the 1..4 interval scale.

    The regulation's interval table (A 3.5324–4.00, B 3.0644–3.532, C 2.60–3.064,
    D 1.00–2.5996) is the IKM table divided by 25.  Values between its rows
    (e.g. 3.5322) are graded by converting to the IKM scale and rounding exactly
    like the index itself, so the two scales never disagree.
    """
    value = _exact(nrr, "NRR")
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise IkmError(f"NRR must be between 1 and 4, got {nrr!r}")
    return grade_for_ikm(value * SCALE)


# --- the index ------------------------------------------------------------

@dataclass(frozen=True)
class IkmResult:
    """The index for one set of survey responses."""

    respondents: int
    answered: Mapping[str, int]        # element -> respondents who answered it
    nrr: Mapping[str, float]           # element -> NRR (display value)
    nrr_exact: Mapping[str, Fraction]  # element -> NRR, exact
    weighted_nrr: float
    weighted_nrr_exact: Fraction
    ikm: float                         # weighted NRR x 25, rounded half-up to 2 decimals
    ikm_exact: Fraction                # weighted NRR x 25 before rounding
    grade: str
    label: str
    label_en: str

    def weakest_elements(self) -> list[str]:
        """Element codes ordered from lowest NRR to highest (what drags the index down)."""
        return sorted(self.nrr_exact, key=lambda code: (self.nrr_exact[code], code))


def _check_score(index: int, code: str, score: Any) -> int:
    if isinstance(score, bool) or not isinstance(score, int):
        raise IkmError(f"response #{index}: {code} must be a whole number 1–4, got {score!r}")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise IkmError(f"response #{index}: {code} must be between 1 and 4, got {score}")
    return score


def compute_ikm(responses: Iterable[Mapping[str, Any]]) -> IkmResult:
    """Compute NRR per element, weighted NRR, IKM and its grade.

    Each response maps element codes "U1".."U9" to a whole score 1..4; an element
    the respondent did not answer is absent (or None).  Raises IkmError on unknown
    keys, non-integer or out-of-range scores, an empty response, no responses at
    all, or an element that nobody answered (the regulation always averages all
    nine elements, so the index is undefined without it).
    """
    totals = dict.fromkeys(ELEMENTS, 0)
    counts = dict.fromkeys(ELEMENTS, 0)
    respondents = 0
    for index, response in enumerate(responses):
        if not isinstance(response, Mapping):
            raise IkmError(f"response #{index} must be a mapping of element codes to scores")
        unknown = sorted(str(k) for k in response if k not in ELEMENTS)
        if unknown:
            raise IkmError(f"response #{index}: unknown element(s) {', '.join(unknown)}; "
                           f"expected {', '.join(ELEMENTS)}")
        answers = {code: s for code, s in response.items() if s is not None}
        if not answers:
            raise IkmError(f"response #{index} answers no element")
        for code, score in answers.items():
            totals[code] += _check_score(index, code, score)
            counts[code] += 1
        respondents += 1

    if respondents == 0:
        raise IkmError("no survey responses: the IKM needs at least one respondent")
    unanswered = [code for code, n in counts.items() if n == 0]
    if unanswered:
        raise IkmError(f"no respondent answered {', '.join(unanswered)} "
                       f"({', '.join(ELEMENTS[c] for c in unanswered)}); "
                       "the IKM averages all nine elements")

    nrr = {code: Fraction(totals[code], counts[code]) for code in ELEMENTS}
    weighted = sum((value * WEIGHT for value in nrr.values()), Fraction(0))
    ikm_exact = weighted * SCALE
    ikm = _round_half_up(ikm_exact)
    grade = grade_for_ikm(ikm)
    return IkmResult(
        respondents=respondents,
        answered=MappingProxyType(dict(counts)),
        nrr=MappingProxyType({code: float(v) for code, v in nrr.items()}),
        nrr_exact=MappingProxyType(nrr),
        weighted_nrr=float(weighted),
        weighted_nrr_exact=weighted,
        ikm=float(ikm),
        ikm_exact=ikm_exact,
        grade=grade.code,
        label=grade.label,
        label_en=grade.label_en,
    )


# --- sample size ----------------------------------------------------------

# Krejcie & Morgan (1970) table, cited by the regulation: population N -> sample S.
KREJCIE_MORGAN_TABLE: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132),
    (210, 136), (220, 140), (230, 144), (240, 148), (250, 152), (260, 155),
    (270, 159), (280, 162), (290, 165), (300, 169), (320, 175), (340, 181),
    (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248),
    (750, 254), (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278),
    (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306), (1600, 310),
    (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327), (2400, 331),
    (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354),
    (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368), (10000, 370),
    (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)
_TABLE_N = [n for n, _ in KREJCIE_MORGAN_TABLE]


def krejcie_morgan_sample(population: int) -> float:
    """Krejcie & Morgan's formula s = X²NP(1−P) / (d²(N−1) + X²P(1−P)), unrounded.

    X² = 3.841 (chi-square, 1 df, 95%), P = 0.5, d = 0.05.  Rounded to the nearest
    whole number it reproduces every row of KREJCIE_MORGAN_TABLE.
    """
    n = _check_population(population)
    chi2, p, d = Fraction("3.841"), Fraction(1, 2), Fraction(1, 20)
    return float(chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p)))


def required_sample_size(population: int) -> int:
    """Minimum respondents for a population served, from the Krejcie & Morgan table.

    A population between two rows takes the next higher row (the conservative
    reading); above the last row the sample is 384; it never exceeds the population
    (below 10 people, survey everyone).
    """
    n = _check_population(population)
    row = bisect.bisect_left(_TABLE_N, n)
    sample = KREJCIE_MORGAN_TABLE[min(row, len(KREJCIE_MORGAN_TABLE) - 1)][1]
    return min(sample, n)


def _check_population(population: Any) -> int:
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise IkmError(f"population must be a positive whole number, got {population!r}")
    return population
