"""Report periods and filters: parse query parameters into a ReportFilter (validated, bilingual errors)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedback.errors import FieldError, InputError

PERIODS = ("day", "week", "month", "quarter", "year", "custom")
CHANNELS = ("web", "email", "counter", "api", "open311")
PRIORITIES = ("rendah", "normal", "tinggi", "darurat")
MAX_CUSTOM_DAYS = 3660
_KECAMATAN_RE = re.compile(r"^[\w .'\-/]{1,100}$", re.UNICODE)


@dataclass(frozen=True)
class ReportFilter:
    """Tickets received in [start, end) (aware UTC), narrowed by the optional dimensions."""

    start: datetime
    end: datetime
    period: str = "custom"
    agency_id: int | None = None
    category_id: int | None = None
    channel: str | None = None
    priority: str | None = None
    kecamatan: str | None = None

    def scoped(self, scope_agency_id: int | None) -> "ReportFilter":
        """The filter as seen by a user limited to one agency (None: sees all)."""
        if scope_agency_id is None:
            return self
        if self.agency_id not in (None, scope_agency_id):
            # Asking for another agency's figures yields that agency AND yours: nothing.
            return replace(self, agency_id=-1)
        return replace(self, agency_id=scope_agency_id)

    def previous(self, tz: str = "Asia/Jakarta") -> "ReportFilter":
        """The period just before this one (the previous calendar unit, or the same length)."""
        zone = ZoneInfo(tz)
        local_start = self.start.astimezone(zone).date()
        if self.period in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.period]
            prev = _add_months(local_start, -months)
            return replace(self, start=_local_midnight(prev, zone), end=self.start)
        length = self.end - self.start
        return replace(self, start=self.start - length, end=self.start)

    def as_query(self) -> dict[str, str]:
        """Query parameters that reproduce this filter (links to exports, comparisons)."""
        out = {"period": "custom", "from": self.start.date().isoformat(), "to": self.end.date().isoformat()}
        for key in ("agency_id", "category_id", "channel", "priority", "kecamatan"):
            value = getattr(self, key)
            if value is not None:
                out[key.replace("_id", "")] = str(value)
        return out


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_bounds(period: str, anchor: date, tz: str = "Asia/Jakarta") -> tuple[datetime, datetime]:
    """[start, end) in UTC of the local day/week/month/quarter/year containing anchor."""
    zone = ZoneInfo(tz)
    if period == "day":
        first, last = anchor, anchor + timedelta(days=1)
    elif period == "week":
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=7)
    elif period == "month":
        first = anchor.replace(day=1)
        last = _add_months(first, 1)
    elif period == "quarter":
        first = date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1)
        last = _add_months(first, 3)
    elif period == "year":
        first, last = date(anchor.year, 1, 1), date(anchor.year + 1, 1, 1)
    else:
        raise ValueError(f"unknown period {period!r}")
    return _local_midnight(first, zone), _local_midnight(last, zone)


def _error(field: str, message: str, message_en: str) -> FieldError:
    return FieldError(field, "invalid", message, message_en)


def _parse_date(raw: str | None, field: str, errors: list[FieldError]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        errors.append(_error(field, f"Tanggal '{field}' harus berformat TTTT-BB-HH.",
                             f"Date '{field}' must be formatted YYYY-MM-DD."))
        return None


def _parse_int(raw: str | None, field: str, errors: list[FieldError]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
        if value < 1:
            raise ValueError
        return value
    except ValueError:
        errors.append(_error(field, f"'{field}' harus berupa angka bulat positif.",
                             f"'{field}' must be a positive whole number."))
        return None


def parse_filter(params: Mapping[str, str], *, tz: str = "Asia/Jakarta",
                 today: date | None = None) -> ReportFilter:
    """Build a ReportFilter from query parameters; raises InputError (400) on bad values.

    period=day|week|month|quarter|year with an optional anchor date `date`, or
    period=custom with `from` and `to` (inclusive local dates).
    """
    errors: list[FieldError] = []
    zone = ZoneInfo(tz)
    today = today or datetime.now(zone).date()
    period = (params.get("period") or "month").strip()
    if period not in PERIODS:
        errors.append(_error("period", "Periode harus salah satu dari: " + ", ".join(PERIODS) + ".",
                             "Period must be one of: " + ", ".join(PERIODS) + "."))
        period = "month"
    start = end = None
    if period == "custom":
        first = _parse_date(params.get("from"), "from", errors)
        last = _parse_date(params.get("to"), "to", errors)
        if first is None or last is None:
            if not errors:
                errors.append(_error("from", "Periode kustom memerlukan tanggal 'from' dan 'to'.",
                                     "A custom period needs 'from' and 'to' dates."))
        elif last < first:
            errors.append(_error("to", "Tanggal akhir harus sama atau setelah tanggal awal.",
                                 "The end date must be on or after the start date."))
        elif (last - first).days > MAX_CUSTOM_DAYS:
            errors.append(_error("to", "Rentang tanggal paling lama 10 tahun.", "The range may span at most 10 years."))
        else:
            start, end = _local_midnight(first, zone), _local_midnight(last + timedelta(days=1), zone)
    else:
        anchor = _parse_date(params.get("date"), "date", errors) or today
        start, end = period_bounds(period, anchor, tz)
    agency_id = _parse_int(params.get("agency"), "agency", errors)
    category_id = _parse_int(params.get("category"), "category", errors)
    channel = (params.get("channel") or "").strip() or None
    if channel is not None and channel not in CHANNELS:
        errors.append(_error("channel", "Kanal tidak dikenal.", "Unknown channel."))
    priority = (params.get("priority") or "").strip() or None
    if priority is not None and priority not in PRIORITIES:
        errors.append(_error("priority", "Prioritas tidak dikenal.", "Unknown priority."))
    kecamatan = (params.get("kecamatan") or "").strip() or None
    if kecamatan is not None and not _KECAMATAN_RE.match(kecamatan):
        errors.append(_error("kecamatan", "Nama kecamatan tidak valid.", "Invalid kecamatan name."))
    if errors:
        raise InputError(errors, 400)
    return ReportFilter(start=start, end=end, period=period, agency_id=agency_id, category_id=category_id,
                        channel=channel, priority=priority, kecamatan=kecamatan)
