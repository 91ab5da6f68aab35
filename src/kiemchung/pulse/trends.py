"""Trends and emerging issues: counts per topic per day or week, and bursts with the day they began.

A burst is a run of periods whose count stands far above the topic's recent past, measured with a
robust z-score — the distance from the median of the preceding ``window`` periods in units of
their median absolute deviation (×1.4826, so it matches a standard deviation on normal data).
Medians, unlike means, are not dragged up by the burst itself or by one odd day. The deviation is
never taken below the square root of the median (counts vary that much by chance, as a Poisson
count does) nor below one post, so a steady topic's ordinary wobble is not an explosion.

Series come from the k-anonymous aggregator (:class:`~.privacy.KAnonymousAggregator`).
The baseline uses every cell's count, withheld ones included — counting a withheld cell as 0
would make any released cell of a quiet topic look like a burst — but a burst is reported only
at released cells: its peak must cover at least k authors (so it can only be seen once k people
raise the issue) and it is dated from its first released period. What is reported is the dates,
the peak's count and its z-score; the baseline itself (a median of possibly withheld cells) is not.
"""

from __future__ import annotations

import datetime as _dt
import math
import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from kiemchung.errors import InputError
from kiemchung.pulse.privacy import KAnonymousAggregator

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

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "started": self.started.isoformat(),
            "peak": self.peak.isoformat(),
            "peak_count": self.peak_count,
            "peak_z": round(self.peak_z, 1),
        }


def robust_z(value: float, past: list[float]) -> tuple[float, float]:
    """The robust z-score of ``value`` against ``past``."""
    median = statistics.median(past)
    deviation = statistics.median(abs(x - median) for x in past) * 1.4826
    return (value - median) / max(deviation, math.sqrt(median), MIN_DEVIATION)


def detect_bursts(
    counts: Mapping[_dt.date, float],
    period: str = "day",
    window: int = 14,
    threshold: float = BURST_Z,
    min_count: float = 10,
    span: Span | None = None,
) -> list[list[tuple[_dt.date, float, float]]]:
    """The bursts in one series over ``span``, each as its ``(period, count, z)`` runs. A period
    needs ``window`` periods of history before it can start a burst, and ``min_count`` posts;
    consecutive burst periods are one burst."""
    series = dense_series(counts, period, span)
    bursts: list[list[tuple[_dt.date, float, float]]] = []
    current: list[tuple[_dt.date, float, float]] = []
    for i in range(window, len(series)):
        day, value = series[i]
        z = robust_z(value, [v for _, v in series[i - window : i]])
        if z >= threshold and value >= min_count:
            current.append((day, value, z))
        elif current:
            bursts.append(current)
            current = []
    if current:
        bursts.append(current)
    return bursts


def emerging_issues(
    aggregator: KAnonymousAggregator,
    period: str = "day",
    span: Span | None = None,
    **options: float,
) -> list[Burst]:
    """Bursts of every topic in an aggregator keyed ``(topic, period start)``, the most recent
    first, reported only at released cells (see the module's docstring). ``span`` should be the
    span of all posts (default: the aggregator's own first to last period)."""
    counts = aggregator.internal_counts()
    if not counts:
        return []
    span = span or (min(key[1] for key in counts), max(key[1] for key in counts))
    series: dict[Hashable, dict[_dt.date, float]] = {}
    for (topic, start), posts in counts.items():
        series.setdefault(topic, {})[start] = posts
    found = []
    for topic, topic_counts in series.items():
        for run in detect_bursts(topic_counts, period, span=span, **options):
            shown = [step for step in run if aggregator.released((topic, step[0]))]
            if not shown:
                continue
            peak = max(shown, key=lambda step: (step[1], step[0]))
            found.append(Burst(topic, shown[0][0], peak[0], peak[1], peak[2]))
    return sorted(found, key=lambda b: (b.started, str(b.key)), reverse=True)
