"""Scenarios: an analyst sets a gold production path and sees the growth projection move.

The projection comes from ``econ.forecast.scenario``: the stored fitted parameters of the latest
run given a new exogenous path; nothing is refitted inside the request. The path lives in the
URL (``&gold=2025:70,2026:80``), so a scenario is shared by sharing its link: the link reopens the
page with the same inputs, chart and downloads.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, dcc, html

from dashboard import ids
from dashboard.components.controls import controls, country_select
from dashboard.components.shell import shell
from dashboard.components.tables import download_links
from dashboard.data import layer
from dashboard.pages.indicator import graph_style
from dashboard.state import ViewState, from_query, gold_text
from econ.charts import describe, scenario_figure
from econ.config import get_settings
from econ.forecast.scenario import ScenarioPathError
from econ.i18n import PLOTLY_CONFIG, fmt_number, t
from econ.terms import indicator_label

KEY, PATH = "scenarios", "/scenarios"


def baseline(country: str) -> tuple[str, dict[str, float]]:
    """The gold series and path the run assumed (empty when the run has no growth-on-gold model)."""
    found = layer().scenario_baseline(country)
    return found if found else ("gold_production", {})


def starting_path(state: ViewState) -> tuple[str, dict[str, float]]:
    """The run's path, with the years the link sets taken from the link (other years in it are ignored)."""
    indicator, path = baseline(state.country)
    chosen = state.gold_path
    return indicator, {year: chosen.get(year, tonnes) for year, tonnes in path.items()}


def path_inputs(state: ViewState) -> list:
    indicator, path = starting_path(state)
    if not path:
        return [html.P(t("Les scénarios ne sont pas encore disponibles pour ce pays (aucune exécution avec la "
                         "production d'or).", state.lang))]
    label = indicator_label(indicator, state.lang)
    fields = [html.Div([html.Label(f"{label}, {p} (t)", htmlFor=ids.dom_id(ids.gold_input(p))),
                        dcc.Input(id=ids.gold_input(p), type="number", value=v, min=0, step="any", debounce=0.4,
                                  className="input", inputMode="decimal")], className="field")
              for p, v in path.items()]
    return [html.Div(fields, className="controls")]


def gold_path(values: list | None, periods: list[str]) -> dict[str, float]:
    return {p: float(v) for p, v in zip(periods, values or []) if v is not None and v >= 0}


def refusal(err: ScenarioPathError, lang: str) -> str:
    """Why the path gives no scenario, in the page's language (the chart then shows the run's projection)."""
    if err.problem == "above":
        factor = get_settings().scenario_gold_max_factor
        return t("Trajectoire refusée : {tonnes} t en {year} dépasse la limite de {limit} t ({factor} fois le record "
                 "de {record} t).", lang, tonnes=fmt_number(err.tonnes, lang), year=err.year,
                 limit=fmt_number(err.limit, lang), factor=fmt_number(factor, lang, decimals=0 if factor == int(factor) else 1),
                 record=fmt_number(err.record, lang))
    if err.problem == "restart":
        return t("Trajectoire refusée : la production repart de 0 t en {year} ; une croissance depuis zéro n'est pas "
                 "définie. Donnez à l'année précédente une production positive.", lang, year=err.year)
    return t("Trajectoire refusée : l'exécution ne projette pas {year}.", lang, year=err.year)


def downloads(country: str, shown: dict[str, float], lang: str):
    """PNG, SVG, PDF, CSV and Excel links for the chart as drawn: the path it shows travels in
    ``gold=`` (none for a refused path: the chart then shows the run's projection, and so do the files)."""
    gold = gold_text(shown)
    return download_links(country, "gdp_growth", lang, None, extra={"gold": gold} if gold else None)


def chart(country: str, values: list | None, periods: list[str], lang: str, compact: bool = False) -> tuple:
    """The figure, its description, the note (why there is no scenario) and the path it shows
    (empty when refused), computed once for the chart and its download links."""
    read = layer()
    view = read.view(country, "gdp_growth")
    path = gold_path(values, periods)
    result, refused = None, None
    if path:
        try:
            result = read.scenario(country, path)
        except ScenarioPathError as err:  # the analyst's path: say why, in the page's language
            refused = refusal(err, lang)
        except (LookupError, ValueError):  # no run with gold for this country
            result = None
    note = "" if result is not None else refused or t(
        "Les scénarios ne sont pas encore disponibles pour ce pays (aucune exécution avec la production d'or).", lang)
    rows = result.itertuples() if result is not None else []
    alt = " ".join([describe(view, lang), *(t("Scénario {year} : {value}.", lang, year=r.period,
                                              value=fmt_number(r.mean, lang)) for r in rows)])
    shown = path if refused is None and result is not None else {}
    return scenario_figure(view, result, lang, compact, shown), alt, note, shown


def layout(**query):
    state = from_query(query)
    _, path = starting_path(state)
    figure, alt, note, shown = chart(state.country, list(path.values()), list(path), state.lang)
    return shell(
        KEY, state,
        controls(country_select(state, layer().countries())),
        html.Div(path_inputs(state), id=ids.SCENARIO_INPUTS),
        dcc.Input(id=ids.GOLD, type="hidden", value=gold_text(gold_path(list(path.values()), list(path)))
                  if state.gold else None),
        html.P(note, className="note", **{"aria-live": "polite"}, id=ids.SCENARIO_NOTE),
        html.Figure([
            dcc.Graph(id=ids.SCENARIO_CHART, figure=figure, config=PLOTLY_CONFIG(state.lang, f"econ_scenario_{state.lang}"),
                      style=graph_style(figure.to_plotly_json()), className="chart"),
            html.Figcaption(html.Details([html.Summary(t("Description du graphique", state.lang)),
                                          html.P(alt, id=ids.SCENARIO_ALT)])),
        ], className="chart-figure"),
        html.Div(downloads(state.country, shown, state.lang), id=ids.SCENARIO_DOWNLOADS),
        intro=t("Fixez une trajectoire de production d'or et voyez la projection de croissance bouger. Le calcul "
                "réutilise les paramètres estimés de la dernière exécution, sans ré-estimation. Le lien de la page "
                "garde la trajectoire : partagez-le pour partager le scénario.", state.lang),
    )


def register(app) -> None:
    @app.callback(Output(ids.SCENARIO_INPUTS, "children"), Input(ids.COUNTRY, "value"), State(ids.PAGE_LANG, "data"),
                  prevent_initial_call=True)
    def update_inputs(country, lang):
        return path_inputs(from_query({"country": country, "lang": lang}))

    @app.callback(
        Output(ids.SCENARIO_CHART, "figure"), Output(ids.SCENARIO_CHART, "style"), Output(ids.SCENARIO_ALT, "children"),
        Output(ids.SCENARIO_NOTE, "children"), Output(ids.SCENARIO_DOWNLOADS, "children"), Output(ids.GOLD, "value"),
        Input(ids.gold_input(ALL), "value"), Input(ids.VIEWPORT, "data"), State(ids.gold_input(ALL), "id"),
        State(ids.COUNTRY, "value"), State(ids.PAGE_LANG, "data"), prevent_initial_call=True,
    )
    def update_scenario(values, narrow, input_ids, country, lang):
        state = from_query({"country": country, "lang": lang})
        numbers = [v if isinstance(v, (int, float)) else None for v in values]  # client input: numbers only
        periods = [str(i["period"]) for i in input_ids]
        figure, alt, note, shown = chart(state.country, numbers, periods, state.lang, compact=bool(narrow))
        return (figure, graph_style(figure.to_plotly_json()), alt, note, downloads(state.country, shown, state.lang),
                gold_text(gold_path(numbers, periods)))
