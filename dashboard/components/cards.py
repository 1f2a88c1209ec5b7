"""Overview cards: for one indicator, where it stands, where econ and the official forecasters see it
heading, and what that means for its norm, in sentences; a labelled sparkline for the shape.

Every mark says why it is there (``status_reason``) and a missing projection says why it is
missing (``econ.charts.no_projection_text``).
"""

from __future__ import annotations

from dash import dcc, get_relative_path, html

from dashboard.state import ViewState
from econ import charts
from econ.charts.labels import newer_text
from econ.i18n import N_, capitalized, colon, fmt_date, fmt_percent, fmt_period, fmt_probability, t
from econ.terms import fmt_value, indicator_label, is_national, publisher_name, unit_label

STATUS_ICONS = {"green": "●", "amber": "▲", "red": "■", "none": "○"}  # a shape as well as a colour
STATUS_TEXTS = {"green": N_("Respecte la norme"), "amber": N_("Sous surveillance"), "red": N_("Dépasse la norme"),
                "none": N_("Pas de norme")}
LIKELY_BREACH = N_("Dépassement probable")  # red for a value within the norm: the breach is ahead, not now
RISK = {True: N_("risque de {p} de dépasser {threshold} en {year}"),
        False: N_("risque de {p} de passer sous {threshold} en {year}")}


def status_text(status: str, lang: str) -> str:
    return t(STATUS_TEXTS[status], lang)


def value_text(indicator: str, value: float, lang: str) -> str:
    return fmt_value(indicator, value, lang)


def status_of(view: charts.IndicatorView) -> str:
    latest, breach = view.latest(), view.next_breach()
    if view.norm is None or latest is None:
        return "none"
    return charts.norm_status(charts.compliant(latest[1], view.norm), breach[1] if breach else None)


def threshold_text(view: charts.IndicatorView, lang: str) -> str:
    value = float(view.norm["threshold"])
    decimals = 0 if value.is_integer() else 1
    return fmt_percent(value, lang, decimals) if unit_label(view.indicator, lang).startswith("%") else \
        fmt_value(view.indicator, value, lang, decimals)


def risk_text(view: charts.IndicatorView, lang: str) -> str | None:
    breach = view.next_breach()
    if breach is None:
        return None
    ceiling = view.norm["comparison"] in ("<=", "<")
    return t(RISK[ceiling], lang, p=fmt_probability(breach[1], lang), threshold=threshold_text(view, lang),
             year=fmt_period(breach[0], lang))


def status_reason(view: charts.IndicatorView, lang: str) -> str:
    """Why the mark: the latest value against the norm, and the risk the projection gives."""
    latest, breach = view.latest(), view.next_breach()
    value = t("{value} en {year}", lang, value=value_text(view.indicator, latest[1], lang),
              year=fmt_period(latest[0], lang))
    within = charts.compliant(latest[1], view.norm)
    if not within and breach is not None and breach[1] < charts.RED_FROM:
        return t("{value}, hors de la norme ; retour probable dans la norme en {year} ({risk})", lang,
                 value=value, year=fmt_period(breach[0], lang), risk=risk_text(view, lang))
    if not within and breach is not None:
        return t("{value}, hors de la norme ({threshold}) ; {risk}", lang, value=value,
                 threshold=threshold_text(view, lang), risk=risk_text(view, lang))
    if not within:
        return t("{value}, hors de la norme ({threshold})", lang, value=value, threshold=threshold_text(view, lang))
    if breach is not None:
        return t("{value}, dans la norme ; {risk}", lang, value=value, risk=risk_text(view, lang))
    return t("{value}, dans la norme ({threshold})", lang, value=value, threshold=threshold_text(view, lang))


def badge_text(view: charts.IndicatorView, status: str, lang: str) -> str:
    """The mark's words, true of the latest value: a value within the norm is red when the projection makes
    a breach next year more likely than not, and its label says the breach is probable, not that it has happened."""
    latest = view.latest()
    if status == "red" and latest is not None and charts.compliant(latest[1], view.norm):
        return t(LIKELY_BREACH, lang)
    return status_text(status, lang)


def badge(view: charts.IndicatorView, lang: str) -> html.P:
    status = status_of(view)
    return html.P([html.Span(STATUS_ICONS[status], className="icon", **{"aria-hidden": "true"}),
                   html.Strong(f" {badge_text(view, status, lang)}{colon(lang)}"), status_reason(view, lang)],
                  className=f"status status-{status}")


def projected(view: charts.IndicatorView, count: int = 2):
    """This year's and next year's projection (the run's first two projected periods)."""
    return view.projection.head(count).itertuples()


def official_lines(view: charts.IndicatorView, periods: list[str], lang: str) -> list[tuple[str, str]]:
    """Each official forecaster's latest figures for ``periods`` (the IMF first, then national authorities)."""
    order = sorted(dict.fromkeys(view.official["publisher"]), key=lambda p: (p != "IMF", not is_national(p)))
    lines = []
    for pub in order:
        rows = view.official[view.official["publisher"] == pub]
        rows = rows[rows["target_period"].astype(str).isin(periods)] if periods else rows.head(2)
        if len(rows):
            head = f"{publisher_name(pub, lang)} ({fmt_date(rows['published'].iloc[0], lang)})"
            lines.append((head, " · ".join(f"{fmt_period(r.target_period, lang)}{colon(lang)}"
                                           f"{value_text(view.indicator, r.value, lang)}" for r in rows.itertuples())))
    return lines


def figures(view: charts.IndicatorView, lang: str) -> html.Dl | html.P:
    """econ's projection for this year and next with its 80 % band, and the official figures beside it."""
    if view.projection.empty:
        return html.P(charts.no_projection_text(view, lang), className="note")
    items, periods = [], []
    for row in projected(view):
        periods.append(str(row.period))
        band = t("intervalle à 80 % : {low} – {high}", lang, low=value_text(view.indicator, row.lower_80, lang),
                 high=value_text(view.indicator, row.upper_80, lang))
        items += [html.Dt(t("econ, projection {year}", lang, year=fmt_period(row.period, lang))),
                  html.Dd([html.Strong(value_text(view.indicator, row.mean, lang)), f" ({band})"])]
    for head, text in official_lines(view, periods, lang):
        items += [html.Dt(head), html.Dd(text)]
    return html.Dl(items, className="figures")


def norm_sentence(view: charts.IndicatorView, lang: str) -> str | None:
    """``Inflation 2026 : 2,1 % (FMI 2,5 %) ; risque de dépasser 3 % : 39 %``."""
    breach = view.next_breach()
    if breach is None:
        return None
    period = breach[0]
    row = view.projection[view.projection["period"] == period].iloc[0]
    imf = view.official[(view.official["publisher"] == "IMF") & (view.official["target_period"].astype(str) == period)]
    head = f"{indicator_label(view.indicator, lang)} {fmt_period(period, lang)}{colon(lang)}" \
           f"{value_text(view.indicator, row['mean'], lang)}"
    if len(imf):
        head += f" ({publisher_name('IMF', lang)} {value_text(view.indicator, imf['value'].iloc[0], lang)})"
    ceiling = view.norm["comparison"] in ("<=", "<")
    risk = t("risque de dépasser {threshold}", lang, threshold=threshold_text(view, lang)) if ceiling else \
        t("risque de passer sous {threshold}", lang, threshold=threshold_text(view, lang))
    return t("{head} ; {risk} : {p}", lang, head=head, risk=risk, p=fmt_probability(breach[1], lang))


def newer(view: charts.IndicatorView, lang: str) -> list:
    """The figures loaded since the card's projection was made (``econ.charts.labels.newer_text``)."""
    text = newer_text(view, lang)
    return [html.Br(), html.Span(capitalized(text), className="stale")] if text else []


def card(view: charts.IndicatorView, sparkline: dict, state: ViewState) -> html.Article:
    """One indicator's card; everything the sparkline shows is also said in text."""
    lang, code = state.lang, view.indicator
    heading = html.H2(indicator_label(code, lang))
    latest = view.latest()
    if latest is None:
        empty = charts.no_projection_text(view, lang) if view.known_later else t("Aucune donnée pour cette sélection.", lang)
        return html.Article([heading, html.P(empty)], className="card")
    body = [heading, html.P([html.Span(value_text(code, latest[1], lang), className="value"),
                             html.Span(f" {fmt_period(latest[0], lang)}", className="period")])]
    if view.norm is not None:
        body.append(badge(view, lang))
    body.append(figures(view, lang))
    sentence = norm_sentence(view, lang)
    if sentence:
        body.append(html.P(sentence, className="breach"))
    body += [
        html.Div(dcc.Graph(figure=sparkline, config={"staticPlot": True, "displayModeBar": False},
                           style={"height": "86px"}, responsive=True),
                 className="sparkline", **{"aria-hidden": "true"}),
        html.P([t("Données au {date}", lang, date=fmt_date(view.vintage, lang)), html.Br(),
                t("Projection : {run}", lang, run=charts.run_text(view, lang)), *newer(view, lang)], className="meta"),
        dcc.Link([t("Voir le graphique détaillé", lang), html.Span(f" — {indicator_label(code, lang)}",
                                                                     className="sr-only")],
                 href=state.href(get_relative_path("/indicator"), indicator=code), className="more"),
    ]
    return html.Article(body, className="card")
