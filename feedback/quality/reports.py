"""Service-quality report services: every figure is aggregated in SQL, never by loading tickets.

Conventions (shown on the report pages too):
* the population of a period is the cohort of tickets *received* in it (created_at in [start, end));
* first-response time = first_response_at - created_at; resolution time = resolved_at - created_at
  minus the time spent waiting for the citizen (paused_seconds); in working time the pause is
  deducted in proportion;
* SLA compliance counts tickets whose outcome is known: answered/resolved, or already past due;
  the resolution deadline is extended by the pause; rejected tickets are left out;
* backlog = tickets not rejected and not resolved at the end of the period (or now);
* every function takes scope_agency_id: agency staff pass their agency and see only its tickets.
"""
from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from feedback.quality.calendar import WorkingCalendar
from feedback.quality.periods import ReportFilter
from feedback.quality.report_sql import (
    Dialect, Dist, bucket_key, calendar_cte, calendar_joins, current_dialect, distributions, fetch, ticket_where, working_clock,
)
from feedback.quality.stats import AGING_BUCKETS, SATISFIED_RATINGS

DEFAULT_TZ = "Asia/Jakarta"


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _ratio(part: Any, whole: Any) -> float | None:
    whole = int(whole or 0)
    return None if whole == 0 else int(part or 0) / whole


def default_grain(f: ReportFilter) -> str:
    days = (f.end - f.start).days
    if days <= 45:
        return "day"
    if days <= 200:
        return "week"
    return "month" if days <= 800 else "quarter"


def _greatest(d: Dialect, a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if d.is_pg else f"MAX({a}, {b})"


def _durations_sql(d: Dialect, cal: WorkingCalendar, f: ReportFilter, now: datetime,
                   group: str | None, working: bool = True) -> tuple[str, list[Any]]:
    """SELECT of the cohort's durations in seconds: fr_cal, fr_work, res_cal, res_work (and g).

    With working=False the working-time columns are NULL and the calendar joins are skipped."""
    zone = ZoneInfo(d.tz)
    first = f.start.astimezone(zone).date() - timedelta(days=1)
    last = max(f.end, now).astimezone(zone).date() + timedelta(days=1)
    where, params = ticket_where(f)
    # Epochs are computed once per row in the inner query; the rest is plain arithmetic.
    inner = (f"SELECT {group or 'NULL'} AS g, {d.epoch('t.created_at')} AS e0, {d.epoch('t.first_response_at')} AS e1, "
             f"{d.epoch('t.resolved_at')} AS e2, t.paused_seconds AS p FROM ticket t WHERE {where}")
    gross = "(s.e2 - s.e0)"
    net = _greatest(d, f"{gross} - s.p", "0")
    res_cal = f"CASE WHEN s.e2 IS NOT NULL THEN {net} END"
    if not working:
        sql = (f"SELECT s.g AS g, (s.e1 - s.e0) AS fr_cal, CAST(NULL AS DOUBLE PRECISION) AS fr_work, "
               f"{res_cal} AS res_cal, CAST(NULL AS DOUBLE PRECISION) AS res_work FROM ({inner}) s")
        return sql, params
    w0, w1, w2 = (working_clock(d, cal, f"s.{e}", alias) for e, alias in (("e0", "c0"), ("e1", "c1"), ("e2", "c2")))
    sql = (
        f"WITH {calendar_cte(d, cal, first, last)} "
        f"SELECT s.g AS g, (s.e1 - s.e0) AS fr_cal, ({w1} - {w0}) AS fr_work, {res_cal} AS res_cal, "
        f"CASE WHEN s.e2 IS NOT NULL THEN "
        f"  CASE WHEN {gross} > 0 THEN ({w2} - {w0}) * {net} / {gross} ELSE 0 END END AS res_work "
        f"FROM ({inner}) s{calendar_joins(d, {'c0': 's.e0', 'c1': 's.e1', 'c2': 's.e2'})}"
    )
    return sql, params


MEASURES = ("fr_cal", "fr_work", "res_cal", "res_work")


async def response_times(f: ReportFilter, *, scope_agency_id: int | None, calendar: WorkingCalendar,
                         tz: str = DEFAULT_TZ, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """First-response and resolution time (seconds): n, median, p90, mean, calendar and working."""
    d = current_dialect(tz)
    sql, params = _durations_sql(d, calendar, f.scoped(scope_agency_id), _now(now), None)
    result = await distributions(d, sql, params, MEASURES)
    dists = result.get(None) or {m: Dist(0, None, None, None) for m in MEASURES}
    return {m: asdict(dists[m]) for m in MEASURES}


def _counts_sql(d: Dialect, f: ReportFilter, group: str | None) -> tuple[str, list[Any]]:
    where, params = ticket_where(f)
    now_cmp = d.comparable("{}")
    live = "t.status <> 'rejected'"
    fr_due, res_due = d.comparable("t.first_response_due_at"), d.plus_seconds("t.due_at", "t.paused_seconds")
    sql = (
        f"SELECT {group or 'NULL'} AS g, COUNT(*) AS volume, "
        f"SUM(CASE WHEN t.status = 'rejected' THEN 1 ELSE 0 END) AS rejected, "
        f"SUM(CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END) AS resolved, "
        f"SUM(CASE WHEN {live} AND t.first_response_due_at IS NOT NULL AND (t.first_response_at IS NOT NULL "
        f"  OR {fr_due} < {now_cmp}) THEN 1 ELSE 0 END) AS fr_sla_n, "
        f"SUM(CASE WHEN {live} AND t.first_response_due_at IS NOT NULL AND t.first_response_at IS NOT NULL "
        f"  AND {d.comparable('t.first_response_at')} <= {fr_due} THEN 1 ELSE 0 END) AS fr_sla_met, "
        f"SUM(CASE WHEN {live} AND t.due_at IS NOT NULL AND (t.resolved_at IS NOT NULL "
        f"  OR {res_due} < {now_cmp}) THEN 1 ELSE 0 END) AS res_sla_n, "
        f"SUM(CASE WHEN {live} AND t.due_at IS NOT NULL AND t.resolved_at IS NOT NULL "
        f"  AND {d.comparable('t.resolved_at')} <= {res_due} THEN 1 ELSE 0 END) AS res_sla_met, "
        f"SUM(CASE WHEN t.resolved_at IS NOT NULL OR t.reopen_count > 0 THEN 1 ELSE 0 END) AS reopen_n, "
        f"SUM(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END) AS reopened, "
        f"SUM(CASE WHEN t.agency IS NOT NULL THEN 1 ELSE 0 END) AS routed, "
        f"SUM(CASE WHEN t.reroute_count > 0 THEN 1 ELSE 0 END) AS rerouted, "
        f"SUM(CASE WHEN t.predicted_category IS NOT NULL AND c.code IS NOT NULL THEN 1 ELSE 0 END) AS agree_n, "
        f"SUM(CASE WHEN t.predicted_category = c.code THEN 1 ELSE 0 END) AS agreed "
        f"FROM ticket t LEFT JOIN category c ON c.id = t.category WHERE {where} "
        + (f"GROUP BY {group}" if group else "")
    )
    return sql, params


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    counts = {k: int(row.get(k) or 0) for k in (
        "volume", "rejected", "resolved", "fr_sla_n", "fr_sla_met", "res_sla_n", "res_sla_met",
        "reopen_n", "reopened", "routed", "rerouted", "agree_n", "agreed")}
    return {
        **counts,
        "resolved_share": _ratio(counts["resolved"], counts["volume"]),
        "fr_sla_compliance": _ratio(counts["fr_sla_met"], counts["fr_sla_n"]),
        "res_sla_compliance": _ratio(counts["res_sla_met"], counts["res_sla_n"]),
        "reopen_rate": _ratio(counts["reopened"], counts["reopen_n"]),
        "reroute_rate": _ratio(counts["rerouted"], counts["routed"]),
        "classifier_agreement": _ratio(counts["agreed"], counts["agree_n"]),
    }


async def counts(f: ReportFilter, *, scope_agency_id: int | None, tz: str = DEFAULT_TZ,
                 now: datetime | None = None) -> dict[str, Any]:
    """Volume, resolved share, SLA compliance, reopen and re-routing rates, classifier agreement."""
    d = current_dialect(tz)
    sql, params = _counts_sql(d, f.scoped(scope_agency_id), None)
    rows = await fetch(sql, _place_now(params, now))
    return _rates(rows[0] if rows else {})


def _place_now(params: list[Any], now: datetime | None) -> list[Any]:
    """Params in textual order: the two `now` placeholders come before the WHERE clause's."""
    return [_now(now), _now(now), *params]


async def backlog(f: ReportFilter, *, scope_agency_id: int | None, tz: str = DEFAULT_TZ,
                  now: datetime | None = None) -> dict[str, Any]:
    """Open tickets at the end of the period (or now, if earlier), by age bucket in days."""
    d = current_dialect(tz)
    as_of = min(f.end, _now(now))
    where, params = ticket_where(f.scoped(scope_agency_id), period=False)
    age = d.seconds_between(d.ts_param(), "t.created_at")
    limits = (4, 8, 15, 31)
    cases = " ".join(f"WHEN age < {days * 86400} THEN '{label}'" for days, label in zip(limits, AGING_BUCKETS))
    # Two index-friendly halves: still unresolved (partial index), or resolved after as_of.
    open_now = (f"SELECT {age} AS age FROM ticket t WHERE t.resolved_at IS NULL AND t.created_at < {{}} "
                f"AND t.status <> 'rejected' AND {where}")
    resolved_later = (f"SELECT {age} AS age FROM ticket t WHERE t.resolved_at >= {{}} AND t.created_at < {{}} "
                      f"AND t.status <> 'rejected' AND {where}")
    sql = (f"SELECT bucket, COUNT(*) AS n FROM (SELECT CASE {cases} ELSE '{AGING_BUCKETS[-1]}' END AS bucket "
           f"FROM ({open_now} UNION ALL {resolved_later}) a) b GROUP BY bucket")
    rows = await fetch(sql, [as_of, as_of, *params, as_of, as_of, as_of, *params])
    buckets = dict.fromkeys(AGING_BUCKETS, 0)
    for r in rows:
        buckets[r["bucket"]] = int(r["n"])
    return {"as_of": as_of, "total": sum(buckets.values()), "buckets": buckets}


async def time_series(f: ReportFilter, *, scope_agency_id: int | None, grain: str | None = None,
                      tz: str = DEFAULT_TZ, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per day/week/month: tickets received, resolved, and the backlog at the bucket's end."""
    d = current_dialect(tz)
    grain = grain or default_grain(f)
    scoped = f.scoped(scope_agency_id)
    opening = await backlog(_until(scoped, scoped.start), scope_agency_id=None, tz=tz, now=now)
    where_c, params_c = ticket_where(scoped)
    where_r, params_r = ticket_where(scoped, time_col="resolved_at")
    received = await fetch(
        f"SELECT {d.day_number('t.created_at')} AS dn, COUNT(*) AS n, "
        f"SUM(CASE WHEN t.status = 'rejected' THEN 0 ELSE 1 END) AS live FROM ticket t WHERE {where_c} GROUP BY dn",
        params_c)
    resolved = await fetch(
        f"SELECT {d.day_number('t.resolved_at')} AS dn, COUNT(*) AS n FROM ticket t "
        f"WHERE {where_r} AND t.status <> 'rejected' GROUP BY dn", params_r)
    rec: dict[str, tuple[int, int]] = {}
    for r in received:
        key = bucket_key(r["dn"], grain)
        n, live = rec.get(key, (0, 0))
        rec[key] = (n + int(r["n"]), live + int(r["live"] or 0))
    res: dict[str, int] = {}
    for r in resolved:
        key = bucket_key(r["dn"], grain)
        res[key] = res.get(key, 0) + int(r["n"])
    series, open_now = [], opening["total"]
    for key in _bucket_keys(scoped, grain, tz):
        n, live = rec.get(key, (0, 0))
        open_now += live - res.get(key, 0)
        series.append({"bucket": key, "received": n, "resolved": res.get(key, 0), "backlog": open_now})
    return series


def _until(f: ReportFilter, moment: datetime) -> ReportFilter:
    return replace(f, end=moment)


def _bucket_keys(f: ReportFilter, grain: str, tz: str) -> list[str]:
    zone = ZoneInfo(tz)
    day = f.start.astimezone(zone).date()
    last = (f.end - timedelta(microseconds=1)).astimezone(zone).date()
    keys: list[str] = []
    while day <= last:
        if grain == "day":
            key = day
        elif grain == "week":
            key = day - timedelta(days=day.weekday())
        elif grain == "month":
            key = day.replace(day=1)
        elif grain == "quarter":
            key = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        else:
            key = day.replace(month=1, day=1)
        if not keys or keys[-1] != key.isoformat():
            keys.append(key.isoformat())
        day += timedelta(days=1)
    return keys


async def channels(f: ReportFilter, *, scope_agency_id: int | None, calendar: WorkingCalendar,
                   tz: str = DEFAULT_TZ, now: datetime | None = None) -> list[dict[str, Any]]:
    """Share of the cohort per channel and each channel's resolution time (calendar and working)."""
    d = current_dialect(tz)
    scoped = f.scoped(scope_agency_id)
    sql, params = _durations_sql(d, calendar, scoped, _now(now), "t.channel")
    dists = await distributions(d, sql, params, ("res_cal", "res_work"), grouped=True)
    where, wparams = ticket_where(scoped)
    rows = await fetch(f"SELECT t.channel AS g, COUNT(*) AS n FROM ticket t WHERE {where} GROUP BY t.channel", wparams)
    total = sum(int(r["n"]) for r in rows)
    out = []
    for r in sorted(rows, key=lambda r: (-int(r["n"]), r["g"])):
        dist = dists.get(r["g"], {})
        out.append({"channel": r["g"], "tickets": int(r["n"]), "share": _ratio(r["n"], total),
                    "resolution": asdict(dist["res_cal"]) if "res_cal" in dist else None,
                    "resolution_working": asdict(dist["res_work"]) if "res_work" in dist else None})
    return out


RESOLUTION_BINS: tuple[tuple[str, float], ...] = (
    ("<1d", 1), ("1-2d", 2), ("2-3d", 3), ("3-5d", 5), ("5-7d", 7), ("7-14d", 14), ("14-30d", 30),
)


async def resolution_histogram(f: ReportFilter, *, scope_agency_id: int | None, tz: str = DEFAULT_TZ) -> list[dict[str, Any]]:
    """Resolved tickets of the cohort per resolution-time bin (calendar days, pauses deducted)."""
    d = current_dialect(tz)
    where, params = ticket_where(f.scoped(scope_agency_id))
    net = _greatest(d, f"{d.seconds_between('t.resolved_at', 't.created_at')} - t.paused_seconds", "0")
    cases = " ".join(f"WHEN v < {days * 86400} THEN '{label}'" for label, days in RESOLUTION_BINS)
    rows = await fetch(f"SELECT CASE {cases} ELSE '>30d' END AS bin, COUNT(*) AS n FROM "
                       f"(SELECT {net} AS v FROM ticket t WHERE {where} AND t.resolved_at IS NOT NULL) s GROUP BY bin",
                       params)
    found = {r["bin"]: int(r["n"]) for r in rows}
    return [{"bin": label, "tickets": found.get(label, 0)} for label in [*(b for b, _ in RESOLUTION_BINS), ">30d"]]


async def satisfaction(f: ReportFilter, *, scope_agency_id: int | None, tz: str = DEFAULT_TZ) -> dict[str, Any]:
    """Ratings (1–5) given in the period: count, mean, distribution and CSAT (share of 4–5)."""
    where, params = ticket_where(f.scoped(scope_agency_id), period=False)
    rows = await fetch(
        f"SELECT r.score AS score, COUNT(*) AS n FROM satisfaction_rating r JOIN ticket t ON t.id = r.ticket "
        f"WHERE r.created_at >= {{}} AND r.created_at < {{}} AND {where} GROUP BY r.score",
        [f.start.astimezone(UTC), f.end.astimezone(UTC), *params])
    distribution = {score: 0 for score in range(1, 6)}
    for r in rows:
        distribution[int(r["score"])] = int(r["n"])
    n = sum(distribution.values())
    return {
        "n": n,
        "mean": (sum(s * c for s, c in distribution.items()) / n) if n else None,
        "distribution": distribution,
        "csat": _ratio(sum(distribution[s] for s in SATISFIED_RATINGS), n),
    }


async def agencies(f: ReportFilter, *, scope_agency_id: int | None, calendar: WorkingCalendar,
                   tz: str = DEFAULT_TZ, now: datetime | None = None, working: bool = True) -> list[dict[str, Any]]:
    """Per agency: volume, resolved share, SLA compliance, median resolution time; ranked by SLA."""
    d = current_dialect(tz)
    scoped = f.scoped(scope_agency_id)
    sql, params = _counts_sql(d, scoped, "t.agency")
    rows = await fetch(sql, _place_now(params, now))
    dsql, dparams = _durations_sql(d, calendar, scoped, _now(now), "t.agency", working)
    dists = await distributions(d, dsql, dparams, ("res_cal", "res_work"), grouped=True)
    names = {r["id"]: r for r in await fetch("SELECT id, code, name FROM agency")}
    out = []
    for r in rows:
        agency = names.get(r["g"], {})
        dist = dists.get(r["g"], {})
        out.append({"agency_id": r["g"], "code": agency.get("code"), "name": agency.get("name", "—"),
                    **_rates(r),
                    "median_resolution": dist["res_cal"].median if "res_cal" in dist else None,
                    "median_resolution_working": dist["res_work"].median if working and "res_work" in dist else None})
    out.sort(key=lambda a: (-(a["res_sla_compliance"] if a["res_sla_compliance"] is not None else -1),
                            -a["volume"], str(a["name"])))
    return out


def _delta(now_value: Any, previous: Any) -> float | None:
    if now_value is None or previous is None:
        return None
    return now_value - previous


async def full_report(f: ReportFilter, *, scope_agency_id: int | None, calendar: WorkingCalendar,
                      tz: str = DEFAULT_TZ, now: datetime | None = None, compare: bool = True) -> dict[str, Any]:
    """Everything the report page shows, plus the previous period's headline figures and deltas."""
    kw = {"scope_agency_id": scope_agency_id, "tz": tz, "now": now}
    report: dict[str, Any] = {
        "filter": f.scoped(scope_agency_id),
        "counts": await counts(f, **kw),
        "times": await response_times(f, calendar=calendar, **kw),
        "backlog": await backlog(f, **kw),
        "series": await time_series(f, **kw),
        "channels": await channels(f, calendar=calendar, **kw),
        "satisfaction": await satisfaction(f, scope_agency_id=scope_agency_id, tz=tz),
        "histogram": await resolution_histogram(f, scope_agency_id=scope_agency_id, tz=tz),
        "agencies": await agencies(f, calendar=calendar, **kw),
    }
    if compare:
        prev = f.previous(tz)
        prev_counts = await counts(prev, **kw)
        prev_times = await response_times(prev, calendar=calendar, **kw)
        prev_sat = await satisfaction(prev, scope_agency_id=scope_agency_id, tz=tz)
        report["previous"] = {"filter": prev.scoped(scope_agency_id), "counts": prev_counts,
                              "times": prev_times, "satisfaction": prev_sat}
        keys = ("volume", "resolved_share", "fr_sla_compliance", "res_sla_compliance", "reopen_rate",
                "reroute_rate", "classifier_agreement")
        report["deltas"] = {k: _delta(report["counts"][k], prev_counts[k]) for k in keys}
        report["deltas"]["median_resolution"] = _delta(report["times"]["res_cal"]["median"],
                                                       prev_times["res_cal"]["median"])
        report["deltas"]["csat"] = _delta(report["satisfaction"]["csat"], prev_sat["csat"])
    return report
