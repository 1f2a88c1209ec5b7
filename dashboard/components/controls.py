"""The labelled controls whose values live in the URL (country, indicator, vintage, compared members).

Each control sits in a ``<label>``-captioned group so that a screen reader announces what it
sets; options are named in the page's language.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.state import ViewState
from econ.i18n import fmt_date, t
from econ.schema import INDICATORS
from econ.terms import country_name, indicator_label


def _field(label: str, control, key: str) -> html.Div:
    """A caption and its control; Dash's dropdown is a button, not a form field, so the caption names
    the group around it (``aria-labelledby``) instead of pointing a ``<label for>`` at it."""
    return html.Div([html.Span(label, id=f"label-{key}", className="field-label"), control], className="field")


def _dropdown(key: str, options: list[dict], value, label: str, **extra) -> html.Div:
    control = dcc.Dropdown(options=options, value=value, id=ids.param(key), clearable=False, searchable=True,
                           className="dropdown", **extra)
    return _field(label, html.Div(control, id=f"control-{key}", role="group", **{"aria-labelledby": f"label-{key}"}),
                  key)


def country_select(state: ViewState, countries: list[str]) -> html.Div:
    options = [{"label": country_name(c, state.lang), "value": c} for c in countries]
    return _dropdown("country", options, state.country, t("Pays", state.lang))


def indicator_select(state: ViewState, indicators: list[str] | None = None) -> html.Div:
    codes = indicators or list(INDICATORS)
    if state.indicator not in codes:
        codes = [*codes, state.indicator]
    options = [{"label": indicator_label(c, state.lang), "value": c} for c in codes]
    return _dropdown("indicator", options, state.indicator, t("Indicateur", state.lang))


def vintage_select(state: ViewState, vintages: list[str]) -> html.Div:
    """Release days, load days and projection dates; choosing one shows the chart as it was known then."""
    days = list(vintages)
    if state.vintage and state.vintage not in days:
        days = sorted([*days, state.vintage], reverse=True)
    options = [{"label": t("Dernières données", state.lang), "value": ""}]
    options += [{"label": fmt_date(d, state.lang), "value": d} for d in days]
    return _dropdown("vintage", options, state.vintage or "", t("Données connues au", state.lang))


def countries_check(state: ViewState, countries: list[str]) -> html.Fieldset:
    """The members to compare: one checkbox each (a fieldset, so its legend names the group)."""
    options = [{"label": country_name(c, state.lang), "value": c} for c in countries]
    return html.Fieldset([
        html.Legend(t("Pays comparés", state.lang), className="field-label"),
        dcc.Checklist(options=options, value=[c for c in state.compared if c in countries], id=ids.COUNTRIES,
                      inline=True, className="checklist", inputClassName="check", labelClassName="check-label"),
    ], className="field wide")


def controls(*fields) -> html.Div:
    return html.Div(list(fields), className="controls")
