"""Trends and emerging issues: counts per topic per day or week, and bursts with the day they began.

A burst is a run of periods whose count stands far above the topic's recent past, measured with a
robust z-score — the distance from the median of the preceding ``window`` periods in units of
their median absolute deviation (×1.4826, so it matches a standard deviation on normal data).
Medians, unlike means, are not dragged up by the burst itself or by one odd day, and a floor on
the deviation keeps a quiet topic's first few posts from looking like an explosion.

Series are built from k-anonymous cells (:class:`~kiemchung.pulse.privacy.KAnonymousAggregator`):
a period whose cell covers fewer than k authors counts as nothing, so a burst can only be seen
once at least k people raise the issue.
"""

from __future__ import annotations

import datetime as _dt
import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from kiemchung.errors import InputError

PERIODS = ("day", "week")
#: Robust z-score above which a period is part of a burst.
BURST_Z = 3.5
#: The deviation is never taken below this many posts (quiet series have a MAD of 0).
MIN_DEVIATION = 1.0


def period_start(moment: _dt.datetime | _dt.date, period: str = "day") -> _dt.date:
    """The day, or the Monday of the ISO week, that ``moment`` falls in."""
    if period not in PERIODS:
        raise InputError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    day = moment.date() if isinstance(moment, _dt.datetime) else moment
    return day - _dt.timedelta(days=day.weekday()) if period == "week" else day


def periods_in(first: _dt.date, last: _dt.date, period: str) -> list[_dt.date]:
    """Every period start from ``first`` to ``last`` (both period starts)."""
    step = _dt.timedelta(days=7 if period == "week" else 1)
    out, day = [], first
    while day <= last:
        out.append(day)
        day += step
    return out


Span = tuple[_dt.date, _dt.date]


def dense_series(
    counts: Mapping[_dt.date, float], period: str = "day", span: Span | None = None
) -> list[tuple[_dt.date, float]]:
    """``counts`` over every period of ``span`` (default: its own first to last), missing
    periods — no posts, or a cell withheld for covering fewer than k authors — as 0."""
    if span is None:
        if not counts:
            return []
        span = (min(counts), max(counts))
    return [(p, counts.get(p, 0.0)) for p in periods_in(span[0], span[1], period)]


@dataclass(frozen=True)
class Burst:
    """An emerging issue: when it began, when it peaked, and how far above its past it stood."""

    key: Hashable
    started: _dt.date
    peak: _dt.date
    peak_count: float
    peak_z: float
    baseline: float

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "started": self.started.isoformat(),
            "peak": self.peak.isoformat(),
            "peak_count": self.peak_count,
            "peak_z": round(self.peak_z, 2),
            "baseline": self.baseline,
        }


def robust_z(value: float, past: list[float]) -> tuple[float, float]:
    """(robust z-score of ``value`` against ``past``, the past's median)."""
    median = statistics.median(past)
    deviation = statistics.median(abs(x - median) for x in past) * 1.4826
    return (value - median) / max(deviation, MIN_DEVIATION), median


def detect_bursts(
    key: Hashable,
    counts: Mapping[_dt.date, float],
    period: str = "day",
    window: int = 14,
    threshold: float = BURST_Z,
    min_count: float = 10,
    span: Span | None = None,
) -> list[Burst]:
    """The bursts in one topic's series over ``span``. A period needs ``window`` periods of
    history before it can start a burst, and at least ``min_count`` posts; consecutive burst
    periods are one burst, dated from its first period."""
    series = dense_series(counts, period, span)
    bursts: list[Burst] = []
    current: dict | None = None
    for i in range(window, len(series)):
        day, value = series[i]
        z, median = robust_z(value, [v for _, v in series[i - window : i]])
        if z >= threshold and value >= min_count:
            if current is None:
                current = {"started": day, "peak": day, "count": value, "z": z, "base": median}
            elif value > current["count"]:
                current.update(peak=day, count=value, z=z)
            continue
        if current is not None:
            bursts.append(_burst(key, current))
            current = None
    if current is not None:
        bursts.append(_burst(key, current))
    return bursts


def _burst(key: Hashable, run: dict) -> Burst:
    return Burst(key, run["started"], run["peak"], run["count"], run["z"], run["base"])


def series_by_topic(
    cells: list[dict], measure: str = "posts"
) -> dict[Hashable, dict[_dt.date, float]]:
    """``{topic: {period: measure}}`` from k-anonymous cells keyed ``(topic, period start)``."""
    series: dict[Hashable, dict[_dt.date, float]] = {}
    for cell in cells:
        topic, start = cell["key"]
        series.setdefault(topic, {})[start] = cell.get(measure, 0.0)
    return series


def emerging_issues(
    cells: list[dict], period: str = "day", span: Span | None = None, **options: float
) -> list[Burst]:
    """Every topic's bursts over ``span`` (default: the cells' own first to last period), the
    most recent first. Pass the span of all posts: a topic quiet until its burst then has a
    history of zeros, not none, even when its quiet periods were withheld for k."""
    starts = [cell["key"][1] for cell in cells]
    if not starts:
        return []
    span = span or (min(starts), max(starts))
    found = [
        burst
        for topic, counts in series_by_topic(cells).items()
        for burst in detect_bursts(topic, counts, period, span=span, **options)
    ]
    return sorted(found, key=lambda b: b.started, reverse=True)
