"""Synthetic but realistic ticket history for demos and benchmarks (pure generation, no I/O).

Seasonality: more reports in the rainy season (Nov–Mar) and on weekdays, a slow upward
trend; agencies differ in speed (and so in satisfaction); channels follow a fixed mix.
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from feedback.tracking.codes import ALPHABET, _check_symbol

CHANNEL_MIX = (("web", 0.52), ("counter", 0.25), ("email", 0.16), ("api", 0.07))
PRIORITY_MIX = (("normal", 0.78), ("tinggi", 0.12), ("rendah", 0.07), ("darurat", 0.03))
KECAMATAN = ("Cibeunying Kaler", "Coblong", "Sukajadi", "Bojongloa Kidul", "Kiaracondong", "Antapani",
             "Buahbatu", "Rancasari", "Cicendo", "Andir", "Lengkong", "Regol")
# Multiplier on resolution/response time per agency code (<1 faster, >1 slower).
AGENCY_SPEED = {"pln": 0.6, "pdam": 0.8, "disdukcapil": 0.7, "dpmptsp": 0.75, "dlh": 1.0, "dinkes": 0.9,
                "bpbd": 0.5, "polres": 1.1, "satpolpp": 1.2, "dishub": 1.3, "dinsos": 1.6, "disdik": 1.4,
                "dpupr": 1.8}
TICKET_COLUMNS = (
    "tracking_code", "kind", "channel", "text", "kecamatan", "privacy", "status", "category", "agency",
    "confidence", "suggestions", "predicted_category", "priority", "routing_attempts", "created_at", "updated_at",
    "routed_at", "first_response_at", "first_response_due_at", "due_at", "resolved_at", "closed_at",
    "paused_seconds", "reroute_count", "reopen_count", "first_response_breached", "resolution_breached",
)


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    code: str
    agency_id: int
    agency_code: str
    first_response_hours: int
    resolution_hours: int


def _pick(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    x, acc = rng.random(), 0.0
    for value, weight in mix:
        acc += weight
        if x < acc:
            return value
    return mix[-1][0]


def seasonal_weight(moment: datetime) -> float:
    """Relative volume on a day: rainy season peak around January, weekends quieter."""
    season = 1 + 0.35 * math.cos(2 * math.pi * (moment.month - 1) / 12)
    weekday = 0.55 if moment.weekday() >= 5 else 1.0
    return season * weekday


def creation_times(rng: random.Random, n: int, start: datetime, end: datetime) -> list[datetime]:
    """n creation moments in [start, end), denser in the rainy season and later years, sorted."""
    span = (end - start).total_seconds()
    out: list[datetime] = []
    while len(out) < n:
        moment = start + timedelta(seconds=rng.random() * span)
        trend = 0.75 + 0.5 * (moment - start).total_seconds() / span
        if rng.random() * 1.35 * 1.25 < seasonal_weight(moment + timedelta(hours=7)) * trend:
            out.append(moment)
    out.sort()
    return out


def ticket_rows(rng: random.Random, n: int, categories: list[CategoryInfo], start: datetime, end: datetime,
                now: datetime) -> Iterator[tuple]:
    """Rows in TICKET_COLUMNS order."""
    codes = [c.code for c in categories]
    for created in creation_times(rng, n, start, end):
        cat = rng.choice(categories)
        speed = AGENCY_SPEED.get(cat.agency_code, 1.0) * rng.lognormvariate(0, 0.35)
        priority = _pick(rng, PRIORITY_MIX)
        channel = _pick(rng, CHANNEL_MIX)
        fr_due = created + timedelta(hours=cat.first_response_hours * 3)
        due = created + timedelta(hours=cat.resolution_hours * 3)
        fr_at = created + timedelta(hours=rng.lognormvariate(math.log(6 * speed), 0.8))
        resolved = created + timedelta(hours=rng.lognormvariate(math.log(60 * speed), 0.7))
        paused = int(rng.expovariate(1 / 36000)) if rng.random() < 0.12 else 0
        resolved += timedelta(seconds=paused)
        rejected = rng.random() < 0.03
        status, closed = "in_progress", None
        if rejected:
            status, resolved, fr_at = "rejected", None, min(fr_at, now)
        elif resolved <= now:
            closed = resolved + timedelta(days=7)
            status = "closed" if closed <= now else "resolved"
            closed = closed if status == "closed" else None
        else:
            resolved = None
        if fr_at > now:
            fr_at = None
        predicted = cat.code if rng.random() < 0.87 else rng.choice(codes)
        rerouted = 1 if predicted != cat.code and rng.random() < 0.6 else (1 if rng.random() < 0.02 else 0)
        reopened = 1 if resolved is not None and rng.random() < 0.04 else 0
        yield (
            _code(rng), "complaint", channel, f"Laporan contoh ({cat.code}) untuk demo dan uji beban.",
            rng.choice(KECAMATAN), "public", status, cat.id, cat.agency_id,
            round(rng.uniform(0.5, 0.99), 3), "[]", predicted, priority, 1, created, resolved or fr_at or created,
            created + timedelta(minutes=2), fr_at, fr_due, due, resolved, closed, paused, rerouted, reopened,
            bool(fr_at is None and fr_due < now or fr_at is not None and fr_at > fr_due),
            bool(resolved is None and due < now or resolved is not None and resolved > due),
        )


def _code(rng: random.Random) -> str:
    """A valid tracking code from the seeded generator (reproducible, and faster than secrets)."""
    body = "".join(rng.choices(ALPHABET, k=11))
    return body + _check_symbol(body)


def rating_for(rng: random.Random, resolution_hours: float, agency_code: str) -> int:
    """1–5: faster and better agencies score higher."""
    base = 4.4 - 0.6 * math.log1p(resolution_hours / 48) - 0.3 * (AGENCY_SPEED.get(agency_code, 1.0) - 1)
    return max(1, min(5, round(rng.gauss(base, 0.9))))


def ikm_answers(rng: random.Random, rating: int) -> list[int]:
    """U1..U9 scores 1–4 around the rating; U4 (fees) is mostly 'Gratis'."""
    scores = [max(1, min(4, round(rng.gauss(1 + rating * 0.6, 0.6)))) for _ in range(9)]
    scores[3] = 4 if rng.random() < 0.85 else scores[3]
    return scores


def profile(rng: random.Random) -> tuple[str, str, str, str]:
    return (rng.choice(("L", "P")), rng.choice(("<20", "20-29", "30-39", "40-49", "50-59", "60+")),
            rng.choice(("SD", "SMP", "SMA", "SMA", "D1-D3-D4", "S1", "S1", "S2")),
            rng.choice(("PNS", "SWASTA", "SWASTA", "WIRAUSAHA", "WIRAUSAHA", "LAINNYA", "TNI", "POLRI")))


def default_window(now: datetime | None = None, years: float = 3) -> tuple[datetime, datetime]:
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return now - timedelta(days=int(365 * years)), now
