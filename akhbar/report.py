"""A picture of who reports what: one self-contained HTML page drawn from the store.

`collect(store)` reads the figures with aggregate SQL through the store's read API
(`ArticleStore.query`, `ArticleStore.crawls`), on SQLite and PostgreSQL alike; `render_html(data)`
draws them with plotly, whose JavaScript is embedded once in the page, so the page works with no
internet; `write_report(store, path)` does both. The page shows:

- articles per day per outlet (the day of `published_at`, the outlet's own date);
- the share of each outlet's articles attributed to each agency, and with no agency (an article
  attributed to two agencies counts for both, so the shares of an outlet can add up to over 100%);
- the most frequent datelines, per outlet;
- field coverage per outlet: the share of its stored articles with each SCHEMA field non-empty;
- fields read through a fallback per outlet (the stats `akhbar/fallback/<field>` over
  `akhbar/coverage/pages` of the outlet's recorded crawls);
- drops by reason (`akhbar/dropped/<reason>`) in the last recorded crawls.

Arabic text (datelines, agencies as printed) is set right-to-left: `dir="rtl"` in the page's HTML,
and wrapped in a right-to-left isolate in chart labels, which are SVG text without a `dir`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path

from akhbar.items import FIELDS, LIST_FIELDS
from akhbar.storage import CHILD_TABLES, SCALAR_FIELDS, ArticleStore, mask_url

NO_AGENCY = "no agency"
OTHER_AGENCIES = "other agencies"
# Agencies drawn as their own bars; the rarer ones are drawn together as OTHER_AGENCIES.
AGENCY_BARS = 8
TOP_DATELINES = 15
# Crawl records read: drops are drawn for these, fallbacks summed over each outlet's.
LAST_CRAWLS = 20
DROPPED_PREFIX = "akhbar/dropped/"
FALLBACK_PREFIX = "akhbar/fallback/"
PAGES_STAT = "akhbar/coverage/pages"
ARTICLES_STAT = "akhbar/articles"
CHART_HEIGHT = 420
# Days the per-day chart shows at first when the articles span more (the rest a double click away).
PER_DAY_VIEW = 92
# Right-to-left isolate: Arabic chart labels keep their order (digits included) inside the
# left-to-right SVG text plotly draws.
RLI, PDI = "\u2067", "\u2069"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text or ""))


def rtl_label(text: str) -> str:
    """The label as a right-to-left isolate when it holds Arabic, else as it is."""
    return f"{RLI}{text}{PDI}" if is_arabic(text) else text


def _agency_names() -> dict[str, tuple[str, str]]:
    """Agency code -> (English name, first printed Arabic form) from the agency registry."""
    registry = json.loads(files("akhbar").joinpath("data", "agencies.json").read_text(encoding="utf-8"))
    return {entry["code"]: (entry.get("name", ""), (entry.get("forms") or [""])[0])
            for entry in registry["agencies"]}


@dataclass
class ReportData:
    """The report's figures. Counts are of stored articles (inside the window when one is set)."""

    store: str  # the database URL, password masked
    generated_at: str
    window: tuple[str, str] | None  # (first day, last day) of --days, else None: every article
    articles: dict[str, int] = field(default_factory=dict)  # outlet -> articles
    undated: dict[str, int] = field(default_factory=dict)  # outlet -> articles with no published_at
    per_day: dict[str, dict[str, int]] = field(default_factory=dict)  # outlet -> day -> articles
    agencies: dict[str, dict[str, int]] = field(default_factory=dict)  # outlet -> code -> articles
    no_agency: dict[str, int] = field(default_factory=dict)  # outlet -> articles with no agency
    agency_bars: list[str] = field(default_factory=list)  # the AGENCY_BARS most frequent codes
    other_agencies: dict[str, int] = field(default_factory=dict)  # outlet -> articles with a rarer agency
    datelines: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # most frequent first
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)  # outlet -> field -> articles filled
    crawls: list[dict] = field(default_factory=list)  # last crawl records, newest first
    fallback_pages: dict[str, int] = field(default_factory=dict)  # outlet -> pages counted in its crawls
    fallbacks: dict[str, dict[str, int]] = field(default_factory=dict)  # outlet -> field -> pages

    @property
    def outlets(self) -> list[str]:
        return sorted(self.articles)

    @property
    def total(self) -> int:
        return sum(self.articles.values())

    def days(self) -> list[str]:
        """Every day from the first to the last with an article (or the window), in order."""
        if self.window:
            first, last = self.window
        else:
            seen = sorted({day for counts in self.per_day.values() for day in counts})
            if not seen:
                return []
            first, last = seen[0], seen[-1]
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]

    def agency_shares(self) -> dict[str, dict[str, float]]:
        """outlet -> agency code (and NO_AGENCY) -> share of the outlet's articles, 0..1."""
        shares = {}
        for outlet, total in self.articles.items():
            row = {code: count / total for code, count in self.agencies.get(outlet, {}).items()}
            row[NO_AGENCY] = self.no_agency.get(outlet, 0) / total
            shares[outlet] = row
        return shares

    def coverage_shares(self) -> dict[str, dict[str, float]]:
        """outlet -> SCHEMA field -> share of the outlet's articles with the field non-empty."""
        return {outlet: {name: self.coverage[outlet].get(name, 0) / total for name in FIELDS}
                for outlet, total in self.articles.items()}

    def fallback_shares(self) -> dict[str, dict[str, float]]:
        """outlet -> field -> share of the article pages of its recorded crawls on which the field
        came from a fallback."""
        return {outlet: {name: count / self.fallback_pages[outlet] for name, count in sorted(fields.items())}
                for outlet, fields in self.fallbacks.items() if self.fallback_pages.get(outlet)}

    def drops(self) -> list[tuple[dict, dict[str, int]]]:
        """(crawl record, reason -> pages dropped) of the last crawls, oldest first."""
        return [(crawl, {key[len(DROPPED_PREFIX):]: int(value) for key, value in crawl["stats"].items()
                         if key.startswith(DROPPED_PREFIX) and isinstance(value, (int, float))})
                for crawl in reversed(self.crawls)]


# --- reading the store ----------------------------------------------------------------------

DAY = "substr(a.published_at, 1, 10)"  # the outlet's own date: ISO text with the outlet's offset


def _valid_day(text: str | None) -> bool:
    """Whether the text is a YYYY-MM-DD date (a store may hold a date akhbar did not write)."""
    try:
        return bool(text) and len(text) == 10 and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def collect(store: ArticleStore, days: int | None = None, top_datelines: int = TOP_DATELINES,
            last_crawls: int = LAST_CRAWLS) -> ReportData:
    """The report's figures from the store. `days`: only the articles published in the `days`
    days up to the newest publication day in the store (articles without a date left out)."""
    if days is not None and days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    data = ReportData(store=mask_url(store.url),
                      generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), window=None)
    where, params = "", []
    if days is not None:
        newest = max((day for (day,) in store.query(
            f"SELECT DISTINCT {DAY} FROM articles a WHERE a.published_at IS NOT NULL") if _valid_day(day)),
            default=None)
        if newest:
            first = (date.fromisoformat(newest) - timedelta(days=days - 1)).isoformat()
            data.window = (first, newest)
            where, params = f" WHERE {DAY} BETWEEN ? AND ?", [first, newest]
        else:
            where = " WHERE 1 = 0"  # no dated article: the window is empty

    def rows(statement: str) -> list[tuple]:
        return store.query(statement.replace("{where}", where), params)

    def and_where(condition: str) -> str:
        return f"{where} AND {condition}" if where else f" WHERE {condition}"

    for outlet, count in rows("SELECT a.outlet, COUNT(*) FROM articles a{where} GROUP BY a.outlet"):
        data.articles[outlet or ""] = int(count)
    for outlet, day, count in rows(
            f"SELECT a.outlet, {DAY}, COUNT(*) FROM articles a{and_where('a.published_at IS NOT NULL')}"
            f" GROUP BY a.outlet, {DAY}"):
        if _valid_day(day):
            data.per_day.setdefault(outlet or "", {})[day] = int(count)
    for outlet, count in data.articles.items():  # no date, or one that is not a date
        data.undated[outlet] = count - sum(data.per_day.get(outlet, {}).values())
    for outlet, code, count in rows(
            "SELECT a.outlet, g.code, COUNT(DISTINCT a.id) FROM articles a"
            " JOIN agencies g ON g.article_id = a.id{where} GROUP BY a.outlet, g.code"):
        data.agencies.setdefault(outlet or "", {})[code] = int(count)
    for outlet, count in rows(
            "SELECT a.outlet, COUNT(*) FROM articles a"
            + and_where("NOT EXISTS (SELECT 1 FROM agencies g WHERE g.article_id = a.id)")
            + " GROUP BY a.outlet"):
        data.no_agency[outlet or ""] = int(count)
    totals: dict[str, int] = {}
    for counts in data.agencies.values():
        for code, count in counts.items():
            totals[code] = totals.get(code, 0) + count
    data.agency_bars = sorted(totals, key=lambda code: (-totals[code], code))[:AGENCY_BARS]
    rare = sorted(set(totals) - set(data.agency_bars))
    if rare:
        marks = ", ".join("?" * len(rare))
        for outlet, count in store.query(
                "SELECT a.outlet, COUNT(DISTINCT a.id) FROM articles a JOIN agencies g ON g.article_id = a.id"
                + and_where(f"g.code IN ({marks})") + " GROUP BY a.outlet", [*params, *rare]):
            data.other_agencies[outlet or ""] = int(count)

    by_dateline: dict[str, dict[str, int]] = {}
    for dateline, outlet, count in rows(
            f"SELECT a.dateline, a.outlet, COUNT(*) FROM articles a"
            f"{and_where('a.dateline IS NOT NULL')} GROUP BY a.dateline, a.outlet"):
        if dateline and dateline.strip():
            by_dateline.setdefault(dateline, {})[outlet or ""] = int(count)
    ranked = sorted(by_dateline.items(), key=lambda pair: (-sum(pair[1].values()), pair[0]))
    data.datelines = ranked[:top_datelines]

    filled = ", ".join(f"SUM(CASE WHEN a.{name} IS NOT NULL AND TRIM(a.{name}) <> '' THEN 1 ELSE 0 END)"
                       for name in SCALAR_FIELDS)
    for outlet, *counts in rows(f"SELECT a.outlet, {filled} FROM articles a{{where}} GROUP BY a.outlet"):
        data.coverage[outlet or ""] = {name: int(c or 0) for name, c in zip(SCALAR_FIELDS, counts)}
    for name in LIST_FIELDS:
        table = CHILD_TABLES[name][0]
        for outlet, count in rows(
                f"SELECT a.outlet, COUNT(*) FROM articles a"
                + and_where(f"EXISTS (SELECT 1 FROM {table} c WHERE c.article_id = a.id)")
                + " GROUP BY a.outlet"):
            data.coverage.setdefault(outlet or "", {})[name] = int(count)
    for outlet in data.articles:
        data.coverage.setdefault(outlet, {})

    data.crawls = store.crawls(limit=last_crawls)
    for (spider,) in store.query("SELECT DISTINCT spider FROM crawls"):
        for crawl in store.crawls(limit=last_crawls, spider=spider):
            stats = crawl["stats"]
            data.fallback_pages[spider] = data.fallback_pages.get(spider, 0) + int(stats.get(PAGES_STAT) or 0)
            counts = data.fallbacks.setdefault(spider, {})
            for key, value in stats.items():
                if key.startswith(FALLBACK_PREFIX) and isinstance(value, (int, float)):
                    name = key[len(FALLBACK_PREFIX):]
                    counts[name] = counts.get(name, 0) + int(value)
    return data


# --- drawing ----------------------------------------------------------------------------------

def _figure_html(figure, div_id: str) -> str:
    margin = {"l": 60, "r": 60, "t": 50, "b": 60, **(figure.layout.margin.to_plotly_json() or {})}
    figure.update_layout(height=CHART_HEIGHT, margin=margin,
                         font={"family": "DejaVu Sans, Noto Sans Arabic, Arial, sans-serif"},
                         legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                          config={"displaylogo": False, "responsive": True})


def chart_per_day(data: ReportData):
    import plotly.graph_objects as go

    # A date axis: a day with no article is a gap, and a stray old date costs one bar, not years of them.
    figure = go.Figure([go.Bar(name=outlet, x=sorted(counts), y=[counts[d] for d in sorted(counts)])
                        for outlet, counts in sorted(data.per_day.items()) if counts])
    xaxis = {"title": "day published", "type": "date"}
    days = data.days()
    if len(days) > PER_DAY_VIEW:  # shown first: the last days; zoomed out by a double click
        first = date.fromisoformat(days[-PER_DAY_VIEW])
        xaxis["range"] = [f"{first - timedelta(days=1)} 12:00", f"{days[-1]} 12:00"]
    figure.update_layout(barmode="stack", xaxis=xaxis, yaxis={"title": "articles"})
    return figure


def chart_agencies(data: ReportData):
    import plotly.graph_objects as go

    outlets = data.outlets
    shares = data.agency_shares()
    names = _agency_names()
    traces = []
    for code in data.agency_bars:
        english, arabic = names.get(code, ("", ""))
        traces.append(go.Bar(name=code, y=outlets, x=[100 * shares[o].get(code, 0) for o in outlets],
                             orientation="h", hovertext=f"{english} ({rtl_label(arabic)})" if english else code))
    if data.other_agencies:  # articles attributed to any of the rarer agencies (counted once)
        traces.append(go.Bar(name=OTHER_AGENCIES, orientation="h", y=outlets,
                             x=[100 * data.other_agencies.get(o, 0) / data.articles[o] for o in outlets]))
    traces.append(go.Bar(name=NO_AGENCY, y=outlets, x=[100 * shares[o][NO_AGENCY] for o in outlets],
                         orientation="h", marker={"color": "#9e9e9e"}))
    figure = go.Figure(traces)
    figure.update_layout(barmode="group", xaxis={"title": "% of the outlet's articles", "rangemode": "tozero"},
                         yaxis={"autorange": "reversed"})
    return figure


def chart_datelines(data: ReportData):
    import plotly.graph_objects as go

    labels = [rtl_label(name) for name, _ in data.datelines]
    outlets = sorted({o for _, counts in data.datelines for o in counts})
    figure = go.Figure([go.Bar(name=outlet, orientation="h", y=labels,
                               x=[counts.get(outlet, 0) for _, counts in data.datelines])
                        for outlet in outlets])
    # Read from the right, as Arabic is: labels on the right, bars growing leftwards.
    figure.update_layout(barmode="stack", xaxis={"title": "articles", "autorange": "reversed"},
                         yaxis={"autorange": "reversed", "side": "right"},
                         margin={"l": 40, "r": 140})
    return figure


def chart_coverage(data: ReportData):
    import plotly.graph_objects as go

    shares = data.coverage_shares()
    outlets = data.outlets
    z = [[round(100 * shares[o][name], 1) for name in FIELDS] for o in outlets]
    figure = go.Figure(go.Heatmap(z=z, x=list(FIELDS), y=outlets, zmin=0, zmax=100, colorscale="Blues",
                                  texttemplate="%{z:.0f}%", hovertemplate="%{y} %{x}: %{z}%<extra></extra>",
                                  colorbar={"title": "%"}))
    figure.update_layout(yaxis={"autorange": "reversed"}, xaxis={"tickangle": -40})
    return figure


def chart_fallbacks(data: ReportData):
    import plotly.graph_objects as go

    shares = data.fallback_shares()
    outlets = sorted(shares)
    names = sorted({name for row in shares.values() for name in row})
    figure = go.Figure([go.Bar(name=name, x=outlets, y=[100 * shares[o].get(name, 0) for o in outlets])
                        for name in names])
    figure.update_layout(barmode="group", yaxis={"title": "% of article pages", "rangemode": "tozero"})
    return figure


def crawl_labels(crawls: list[dict]) -> list[str]:
    """Spider and end time, one per crawl (the chart's categories: made unique)."""
    labels: list[str] = []
    for crawl in crawls:
        label = f"{crawl['spider']}<br>{(crawl['finished_at'] or '')[:19].replace('T', ' ')}"
        while label in labels:
            label += "*"
        labels.append(label)
    return labels


def chart_drops(data: ReportData):
    import plotly.graph_objects as go

    drops = data.drops()
    labels = crawl_labels([crawl for crawl, _ in drops])
    reasons = sorted({reason for _, counts in drops for reason in counts})
    figure = go.Figure([go.Bar(name=reason, x=labels, y=[counts.get(reason, 0) for _, counts in drops])
                        for reason in reasons])
    figure.update_layout(barmode="stack", yaxis={"title": "pages dropped"},
                         xaxis={"type": "category"})
    return figure


# --- the page ---------------------------------------------------------------------------------

STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans Arabic", Arial, sans-serif; margin: 1.5em auto;
       max-width: 1200px; color: #222; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
p.note { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _cell(text) -> str:
    """A table cell, right-to-left when the text is Arabic."""
    text = "" if text is None else str(text)
    return f'<td dir="rtl" lang="ar">{_e(text)}</td>' if is_arabic(text) else f"<td>{_e(text)}</td>"


def _table(headers: list[str], body: list[list], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    lines = []
    for row in body:
        cells = [_cell(v) if i < numeric_from else f'<td class="n">{_e(v)}</td>' for i, v in enumerate(row)]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def render_html(data: ReportData) -> str:
    """The page: every chart with its figures, plotly.js embedded once (no request leaves it)."""
    from plotly.offline import get_plotlyjs

    sections = []
    window = (f"articles published {data.window[0]} to {data.window[1]}" if data.window
              else "every stored article")
    undated = sum(data.undated.values())
    summary = (f"{data.total} articles of {len(data.articles)} outlets ({window}; {undated} without a date)"
               f" in <code>{_e(data.store)}</code>, {len(data.crawls)} recorded crawls read. Made {_e(data.generated_at)}.")
    sections.append(f'<p class="note" id="summary">{summary}</p>')

    def section(anchor: str, title: str, note: str, body: str) -> None:
        sections.append(f'<section id="{anchor}"><h2>{_e(title)}</h2><p class="note">{note}</p>{body}</section>')

    if not data.articles:
        section("articles", "Articles", "The store holds no article" + (" in this window." if data.window else "."), "")
    else:
        section("per-day", "Articles per day per outlet",
                "By the day of <code>published_at</code> (the outlet's own date)."
                + (f" The last {PER_DAY_VIEW} days shown: double-click the chart for all {len(data.days())}."
                   if len(data.days()) > PER_DAY_VIEW else ""),
                _figure_html(chart_per_day(data), "chart-per-day") if data.per_day else "<p>No dated article.</p>")

        shares = data.agency_shares()
        names = _agency_names()
        codes = sorted({c for counts in data.agencies.values() for c in counts})
        table = _table(["outlet", "articles", *codes, NO_AGENCY],
                       [[o, data.articles[o], *(_percent(shares[o].get(c, 0)) for c in codes),
                         _percent(shares[o][NO_AGENCY])] for o in data.outlets])
        legend = _table(["code", "agency", "as printed"],
                        [[c, names.get(c, ("", ""))[0], names.get(c, ("", ""))[1]] for c in codes], numeric_from=3)
        section("agencies", "Who the articles come from: agencies per outlet",
                "Share of each outlet's articles attributed to each agency, and with none. An article "
                "attributed to two agencies counts for both.",
                _figure_html(chart_agencies(data), "chart-agencies") + table + (legend if codes else ""))

        if data.datelines:
            body = _figure_html(chart_datelines(data), "chart-datelines") + _table(
                ["dateline", "articles", *data.outlets],
                [[name, sum(c.values()), *(c.get(o, 0) for o in data.outlets)] for name, c in data.datelines])
        else:
            body = "<p>No article has a dateline.</p>"
        section("datelines", "The most frequent datelines",
                f"The {TOP_DATELINES} places articles are most often datelined from, by outlet.", body)

        section("coverage", "Field coverage per outlet",
                "Share of each outlet's stored articles with each field of the item non-empty.",
                _figure_html(chart_coverage(data), "chart-coverage"))

    fallback = data.fallback_shares()
    if any(any(row.values()) for row in fallback.values()):
        body = _figure_html(chart_fallbacks(data), "chart-fallbacks")
    elif fallback:
        body = "<p>No field came through a fallback in the recorded crawls.</p>"
    else:
        body = "<p>No crawl with article pages recorded yet.</p>"
    section("fallbacks", "Fields read through a fallback",
            "Share of the article pages of each outlet's last recorded crawls (up to "
            f"{LAST_CRAWLS}) on which a field came from metadata or the class-independent reading, "
            "not the spider's selectors (<code>akhbar/fallback/&lt;field&gt;</code>). High shares: "
            "the outlet's layout has changed.", body)

    drops = data.drops()
    crawl_rows = [[crawl["spider"], crawl["started_at"] or "", crawl["finished_at"], crawl["finish_reason"] or "",
                   crawl["stats"].get(ARTICLES_STAT, 0), sum(counts.values())] for crawl, counts in reversed(drops)]
    crawl_table = _table(["spider", "started", "finished", "finish reason", "articles", "dropped"],
                         crawl_rows, numeric_from=4)
    if any(counts for _, counts in drops):
        body = _figure_html(chart_drops(data), "chart-drops") + crawl_table
    elif drops:
        body = "<p>No page was dropped in the recorded crawls.</p>" + crawl_table
    else:
        body = "<p>No crawl recorded yet.</p>"
    section("drops", "Drops by reason in the last crawls",
            f"Pages dropped in each of the last {LAST_CRAWLS} recorded crawls, by reason "
            "(<code>akhbar/dropped/&lt;reason&gt;</code>), oldest first.", body)

    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>akhbar: who reports what</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>
<h1>Who reports what <span dir="rtl" lang="ar">(من ينقل ماذا)</span></h1>
{''.join(sections)}
</body>
</html>
"""


def write_report(store: ArticleStore, path: str | Path, days: int | None = None) -> ReportData:
    """Collect the figures and write the page to `path` (its folder created)."""
    data = collect(store, days=days)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(data), encoding="utf-8")
    return data
