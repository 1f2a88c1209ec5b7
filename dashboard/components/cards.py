"""Overview cards: the latest value of an indicator, its mark against the norm, a sparkline, its provenance."""

from __future__ import annotations

from dash import dcc, get_relative_path, html

from dashboard.state import ViewState
from econ import charts
from econ.i18n import colon, fmt_date, fmt_number, fmt_percent, fmt_probability, t
from econ.schema import INDICATORS

STATUS_ICONS = {"green": "●", "amber": "▲", "red": "■", "none": "○"}  # a shape as well as a colour


def value_text(indicator: str, value: float, lang: str) -> str:
    unit = INDICATORS[indicator].unit_label(lang)
    return fmt_percent(value, lang) if unit == "%" else f"{fmt_number(value, lang)}\u00a0{unit}"


def status_of(view: charts.IndicatorView) -> str:
    latest, breach = view.latest(), view.next_breach()
    if view.norm is None or latest is None:
        return "none"
    return charts.norm_status(charts.compliant(latest[1], view.norm), breach[1] if breach else None)


def badge(status: str, lang: str) -> html.P:
    return html.P([html.Span(STATUS_ICONS[status], className="icon", **{"aria-hidden": "true"}),
                   " " + t(f"status_{status}", lang)], className=f"status status-{status}")


def card(view: charts.IndicatorView, sparkline: dict, state: ViewState) -> html.Article:
    """One indicator's card; everything the sparkline shows is also said in text."""
    lang, code = state.lang, view.indicator
    heading = html.H2(INDICATORS[code].label(lang))
    latest = view.latest()
    if latest is None:
        return html.Article([heading, html.P(t("no_data", lang))], className="card")
    body = [heading, html.P([html.Span(value_text(code, latest[1], lang), className="value"),
                             html.Span(f" {latest[0]}", className="period")])]
    if view.norm is not None:
        body += [badge(status_of(view), lang), html.P(charts.norm_label(view.norm, code, lang), className="norm")]
    breach = view.next_breach()
    if breach:
        body.append(html.P(f"{t('p_breach_next', lang, period=breach[0])}{colon(lang)}{fmt_probability(breach[1], lang)}",
                           className="breach"))
    body += [
        html.Div(dcc.Graph(figure=sparkline, config={"staticPlot": True, "displayModeBar": False},
                           style={"height": "70px"}, responsive=True),
                 className="sparkline", **{"aria-hidden": "true"}),
        html.P([f"{t('data_vintage', lang)} {fmt_date(view.vintage, lang)}", html.Br(),
                f"{t('run', lang)}{colon(lang)}{charts.run_text(view, lang)}"], className="meta"),
        dcc.Link([t("open_indicator", lang), html.Span(f" — {INDICATORS[code].label(lang)}", className="sr-only")],
                 href=state.href(get_relative_path("/indicator"), indicator=code), className="more"),
    ]
    return html.Article(body, className="card")
