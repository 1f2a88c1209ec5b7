"""The figure builders: what the chart shows, and that its data twin lists exactly that."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
import storefixture

from econ import charts
from econ.charts import (
    SCORECARD_COLUMNS,
    compliant,
    describe,
    figure_table,
    indicator_figure,
    indicator_view,
    no_projection_text,
    norm_status,
    official_figures,
    scenario_figure,
    scorecard_cells,
    sparkline,
)
from econ.export import view_provenance
from econ.i18n import NBSP, NNBSP
from econ.store.repository import utcnow, write_batch


@pytest.fixture
def inflation(store):
    return indicator_view(store, "MLI", "inflation")


def test_view_reads_history_projection_officials_norm_and_run(inflation):
    v = inflation
    assert list(v.history["period"]) == [str(y) for y in range(2015, 2025)]
    assert v.history["value"].iloc[-1] == pytest.approx(3.2)
    assert list(v.projection.columns) == charts.PROJECTION_COLUMNS
    assert list(v.projection["period"]) == ["2025", "2026", "2027"]
    assert v.projection["p_breach"].between(0, 1).all()
    assert v.norm["code"] == "waemu_inflation" and v.norm["threshold"] == 3.0
    assert v.run["id"] == 1 and v.run["model"] == "combination"
    assert v.vintage is not None and v.sources == ["IMF WEO October 2025"]
    assert set(v.models["model"]) == {"combination", "ar", "ets", "naive"}
    assert v.models.set_index("model").loc["combination", "chosen"]
    assert v.models.set_index("model").loc["ar", "weight"] == 0.6 and v.skill["mase"] == 0.7
    assert v.explain["2025"]["parts"][0]["candidate"] == "ar"


def test_only_each_publishers_latest_publication_is_drawn(inflation):
    """The IMF's October 2025 figure stays in the store; the November one is what readers compare with."""
    official = inflation.official
    assert set(zip(official["publisher"], official["published"])) == {
        ("IMF", "2025-11-24"), ("Government of Mali", "2025-12-08")}
    assert (official["target_period"] > "2024").all()


def test_a_view_as_of_a_past_date_knows_neither_later_data_nor_later_runs(store):
    # Official projections are dated by their publication (October 2025 and later), the rest by their load.
    before = datetime(2025, 9, 30)
    past = indicator_view(store, "MLI", "inflation", as_of=before)
    assert past.history.empty and past.projection.empty and past.run is None and past.official.empty
    loaded = utcnow().date()
    assert past.no_projection == {"reason": "unknown_then", "first": loaded.isoformat(), "dated": False}
    said = describe(past, "en")
    assert f"No figure known at that date: the store received this series on {loaded:%-d %B %Y}" in said
    assert "la base a reçu cette série le" in no_projection_text(past, "fr")


def test_a_projection_is_never_drawn_over_a_year_observed_since_the_run(store):
    """The run projected 2025-2027; once 2025's figure is out the chart starts at 2026, and once every
    projected year is observed the page says the run is outdated instead of drawing it backwards."""
    write_batch(store, storefixture.observations([("MLI", "inflation", "2025", 2.9)]), storefixture.official([]),
                source="INSTAT")
    assert list(indicator_view(store, "MLI", "inflation").projection["period"]) == ["2026", "2027"]
    write_batch(store, storefixture.observations([("MLI", "inflation", "2026", 2.0), ("MLI", "inflation", "2027", 2.1)]),
                storefixture.official([]), source="INSTAT")
    view = indicator_view(store, "MLI", "inflation")
    assert view.projection.empty and view.no_projection == {"reason": "outdated", "run": 1}
    assert "run #1 only projects years already observed" in no_projection_text(view, "en")


def test_figures_loaded_after_the_run_are_named_under_the_chart_until_a_rerun(store):
    """A figure and an official projection of Mali loaded after the run: Mali's chart (and the page,
    the API) say the projection has not read them; Senegal's does not, nor the next run's. Viewed as
    of a moment before the load, only the projection published by then counts (the figure without a
    publication date is known from its load)."""
    assert indicator_view(store, "MLI", "inflation").newer_data is None
    before = utcnow()
    write_batch(store, storefixture.observations([("MLI", "inflation", "2025", 2.9)]),
                storefixture.official([("IMF", "2026-04-14", "MLI", "inflation", "2026", 2.2)]), source="INSTAT")
    view = indicator_view(store, "MLI", "inflation")
    assert view.newer_data["figures"] == 2 and view.newer_data["last"] > before
    loaded = f"{view.newer_data['last']:%-d %B %Y}"
    assert charts.source_lines(view, "en")[-1] == f"2 figures loaded up to {loaded}, after this run, are not read by it"
    assert charts.source_lines(view, "fr")[-1].startswith("2 chiffres chargés jusqu'au")
    assert "Relancez la prévision" in charts.newer_notice(view, "fr")
    assert any(v.endswith("after this run, are not read by it") for v in view_provenance(view, "en").values())
    assert indicator_view(store, "SEN", "inflation").newer_data is None
    assert indicator_view(store, "MLI", "inflation", as_of=before).newer_data["figures"] == 1
    storefixture.add_run(store)
    view = indicator_view(store, "MLI", "inflation")
    assert view.run["id"] == 2 and view.newer_data is None and len(charts.source_lines(view, "en")) == 2


def test_a_run_asked_for_a_past_date_is_not_stale_for_figures_published_after_it(store):
    """``econ forecast --as-of 2024-06-30`` reads the store as known then: a figure published in 2025
    and loaded afterwards is not one it missed; one published before that date is."""
    from econ.store.runs import RunRecord, save_run

    save_run(store, RunRecord(settings={"as_of": "2024-06-30"}, seed=1, code_version="test", data_vintage=None,
                              as_of=datetime(2024, 6, 30), forecasts=[storefixture.synthetic_forecast(
                                  indicator_view(store, "MLI", "inflation").history, "MLI", "inflation")]))
    late = storefixture.observations([("MLI", "gdp_growth", "2025", 4.0)]).assign(published="2026-02-01")
    write_batch(store, late, storefixture.official([]), source="INSTAT")
    view = indicator_view(store, "MLI", "inflation")
    assert view.run["id"] == 2 and view.newer_data is None
    early = storefixture.observations([("MLI", "gdp_growth", "2014", 7.0)]).assign(published="2015-03-01")
    write_batch(store, early, storefixture.official([]), source="INSTAT")
    assert indicator_view(store, "MLI", "inflation").newer_data["figures"] == 1


def test_the_vintage_picker_sees_the_data_before_a_revision(store):
    first = utcnow()
    write_batch(store, storefixture.observations([("MLI", "inflation", "2024", 4.0)]),
                storefixture.official([]), source="revision")
    assert indicator_view(store, "MLI", "inflation").history["value"].iloc[-1] == 4.0
    assert indicator_view(store, "MLI", "inflation", as_of=first).history["value"].iloc[-1] == pytest.approx(3.2)


def test_french_figure_has_title_units_norm_fan_officials_and_provenance(inflation):
    fig = indicator_figure(inflation, "fr")
    layout = fig.layout
    assert layout.separators == f",{NNBSP}"
    assert "Inflation (moyenne annuelle) — Mali" in layout.title.text
    assert layout.title.subtitle.text == f"En{NBSP}%"
    names = [trace.name for trace in fig.data]
    assert names[:2] == [f"Intervalle à 95{NBSP}%", f"Intervalle à 80{NBSP}%"]
    assert {"Observé", "Projection", "FMI (24 novembre 2025)", "Gouvernement du Mali (8 décembre 2025)"} <= set(names)
    norm = [s for s in layout.shapes if s.y0 == 3.0 and s.y1 == 3.0]
    assert norm and norm[0].line.dash == "dash"
    provenance = " ".join(a.text for a in layout.annotations)
    assert f"Source{NBSP}: FMI, Perspectives de l'économie mondiale, octobre 2025" in provenance  # in French
    assert "Données au" in provenance and "exécution n°1 du" in provenance
    assert "modèle" not in provenance  # econ's own projection: "model: econ projection" would add nothing
    assert layout.xaxis.tickformat == "d" and float(layout.xaxis.dtick).is_integer()
    assert layout.meta["title"] == "Inflation (moyenne annuelle) — Mali" and layout.meta["lang"] == "fr"


def test_the_norms_label_is_in_the_legend_not_on_the_data(inflation):
    fig = indicator_figure(inflation, "fr")
    entry = next(trace for trace in fig.data if trace.name == f"Norme UEMOA 3{NBSP}% (plafond)")
    assert entry.line.dash == "dash" and list(entry.y) == [None]  # a legend entry, nothing drawn
    assert not [a for a in fig.layout.annotations if a.yref == "y"]  # no label sits in the plot area


def test_official_markers_sit_on_their_year(inflation):
    fig = indicator_figure(inflation, "en")
    imf = next(trace for trace in fig.data if trace.name == "IMF (24 November 2025)")
    government = next(trace for trace in fig.data if trace.name.startswith("Government of Mali"))
    assert list(imf.x) == [2025, 2026] and list(government.x) == [2026]
    assert imf.marker.size > government.marker.size  # equal values stay visible, one inside the other
    assert imf.marker.symbol != government.marker.symbol


def test_a_fourth_publishers_marker_is_still_a_marker_not_a_dot():
    from types import SimpleNamespace

    from econ.charts.indicator import official_traces

    official = pd.DataFrame({"publisher": ["IMF", "World Bank", "Government of Mali", "BCEAO"],
                             "published": ["2025-10-14", "2025-06", "2025-12-08", "2025-09"],
                             "target_period": ["2026"] * 4, "value": [5.4, 5.0, 6.3, 5.1]})
    traces = official_traces(SimpleNamespace(official=official, frequency="A"), "en")
    sizes = {trace["marker"]["symbol"]: trace["marker"]["size"] for trace in traces}
    assert min(sizes.values()) >= 10 and sizes["triangle-up"] >= 14  # a triangle fills half its box
    assert sizes["diamond"] > sizes["square"]  # equal values stay visible, one inside the other
    assert len({trace["marker"]["symbol"] for trace in traces}) == 4


def test_english_figure(inflation):
    fig = indicator_figure(inflation, "en")
    assert fig.layout.separators == ".,"
    assert "Inflation (annual average) — Mali" in fig.layout.title.text
    assert "WAEMU norm 3% (ceiling)" in [trace.name for trace in fig.data]
    assert "IMF (24 November 2025)" in [trace.name for trace in fig.data]
    assert "Source: IMF, World Economic Outlook, October 2025" in [a.text for a in fig.layout.annotations]


def test_portuguese_figure(inflation):
    fig = indicator_figure(inflation, "pt")
    assert fig.layout.separators == f",{NBSP}"
    assert "Inflação (média anual) — Mali" in fig.layout.title.text
    names = {trace.name for trace in fig.data}
    assert {"Observado", "Projeção", "Intervalo de 80%", "Norma da UEMOA 3% (teto)", "FMI (24 de novembro de 2025)",
            "Governo do Mali (8 de dezembro de 2025)"} <= names
    provenance = " ".join(a.text for a in fig.layout.annotations)
    assert "Fonte: FMI, Perspetivas da Economia Mundial, outubro de 2025" in provenance
    assert "execução n.º 1 de" in provenance and "modelo" not in provenance


def test_missing_years_break_the_line(store):
    """Mali's gold has no 2018 figure here: the line stops at 2017 and starts again in 2019."""
    write_batch(store, storefixture.observations([("MLI", "gold_production_industrial", str(y), v, "Mines")
                                                  for y, v in ((2015, 40.0), (2016, 42.0), (2017, 41.0), (2019, 50.0))]),
                storefixture.official([]), source="gaps")
    view = indicator_view(store, "MLI", "gold_production_industrial")
    assert view.missing_periods() == ["2018"]
    fig = indicator_figure(view, "fr")
    history = next(trace for trace in fig.data if trace.name == "Observé")
    assert list(history.x) == [2015, 2016, 2017, 2018, 2019] and list(history.y) == [40.0, 42.0, 41.0, None, 50.0]
    assert history.connectgaps is False
    drawn = [y for y in history.y if y is not None]
    table = figure_table(view, "fr")
    assert list(table.loc[table["Nature"] == "observé", "Valeur"]) == drawn  # the twin lists what is drawn
    assert "Années sans donnée" in describe(view, "fr") and "2018" in describe(view, "fr")


def test_fan_bands_nest_and_join_the_last_observation(inflation):
    fig = indicator_figure(inflation)
    band95, band80 = fig.data[0], fig.data[1]
    assert band95.fill == "toself" and band80.fill == "toself"
    assert band95.x[0] == 2024  # the fan opens at the last observed year
    assert max(band95.y) >= max(band80.y) and min(band95.y) <= min(band80.y)


def test_growth_has_no_norm_line_and_no_run_means_no_fan(bare_store):
    view = indicator_view(bare_store, "MLI", "gdp_growth")
    fig = indicator_figure(view, "fr")
    assert view.norm is None and not fig.layout.shapes
    assert view.projection.empty and "Projection" not in [trace.name for trace in fig.data]
    assert "aucune projection enregistrée" in " ".join(a.text for a in fig.layout.annotations)
    assert view.no_projection == {"reason": "no_run", "run": None}
    assert no_projection_text(view, "en") == "No projection: no forecast has been run yet."


def test_a_series_the_run_skipped_says_why(store):
    """The run's settings keep the engine's reason; the page says it in the reader's words, gaps named."""
    from sqlalchemy import insert, select, update

    from econ.store.tables import ForecastRun

    write_batch(store, storefixture.observations([("SEN", "gold_production", str(y), 5.0) for y in (2015, 2016, 2019)]),
                storefixture.official([]), source="gaps")
    with store.begin() as conn:
        conn.execute(update(ForecastRun).values(settings={"skipped": {"SEN/gold_production": "too few years"}}))
    view = indicator_view(store, "SEN", "gold_production")
    assert view.no_projection["reason"] == "skipped"
    text = no_projection_text(view, "fr")
    assert "années manquantes (2017, 2018)" in text and "exécution n°1" in text
    with store.begin() as conn:  # a later run of one series says nothing of this one
        run = conn.execute(select(ForecastRun.created_at, ForecastRun.as_of)).first()
        conn.execute(insert(ForecastRun).values(created_at=run.created_at, as_of=run.as_of, code_version="x", seed=1,
                                                status="done", settings={"countries": ["MLI"], "indicators": ["inflation"]}))
    assert "exécution n°1" in no_projection_text(indicator_view(store, "SEN", "gold_production"), "fr")
    write_batch(store, storefixture.observations([("SEN", "public_debt", str(y), 40.0) for y in range(2015, 2025)]),
                storefixture.official([]), source="debt")
    assert "did not cover this series" in no_projection_text(indicator_view(store, "SEN", "public_debt"), "en")


def test_data_twin_lists_exactly_what_is_drawn(inflation):
    fig = indicator_figure(inflation, "fr")
    table = figure_table(inflation, "fr")
    kinds = table["Nature"].value_counts()
    assert kinds["observé"] == 10 and kinds["projection"] == 3 and kinds["projection officielle"] == 3
    history = table[table["Nature"] == "observé"]
    drawn = next(trace for trace in fig.data if trace.name == "Observé")
    assert list(history["Valeur"]) == list(drawn.y)
    projection = table[table["Nature"] == "projection"]
    mean = next(trace for trace in fig.data if trace.name == "Projection")
    assert list(projection["Valeur"]) == list(mean.y[1:])  # the first point is the last observation
    official = table[table["Nature"] == "projection officielle"]
    drawn_official = [y for trace in fig.data if trace.mode == "markers" for y in trace.y]
    assert sorted(official["Valeur"]) == sorted(drawn_official)
    assert table["Valeur"].dtype == "float64"
    assert {"Pays", "Indicateur", "Unité", "Période", f"Borne basse 80{NBSP}%", "Source"} <= set(table)
    probability = table["Probabilité de dépassement (%)"]
    assert probability.dropna().between(0, 100).all() and probability.dropna().max() > 1  # percent, as shown
    assert table["Source"].notna().all()


def test_data_twin_headers_in_english_and_portuguese(inflation):
    table = figure_table(inflation, "en")
    assert {"Country", "Period", "Value", "Lower 80%", "Probability of breach (%)", "Source"} <= set(table)
    assert set(table["Kind"]) == {"observed", "projection", "official projection"}
    portuguese = figure_table(inflation, "pt")
    assert {"País", "Período", "Valor", "Limite inferior 80%", "Fonte"} <= set(portuguese)
    assert set(portuguese["Natureza"]) == {"observado", "projeção", "projeção oficial"}
    assert set(portuguese["País"]) == {"Mali"} and set(portuguese["Indicador"]) == {"Inflação (média anual)"}


def test_compact_layout_for_phones(inflation):
    wide, compact = indicator_figure(inflation), indicator_figure(inflation, compact=True)
    assert compact.layout.legend.orientation == "v" and wide.layout.legend.orientation == "h"
    assert "<br>" in compact.layout.title.text
    assert compact.layout.margin.t > wide.layout.margin.t
    assert compact.layout.xaxis.range[0] > wide.layout.xaxis.range[0]  # fewer years on a phone


def test_margins_make_room_for_every_source_line(inflation):
    fig = indicator_figure(inflation)
    sources = [a for a in fig.layout.annotations if a.yref == "paper" and a.y == 0]
    lowest = min(a.yshift for a in sources)
    assert fig.layout.margin.b >= -lowest + 12


def test_description_says_the_numbers(inflation):
    text = describe(inflation, "fr")
    assert text.startswith("Inflation (moyenne annuelle) — Mali.")
    assert f"Dernière valeur (2024){NBSP}: 3,2{NBSP}%" in text
    assert "Risque de dépassement en 2025" in text and "FMI (24 novembre 2025)" in text
    assert "Latest value (2024): 3.2%" in describe(inflation, "en")


def test_sparkline_is_bare(inflation):
    fig = sparkline(inflation)
    assert fig.layout.xaxis.visible is False and fig.layout.showlegend is False
    assert len(fig.data[0].y) <= 12


def test_scenario_figure_draws_the_path_beside_the_baseline(store):
    view = indicator_view(store, "MLI", "gdp_growth")
    path = pd.DataFrame({"period": ["2025", "2026"], "mean": [5.0, 6.0]})
    names = [trace.name for trace in scenario_figure(view, path, "fr").data]
    assert "Scénario" in names and "Projection de référence" in names
    named = [trace.name for trace in scenario_figure(view, path, "en", gold_path={"2026": 80.0, "2025": 72.5}).data]
    assert "Scenario (gold output: 2025\u00a072.5\u00a0t, 2026\u00a080\u00a0t)" in named  # an exported chart says which


@pytest.mark.parametrize(("is_compliant", "p", "expected"), [
    (True, None, "green"), (False, None, "red"), (True, 0.05, "green"), (True, 0.3, "amber"),
    (True, 0.6, "red"), (False, 0.1, "amber"), (None, None, "none"), (None, 0.7, "red"),
])
def test_norm_status(is_compliant, p, expected):
    assert norm_status(is_compliant, p) == expected


def test_compliance_follows_the_norms_direction():
    ceiling = {"comparison": "<=", "threshold": 3.0}
    floor = {"comparison": ">=", "threshold": -3.0}
    assert compliant(3.0, ceiling) and not compliant(3.1, ceiling)
    assert compliant(-2.0, floor) and not compliant(-3.5, floor)
    assert compliant(None, ceiling) is None and compliant(1.0, None) is None


def scorecard_fixture() -> pd.DataFrame:
    base = {"norm_code": "waemu_inflation", "indicator": "inflation", "comparison": "<=", "threshold": 3.0,
            "label_fr": "Norme UEMOA : inflation", "label_en": "WAEMU norm: inflation"}
    rows = [
        {**base, "country": "MLI", "period": "2024", "kind": "actual", "value": 3.2, "lower_80": None, "upper_80": None,
         "p_breach": None, "compliant": False},
        {**base, "country": "MLI", "period": "2025", "kind": "projection", "value": 2.5, "lower_80": 1.0,
         "upper_80": 4.0, "p_breach": 0.3, "compliant": True},
        {**base, "country": "SEN", "period": "2024", "kind": "actual", "value": 0.8, "lower_80": None,
         "upper_80": None, "p_breach": None, "compliant": True},
    ]
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


def test_scorecard_cells_mark_each_value():
    cells = scorecard_cells(scorecard_fixture(), "fr")
    assert list(cells["status"]) == ["red", "amber", "green"]
    assert cells["text"].iloc[1] == f"2,5{NBSP}% (p{NBSP}={NBSP}30{NBSP}%)"
    assert cells["band"].iloc[1] == f"1,0{NBSP}% – 4,0{NBSP}%" and cells["band"].iloc[0] == ""
    assert list(cells["country_name"]) == ["Mali", "Mali", "Sénégal"]
    assert list(scorecard_cells(scorecard_fixture(), "pt")["country_name"]) == ["Mali", "Mali", "Senegal"]
    assert scorecard_cells(pd.DataFrame(columns=SCORECARD_COLUMNS)).empty


def test_a_monthly_series_is_drawn_on_a_date_axis(bare_store):
    rows = [("MLI", "cpi", f"2024-{m:02d}", 100 + m, "INSTAT") for m in range(1, 13)]
    write_batch(bare_store, storefixture.observations(rows), storefixture.official([]), source="test")
    view = indicator_view(bare_store, "MLI", "cpi")
    fig = indicator_figure(view, "fr")
    assert fig.data[0].x[0] == "2024-01-01" and "dtick" not in fig.layout.xaxis.to_plotly_json()
    assert "Indice des prix à la consommation — Mali" in fig.layout.title.text
    assert len(figure_table(view, "en")) == 12


def test_official_figures_for_the_convergence_table():
    official = storefixture.official([
        ("IMF", "2025-10", "MLI", "inflation", "2026", 2.0), ("IMF", "2025-11-24", "MLI", "inflation", "2026", 2.5),
        ("Government of Mali", "2025-12-08", "MLI", "inflation", "2026", 2.0),
        ("World Bank", "2025", "MLI", "inflation", "2026", 2.2),  # on the Data page, not in the table
    ])
    figures = official_figures(official, "fr")
    assert figures[("MLI", "inflation", "2026")] == [f"FMI 2,5{NBSP}%", f"Gouvernement du Mali 2,0{NBSP}%"]


def test_the_value_axis_fits_the_years_on_show_not_a_hidden_outlier(store):
    """A 1994-style 40 % spike, long before the years the chart opens on, must not squash them."""
    years = [(y, 2.0 + (y % 3)) for y in range(1990, 2025)]
    years[4] = (1994, 40.0)
    write_batch(store, storefixture.observations([("NER", "inflation", str(y), v, "INS") for y, v in years]),
                storefixture.official([]), source="spike")
    fig = indicator_figure(indicator_view(store, "NER", "inflation"), "en")
    low_year, _ = fig.layout.xaxis.range
    low, high = fig.layout.yaxis.range
    assert low_year > 1994 and high < 10  # the spike is a pan away, not on the axis
    shown = [v for y, v in years if y >= low_year] + [3.0]  # the norm's line is on show too
    assert low <= min(shown) and high >= max(shown)


def test_a_list_of_sources_is_punctuated_as_each_language_writes_it():
    from econ.charts.labels import sources_line

    assert "INSTAT\u202f; " in sources_line(["INSTAT", "IMF"], "fr")  # French: a narrow space before ";"
    assert "INSTAT; " in sources_line(["INSTAT", "IMF"], "en") and "INSTAT; " in sources_line(["INSTAT", "IMF"], "pt")
