"""``report.html``: the Pulse report as one self-contained page (inline CSS and SVG, no script,
no font or library from a CDN), readable offline and safe to mail around.

Every string from the data — topic keywords, example snippets, file names — is HTML-escaped, so
a post that holds markup shows as text. Headings are in Vietnamese and English.
"""

from __future__ import annotations

from html import escape
from typing import Any

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
SENTIMENT_COLOURS = {"NEG": "#d62728", "NEU": "#9e9e9e", "POS": "#2ca02c"}
TOPICS_CHARTED = 8
WIDTH, HEIGHT, PAD = 760, 240, 40

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:880px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.en{color:#666;font-weight:normal}table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.bar{display:flex;height:.8rem;width:140px}
.bar span{display:block;height:100%}.note{color:#555;font-size:.9rem}
.ex{color:#444;font-size:.88rem}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
svg text{font-size:11px;fill:#555}
"""


def _h2(vietnamese: str, english: str) -> str:
    return f'<h2>{escape(vietnamese)} <span class="en">/ {escape(english)}</span></h2>'


def _x(i: int, n: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (i / max(n - 1, 1))


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top if top else 0)


def _axes(periods: list[str], top: float, label: str) -> str:
    n = len(periods)
    ticks = sorted({0, n // 2, n - 1}) if n else []
    base = HEIGHT - PAD
    parts = [
        f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" stroke="#999"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>',
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end">{top:g}</text>',
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end">0</text>',
        f'<text x="{PAD}" y="{PAD - 10}">{escape(label)}</text>',
    ]
    parts += [
        f'<text x="{_x(i, n):.1f}" y="{HEIGHT - PAD + 16}" text-anchor="middle">'
        f"{escape(periods[i])}</text>"
        for i in ticks
    ]
    return "".join(parts)


def topics_over_time(report: dict[str, Any]) -> str:
    """A line per charted topic: posts per period (periods withheld for k count as 0)."""
    periods = report["series"]["periods"]
    charted = [t["topic"] for t in report["topics"][:TOPICS_CHARTED]]
    if not periods or not charted:
        return '<p class="note">Không đủ dữ liệu để vẽ. / Not enough data to chart.</p>'
    values = {t: dict.fromkeys(periods, 0) for t in charted}
    for row in report["series"]["topics"]:
        if row["topic"] in values and row["period"] in values[row["topic"]]:
            values[row["topic"]][row["period"]] = row["posts"]
    top = max((v for series in values.values() for v in series.values()), default=1) or 1
    lines, legend = [], []
    labels = {t["topic"]: t["label"] for t in report["topics"]}
    for colour, topic in zip(PALETTE, charted, strict=False):
        points = " ".join(
            f"{_x(i, len(periods)):.1f},{_y(values[topic][p], top):.1f}"
            for i, p in enumerate(periods)
        )
        lines.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        legend.append(f'<span><i style="background:{colour}"></i>{escape(labels[topic])}</span>')
    return (
        f'<svg role="img" aria-label="Topics over time" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%">{_axes(periods, top, "bài / posts")}{"".join(lines)}</svg>'
        f'<div class="legend">{"".join(legend)}</div>'
    )


def sentiment_over_time(report: dict[str, Any]) -> str:
    """Stacked bars: the share of negative, neutral and positive posts in each period."""
    rows = report["series"]["overall"]
    if not rows:
        return '<p class="note">Không đủ dữ liệu để vẽ. / Not enough data to chart.</p>'
    step = (WIDTH - 2 * PAD) / len(rows)
    bars = []
    for i, row in enumerate(rows):
        bottom = HEIGHT - PAD
        for label in ("NEG", "NEU", "POS"):
            height = (HEIGHT - 2 * PAD) * row[label]
            bottom -= height
            bars.append(
                f'<rect x="{PAD + i * step:.1f}" y="{bottom:.1f}" width="{max(step - 1, 0.5):.1f}" '
                f'height="{height:.1f}" fill="{SENTIMENT_COLOURS[label]}"><title>'
                f"{escape(row['period'])} {label} {row[label]:.0%}</title></rect>"
            )
    periods = [row["period"] for row in rows]
    legend = "".join(
        f'<span><i style="background:{c}"></i>{name}</span>'
        for name, c in zip(
            ("Tiêu cực / negative", "Trung tính / neutral", "Tích cực / positive"),
            SENTIMENT_COLOURS.values(),
            strict=True,
        )
    )
    return (
        f'<svg role="img" aria-label="Sentiment over time" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%">{_axes(periods, 1, "tỉ lệ / share")}{"".join(bars)}</svg>'
        f'<div class="legend">{legend}</div>'
    )


def _sentiment_bar(row: dict[str, Any]) -> str:
    spans = "".join(
        f'<span style="width:{row[k] * 100:.1f}%;background:{c}" title="{k} {row[k]:.0%}"></span>'
        for k, c in SENTIMENT_COLOURS.items()
    )
    return f'<div class="bar" aria-label="NEG {row["NEG"]:.0%}, POS {row["POS"]:.0%}">{spans}</div>'


def topics_table(report: dict[str, Any]) -> str:
    rows = []
    for t in report["topics"]:
        examples = "".join(f'<div class="ex">“{escape(e)}”</div>' for e in t["examples"])
        rows.append(
            f"<tr><td><strong>{escape(t['label'])}</strong><br>"
            f'<span class="note">{escape(", ".join(t["keywords"]))}</span>{examples}</td>'
            f'<td class="n">{t["posts"]:,}</td><td class="n">{t["authors"]:,}</td>'
            f"<td>{_sentiment_bar(t)}</td>"
            f'<td class="n">{t["toxic"]:.0%}</td><td class="n">{t["checkworthy"]:.0%}</td></tr>'
        )
    head = (
        "<tr><th>Chủ đề / topic</th><th>Bài / posts</th><th>Người viết / authors</th>"
        "<th>Sắc thái / sentiment</th><th>Độc hại / toxic</th><th>Cần kiểm chứng / claims</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def emerging_table(report: dict[str, Any]) -> str:
    if not report["emerging"]:
        return '<p class="note">Không thấy vấn đề nổi lên. / No emerging issue found.</p>'
    rows = "".join(
        f"<tr><td>{escape(b['label'])}</td><td>{escape(b['started'])}</td>"
        f'<td>{escape(b["peak"])}</td><td class="n">{b["peak_count"]:g}</td>'
        f'<td class="n">{b["peak_z"]:g}</td></tr>'
        for b in report["emerging"]
    )
    head = (
        "<tr><th>Chủ đề / topic</th><th>Bắt đầu / began</th><th>Đỉnh / peak</th>"
        "<th>Bài ở đỉnh / peak posts</th><th>z</th></tr>"
    )
    return f"<table>{head}{rows}</table>"


def render_html(report: dict[str, Any]) -> str:
    source, privacy = report["input"], report["privacy"]
    totals = report["totals"] or {}
    outliers = report["outliers"] or {"posts": 0}
    repeated = "".join(
        f'<tr><td>{escape(r["text"])}</td><td class="n">{r["posts"]:,}</td>'
        f'<td class="n">{r["authors"]:,}</td></tr>'
        for r in report["repeated_texts"]
    )
    summary = (
        f"<p>{source['posts']:,} bài từ <code>{escape(source['file'])}</code> "
        f"({source['distinct_texts']:,} nội dung khác nhau, {source['exact_copies']:,} bản sao, "
        f"{source['near_copies']:,} gần trùng; {source['bad_rows']:,} dòng lỗi) · "
        f"{totals.get('authors', 0):,} người viết.<br><span class='en'>{source['posts']:,} posts "
        f"({source['distinct_texts']:,} distinct texts, {source['exact_copies']:,} exact and "
        f"{source['near_copies']:,} near copies; {source['bad_rows']:,} bad rows), "
        f"{totals.get('authors', 0):,} authors.</span></p>"
        f'<p class="note">Mọi con số là tổng hợp; ô nào dưới {privacy["k"]} người viết đều bị ẩn '
        f"({privacy['withheld_cells']:,} ô, {privacy['withheld_topics']} chủ đề). "
        f"Every figure is an aggregate; cells covering fewer than {privacy['k']} authors are "
        f"withheld. {outliers['posts']:,} posts fit no topic.</p>"
    )
    sections = [
        _h2("Chủ đề", "Topics") + topics_table(report),
        _h2("Chủ đề theo thời gian", "Topics over time") + topics_over_time(report),
        _h2("Sắc thái theo thời gian", "Sentiment over time") + sentiment_over_time(report),
        _h2("Vấn đề nổi lên", "Emerging issues") + emerging_table(report),
    ]
    if repeated:
        sections.append(
            _h2("Nội dung lặp lại nhiều", "Most repeated texts")
            + "<table><tr><th>Nội dung / text</th><th>Bài / posts</th>"
            f"<th>Người viết / authors</th></tr>{repeated}</table>"
        )
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>kiemchung pulse</title>"
        f"<style>{_CSS}</style></head><body><main>"
        '<h1>Pulse <span class="en">— kiemchung</span></h1>'
        f"{summary}{''.join(sections)}"
        f'<p class="note">kiemchung {escape(report["kiemchung"])} · '
        f"{escape(report['settings']['engine'])} · {escape(report['generated_at'])}</p>"
        "</main></body></html>"
    )
