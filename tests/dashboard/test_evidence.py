"""The Indicator page's "why this projection": where the band comes from, in each language."""

from __future__ import annotations

import pandas as pd

from dashboard.components.evidence import band_origin, composition, evidence, horizon, later_years, monthly_left_out, versus_imf
from econ.charts.view import IndicatorView, empty_projection


def _view(country: str, source: str, lower: float, upper: float, history: list[float]) -> IndicatorView:
    projection = pd.concat([empty_projection(), pd.DataFrame([{
        "period": "2025", "mean": -2.9, "lower_80": -6.0, "upper_80": 0.2, "lower_95": lower, "upper_95": upper,
        "p_breach": None}])], ignore_index=True)
    years = [str(2005 + i) for i in range(len(history))]
    return IndicatorView(
        country=country, indicator="fiscal_balance",
        history=pd.DataFrame({"period": years, "value": history, "source": "IMF"}), projection=projection,
        official=pd.DataFrame(), norm=None, run={"id": 1, "created_at": "2026-12-01", "data_vintage": None,
                                                   "model": "combination"}, vintage=None,
        explain={"2025": {"econ": -2.9, "lead": 0, "parts": []}},
        calibration={"0": {"source": source, "errors": 112, "own_errors": 14, "scale": 1.1, "quantiles": None}})


def test_a_band_wider_than_twenty_years_of_history_says_where_it_comes_from():
    calm = [-1.0 - (i % 5) for i in range(20)]  # 20 years between -5 and -1
    view = _view("BEN", "pooled errors", -9.7, 3.9, calm)
    french = band_origin(view, "fr")
    assert "112 erreurs, dont 14 sur cette série" in french and "membres de l'UEMOA" in french
    assert "plus large que tout l'écart des vingt dernières années" in french
    english = band_origin(view, "en")
    assert "112 errors, 14 of them on this series" in english and "WAEMU members" in english
    assert "wider than the whole range of the last twenty years" in english
    assert "112 erros, 14 dos quais nesta série" in band_origin(view, "pt")


def test_a_band_from_one_series_alone_says_so_and_how_to_pool():
    calm = [-1.0 - (i % 5) for i in range(20)]
    view = _view("GHA", "pooled errors", -9.7, 3.9, calm)
    view.pool_series, view.calibration["0"]["own_errors"] = 1, 112
    english = band_origin(view, "en")
    assert "112 errors, all on this series" in english and "neighbouring countries' figures" in english
    assert "other countries followed" not in english and "happened on this series" in english
    assert "todos nesta série" in band_origin(view, "pt")
    assert "toutes sur cette série" in band_origin(view, "fr")


def test_a_band_within_history_and_a_naive_band_say_so_plainly():
    wide = [-1.0 - 2.0 * (i % 10) for i in range(20)]  # -19 to -1: wider than the band
    within = band_origin(_view("GHA", "pooled errors", -9.7, 3.9, wide), "en")
    assert "other countries followed" in within and "wider than" not in within
    naive = band_origin(_view("BEN", "naive spread", -9.7, 3.9, wide), "fr")
    assert "prévision naïve" in naive and "pas encore assez d'erreurs" in naive


def test_all_the_weight_on_the_imf_is_said_plainly_not_as_the_rest_to_a_dash():
    view = _view("BEN", "pooled errors", -9.7, 3.9, [-3.0] * 20)
    view.explain = {"2025": {"econ": -2.9, "lead": 0, "parts": [{"candidate": "official:IMF", "weight": 1.0,
                                                                 "forecast": -2.9}]}}
    view.official = pd.DataFrame([{"publisher": "IMF", "published": "2025-10-14", "target_period": "2025",
                                   "value": -2.9, "reference": "WEO"}])
    english = versus_imf(view, "en")
    assert "gives all the weight to the IMF" in english and "–" not in english
    assert "tout le poids au FMI" in versus_imf(view, "fr") and "todo o peso ao FMI" in versus_imf(view, "pt")


def test_a_union_members_projection_shows_how_far_each_model_moved_toward_the_union():
    view = _view("MLI", "pooled errors", -1.0, 6.0, [2.0] * 20)
    view.indicator = "inflation"
    view.explain = {"2025": {"econ": 3.0, "lead": 0, "parts": [
        {"candidate": "ar", "weight": 0.5, "forecast": 3.5, "own": 4.0, "union": 3.0, "share": 0.5},
        {"candidate": "official:IMF", "weight": 0.5, "forecast": 2.5}]}}
    french = composition(view, "fr").replace("\xa0", " ")
    assert "50 % × Autorégression (3,5 %)" in french and "union monétaire" in french
    assert "4,0 % → 3,5 % (50 % du chemin vers la moyenne des membres, 3,0 %)" in french
    assert "4.0% → 3.5% (50% of the way toward the members' mean, 3.0%)" in composition(view, "en").replace("\xa0", " ")
    assert "do caminho em direção à média dos membros" in composition(view, "pt")
    view.explain["2025"]["parts"][0] = {"candidate": "ar", "weight": 0.5, "forecast": 4.0}
    assert "union" not in composition(view, "fr")


def _text(component) -> str:
    """Every string in a component tree, in order, one per line."""
    if component is None or isinstance(component, (str, int, float)):
        return "" if component is None else str(component)
    children = getattr(component, "children", None)
    children = children if isinstance(children, list) else [children]
    return "\n".join(_text(c) for c in children)


def test_the_reliability_table_sets_each_said_probability_beside_how_often_the_norm_was_breached():
    from dashboard.components.evidence import reliability_table

    skill = {"reliability": [{"bin": "0%-20%", "n": 0, "forecast": None, "observed": None},
                             {"bin": "20%-40%", "n": 11, "forecast": 0.35, "observed": 0.3636},
                             {"bin": "80%-100%", "n": 1, "forecast": 0.87, "observed": 0.0}]}
    french, english, portuguese = (_text(reliability_table(skill, lang)).splitlines() for lang in ("fr", "en", "pt"))
    assert "20 à 40\u00a0%" in french and "36\u00a0%" in french and "Norme dépassée" in french
    assert english[-8:] == ["20 to 40%", "11", "35%", "36%", "80 to 100%", "1", "87%", "0%"]  # the empty bin left out
    assert "20 a 40%" in portuguese and "Norma ultrapassada" in portuguese
    assert "this same projection's norm-breach probabilities, in real time, over 12 years" in " ".join(english)
    assert reliability_table({}, "fr") is None and reliability_table({"reliability": []}, "en") is None


def test_a_short_record_of_last_years_projection_is_set_beside_the_current_years_longer_one():
    from dashboard.components.evidence import track_record

    view = _view("MLI", "pooled errors", -1.0, 6.0, [2.0] * 20)
    current = {"n": 19, "mae": 2.653, "mase": 0.856}
    view.skill = {"n": 6, "mae": 2.77, "mase": 0.64, "coverage_80": 0.67, "lead": -1, "current_year": current}
    english = track_record(view, "en")
    assert "over 6 past years" in english and "over 19 years, a mean error of 2.65, 0.86 times" in english
    assert "sur 19 années, une erreur moyenne de 2,65" in track_record(view, "fr")
    assert "em 19 anos, um erro médio de 2,65" in track_record(view, "pt")
    view.skill = {**view.skill, "lead": 0, "n": 19}  # the record shown is already the long one
    assert "longer record" not in track_record(view, "en")


def test_monthly_models_left_out_for_an_old_cpi_are_said_to_be_with_the_month_in_words():
    view = _view("MLI", "pooled errors", -9.7, 3.9, [-3.0] * 20)
    assert monthly_left_out(view, "en") is None  # a CPI as recent as the annual figures: nothing to say
    view.cpi_behind = {"cpi_end": "2023-12", "last_year": 2024}
    english = monthly_left_out(view, "en")
    assert "monthly CPI ends in December 2023, before 2024" in english and "Load a newer CPI" in english
    assert "décembre 2023, avant 2024" in monthly_left_out(view, "fr")
    assert "dezembro de 2023, antes de 2024" in monthly_left_out(view, "pt")


def test_figures_loaded_after_the_run_come_first_with_what_to_do():
    """Above the reasons for a projection: that it has not read the figures loaded since, and how to mend it."""
    from datetime import datetime

    view = _view("MLI", "pooled errors", -9.7, 3.9, [-3.0] * 20)
    view.official = pd.DataFrame(columns=["publisher", "published", "target_period", "value", "reference"])
    assert "loaded" not in str(evidence(view, "en")[1].children)
    view.newer_data = {"figures": 3, "last": datetime(2026, 12, 4, 9, 30)}
    said = {lang: evidence(view, lang)[1].children for lang in ("fr", "en", "pt")}
    assert said["en"].startswith("3 figures (Mali) were loaded up to 4 December 2026, after run #1")
    assert "Rerun the forecast (econ forecast, or the Analyst page)" in said["en"]
    assert said["fr"].startswith("3 chiffres (Mali) ont été chargés jusqu'au 4 décembre 2026, après l'exécution n°1")
    assert said["pt"].startswith("3 valores (Mali) foram carregados até 4 de dezembro de 2026")
    view.newer_data["figures"] = 1
    assert evidence(view, "en")[1].children.startswith("1 figure (Mali) was loaded on 4 December 2026")


def test_a_band_scaled_by_the_last_three_years_says_which_way_and_how_much():
    swung = _view("BEN", "pooled errors", -9.7, 3.9, [-1.0 - (i % 5) for i in range(20)])
    swung.calibration["0"]["turbulence"] = 1.5
    assert "last three years moved more than usual: the band's scale is multiplied by 1.50" in band_origin(swung, "en")
    assert "l'échelle de la bande est multipliée par 1,50" in band_origin(swung, "fr")
    swung.calibration["0"]["turbulence"] = 0.75
    assert "were calmer than usual" in band_origin(swung, "en") and "mais calmos" in band_origin(swung, "pt")
    swung.calibration["0"]["turbulence"] = 1.0
    assert "usual" not in band_origin(swung, "en")


def test_a_band_at_its_cut_says_it_stops_at_the_series_twenty_year_range():
    """Chad's inflation beside Zimbabwe's and Argentina's: the band reaches the cut (``econ.bands.spans``),
    and the reader is told why it stops there; a band short of the cut says nothing of it."""
    calm = [-1.0 - (i % 5) for i in range(20)]  # a range of 4 points
    cut = _view("TCD", "pooled errors", -6.9, 1.1, calm)  # -2.9 plus or minus 4
    cut.calibration["0"]["span"] = 4.0
    assert "stops 4.0% of GDP either side of the projection" in band_origin(cut, "en")
    assert "s'arrête à 4,0\xa0%\xa0du PIB de part et d'autre de la projection" in band_origin(cut, "fr")
    assert "para a 4,0% do PIB de cada lado" in band_origin(cut, "pt")
    short = _view("TCD", "pooled errors", -5.9, 0.1, calm)
    short.calibration["0"]["span"] = 4.0
    assert "stops" not in band_origin(short, "en")
    naive = _view("TCD", "naive spread", -6.9, 1.1, calm)
    naive.calibration["0"]["span"] = 4.0
    assert "stops 4.0% of GDP" in band_origin(naive, "en")


def test_the_official_skill_table_counts_years_ahead_in_each_languages_grammar():
    """"1 ano depois", "2 ans plus tard": one year is singular, more are plural, in each language."""
    assert [horizon(n, "en") for n in (-1, 0, 1, 2)] == ["previous year", "current year", "1 year later",
                                                          "2 years later"]
    assert [horizon(n, "fr") for n in (1, 2)] == ["1 an plus tard", "2 ans plus tard"]
    assert [horizon(n, "pt") for n in (1, 2)] == ["1 ano depois", "2 anos depois"]


def test_a_later_year_back_at_the_naive_forecast_says_why_in_three_languages():
    """Zimbabwe in July 2021: the months give 113 % and 85 %, then no candidate has a record three
    years out and the path goes back to 2020's 557 %; the page says so, and says nothing of a later
    year made of the same candidates as the year before."""
    view = _view("ZWE", "pooled errors", -9.7, 3.9, [3.0] * 20)
    view.indicator = "inflation"
    view.projection = pd.concat([view.projection.assign(period="2021"),
                                 view.projection.assign(period="2022"), view.projection.assign(period="2023")])
    models = [{"candidate": "cpi_ets", "weight": 0.5, "forecast": 94.7},
              {"candidate": "cpi_sarimax", "weight": 0.5, "forecast": 132.3}]
    view.explain = {"2021": {"econ": 113.5, "lead": 0, "parts": models},
                    "2022": {"econ": 85.1, "lead": 1, "parts": models},
                    "2023": {"econ": 557.2, "lead": 2, "parts": [{"candidate": "naive", "weight": 1.0,
                                                                  "forecast": 557.2}]}}
    assert composition(view, "en").startswith("Projection 2021: 113.5% = 50% × ")
    english = later_years(view, "en")
    assert "2022" not in english
    assert english.startswith("In 2023 the projection is the naive forecast, 557.2% (the last figure known)")
    assert "En 2023, la projection est la prévision naïve, 557,2\u00a0%" in later_years(view, "fr")
    assert "Em 2023, a projeção é a previsão ingénua, 557,2%" in later_years(view, "pt")
    view.explain["2023"] = {"econ": 94.7, "lead": 2, "parts": [{**models[0], "weight": 1.0}]}
    assert later_years(view, "en") == "Projection 2023: 94.7% = 100% × Monthly exponential smoothing (94.7%)."
    view.explain["2023"] = {"econ": 90.0, "lead": 2, "parts": models}
    assert later_years(view, "en") is None
    view.official = pd.DataFrame(columns=["publisher", "published", "target_period", "value", "reference"])
    paragraphs = [p.children for p in evidence(view, "en")[1:] if hasattr(p, "children")]
    assert sum(str(p).startswith("Projection 2021") for p in paragraphs) == 1
