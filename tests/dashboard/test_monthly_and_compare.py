"""The monthly inflation chart (from a CPI, with the run's monthly points) and the Compare chart."""

from __future__ import annotations

import pandas as pd
import pytest
import storefixture

from econ import charts
from econ.export import series_table
from econ.i18n import NBSP
from econ.store.repository import write_batch


@pytest.fixture
def cpi_store(bare_store):
    """Mali with a monthly CPI (April 2020 missing) and a run whose inflation forecast has monthly points."""
    storefixture.add_cpi(bare_store)
    storefixture.add_run(bare_store)
    return bare_store


def names(figure: dict) -> list[str]:
    return [trace["name"] for trace in figure["data"]]


def test_the_monthly_view_reads_rates_projection_and_norm(cpi_store):
    view = charts.series_view(cpi_store, "MLI", "cpi")
    assert isinstance(view, charts.MonthlyView)
    assert view.latest()[0] == "2024-12"
    assert len(view.projection) == 15 and view.projection["period"].iloc[0] == "2025-01"
    assert view.norm["threshold"] == 3.0 and view.run["id"] == 1 and view.sources == ["INSTAT, IHPC"]
    line = charts.run_text(view, "fr")
    assert line.startswith("exécution n°1 du ") and "modèle" not in line  # not "modèle Modèle mensuel"


def test_the_monthly_chart_draws_both_rates_the_norm_and_the_projection(cpi_store):
    view = charts.series_view(cpi_store, "MLI", "cpi")
    figure = charts.figure_of(view, "fr")
    assert {"Glissement annuel", "Moyenne sur 12 mois", "Projection", f"Intervalle à 80{NBSP}%",
            f"Norme UEMOA 3{NBSP}% (plafond)"} <= set(names(figure))
    assert "Inflation mensuelle — Mali" in figure["layout"]["title"]["text"]
    yoy = next(t for t in figure["data"] if t["name"] == "Glissement annuel")
    x = list(yoy["x"])
    assert yoy["y"][x.index("2020-04-01")] is None  # the missing month is a gap in the line
    assert yoy["y"][x.index("2021-04-01")] is None  # and so is the rate a year later
    central = next(t for t in figure["data"] if t["name"] == "Projection")
    assert central["x"][0] == "2024-12-01" and central["x"][-1] == "2026-03-01"  # joins the last observed month
    stops = {tuple(stop["dtickrange"]): stop["value"] for stop in figure["layout"]["xaxis"]["tickformatstops"]}
    assert stops[(None, "M1")] == "%d %b %Y" and stops[("M1", "M12")] == "%b %Y"  # zoomed in, every tick says its year


def test_without_monthly_points_nothing_projected_is_drawn(bare_store):
    storefixture.add_cpi(bare_store)
    storefixture.add_run(bare_store, monthly=False)
    view = charts.series_view(bare_store, "MLI", "cpi")
    figure = charts.figure_of(view, "en")
    assert view.projection.empty and view.run is None
    assert not {"Projection", "80% interval", "95% interval"} & set(names(figure))
    assert "No monthly projection stored." in charts.describe_of(view, "en")


def test_a_run_that_left_the_monthly_models_out_says_why_under_the_chart(bare_store):
    """The CPI stops before the last annual year: the chart's source line and its description name
    the CPI's last month, in each language, instead of "no projection stored"."""
    storefixture.add_cpi(bare_store)
    storefixture.add_run(bare_store, monthly=False)
    view = charts.series_view(bare_store, "MLI", "cpi")
    view.cpi_behind = {"cpi_end": "2023-12", "last_year": 2024}
    assert charts.run_text(view, "en") == "no monthly projection, the CPI ending in December 2023, before 2024"
    assert "No monthly projection, the CPI ending in December 2023" in charts.describe_of(view, "en")
    assert "dezembro de 2023, antes de 2024" in charts.run_text(view, "pt")
    under = " ".join(a["text"] for a in charts.figure_of(view, "fr")["layout"]["annotations"]).replace("<br>", " ")
    assert "l'IPC s'arrêtant en décembre 2023, avant 2024" in under
    storefixture.add_cpi(bare_store, start="2025-01", end="2025-06", missing=())  # a newer CPI, not yet rerun
    view = charts.series_view(bare_store, "MLI", "cpi")
    assert view.newer_data["figures"] == 6
    assert charts.source_lines(view, "en")[-1].startswith("6 figures loaded up to")


def test_the_monthly_twin_lists_rates_and_projection(cpi_store):
    view = charts.series_view(cpi_store, "MLI", "cpi")
    table = charts.table_of(view, "en")
    kinds = table["Kind"].value_counts()
    assert kinds["year on year"] == view.inflation["yoy"].notna().sum()
    assert kinds["12-month average"] == view.inflation["average_12m"].notna().sum()
    assert kinds["projection"] == 15
    assert set(table["Indicator"]) == {"Monthly inflation"} and set(table["Unit"]) == {"%"}
    assert "computed by econ from the CPI (INSTAT, IHPC)" in set(table["Source"])


def test_the_annual_chart_keeps_its_annual_points(cpi_store):
    """Monthly points are stored in the same forecast: the annual fan and the models table ignore them."""
    view = charts.indicator_view(cpi_store, "MLI", "inflation")
    assert list(view.projection["period"]) == ["2025", "2026", "2027"]
    assert "monthly" not in set(view.models["model"])


def test_a_country_with_a_cpi_alone_shows_the_annual_averages_its_projection_starts_from(bare_store):
    """Chad loaded from the World Bank's CPI: no annual inflation is stored, yet the annual chart shows
    each complete year's average (what the projection is fitted on), and says econ computed it from
    the CPI, in each language. Where annual figures are recorded, the CPI only adds the complete
    years after them."""
    storefixture.add_cpi(bare_store, country="TCD", start="2014-01", end="2023-06", missing=())
    view = charts.indicator_view(bare_store, "TCD", "inflation")
    assert list(view.history["period"]) == [str(y) for y in range(2015, 2023)]
    cpi = pd.Series([r[3] for r in storefixture.cpi_rows("TCD", start="2014-01", end="2023-06", missing=())],
                    index=pd.period_range("2014-01", "2023-06", freq="M"))
    means = cpi.groupby(cpi.index.year).mean()
    assert view.history["value"].iloc[-1] == pytest.approx(100 * (means[2022] / means[2021] - 1))
    assert charts.source_lines(view, "en")[0] == "Source: econ, annual average of the monthly CPI (INSTAT, IHPC)"
    assert "econ, moyenne annuelle de l'IPC mensuel (INSTAT, IHPC)" in charts.source_lines(view, "fr")[0]
    assert "econ, média anual do IPC mensal (INSTAT, IHPC)" in charts.source_lines(view, "pt")[0]
    table, provenance = series_table(bare_store, "TCD", "inflation", lang="en")  # the download, too
    assert len(table) == 8 and any("annual average of the monthly CPI" in v for v in provenance.values())
    french = series_table(bare_store, "TCD", "inflation", lang="fr")[1]
    assert any("moyenne annuelle de l'IPC mensuel" in v for v in french.values())
    storefixture.add_cpi(bare_store, country="MLI", start="2020-01", end="2025-12", missing=())
    mali = charts.indicator_view(bare_store, "MLI", "inflation")
    recorded = mali.history[mali.history["period"] <= "2024"]
    assert set(recorded["source"]) == {"IMF WEO October 2025"} and len(recorded) == 10
    assert list(mali.history["period"])[-1] == "2025" and mali.history["source"].iloc[-1].startswith("econ,")


# --- compare ----------------------------------------------------------------------------------


@pytest.fixture
def union_store(store):
    """The small store, plus the BCEAO's projections for the union as a whole."""
    write_batch(store, storefixture.observations([]), storefixture.official([
        ("BCEAO", "2025-09-17", "WAEMU", "inflation", "2025", 1.5),
        ("BCEAO", "2025-09-17", "WAEMU", "inflation", "2026", 2.0),
        ("BCEAO", "2025-03-05", "WAEMU", "inflation", "2025", 2.5),  # older: kept in the store, not drawn
    ]), source="bceao")
    return store


def test_compare_draws_each_member_and_the_unions_figure(union_store):
    view = charts.compare_view(union_store, ["MLI", "SEN"], "inflation")
    figure = charts.compare_figure_dict(view, "fr")
    shown = names(figure)
    assert {"Mali", "Sénégal", "UEMOA, BCEAO (17 septembre 2025)", f"Norme UEMOA 3{NBSP}% (plafond)"} <= set(shown)
    assert "Mali — projection" in shown and "Sénégal — projection" in shown
    colours = {t["name"]: t["line"]["color"] for t in figure["data"] if t["name"] in ("Mali", "Sénégal")}
    assert colours["Mali"] != colours["Sénégal"]
    union = next(t for t in figure["data"] if t["name"].startswith("UEMOA"))
    assert list(union["x"]) == [2025, 2026] and list(union["y"]) == [1.5, 2.0]
    assert figure["layout"]["meta"]["countries"] == ["MLI", "SEN"]


def test_the_compare_twin_holds_every_series_shown(union_store):
    view = charts.compare_view(union_store, ["MLI", "SEN"], "inflation")
    table = charts.compare_table(view, "en")
    by = table.groupby(["Country", "Kind"]).size().to_dict()
    assert by[("Mali", "observed")] == 10 and by[("Senegal", "observed")] == 10
    assert by[("Mali", "projection")] == 3 and by[("Senegal", "projection")] == 3
    assert by[("WAEMU", "official projection")] == 2
    figure = charts.compare_figure_dict(view, "en")
    history = [y for t in figure["data"] if t["name"] in ("Mali", "Senegal") for y in t["y"] if y is not None]
    projected = [y for t in figure["data"] if t["name"].endswith("— projection") for y in t["y"][1:]]  # after the anchor
    union = [y for t in figure["data"] if "BCEAO" in t["name"] for y in t["y"]]
    assert len(history) + len(projected) + len(union) == len(table)
    assert "WAEMU, BCEAO 2026: 2.0%." in charts.compare_describe(view, "en")


def test_compare_without_the_unions_figures(store):
    view = charts.compare_view(store, ["SEN", "MLI", "SEN"], "gdp_growth")
    assert view.countries == ["SEN", "MLI"] and view.union is None
    assert not [n for n in names(charts.compare_figure_dict(view, "pt")) if "UEMOA" in n]
