"""The convergence table once a projected year is observed, and the overview card's mark against its words."""

from __future__ import annotations

import pandas as pd
import pytest
import storefixture
from dash import html
from test_pages import render, text_of, walk

from dashboard.components.cards import badge, card
from dashboard.components.tables import observed_first, scorecard_tables
from dashboard.state import ViewState
from econ.charts import IndicatorView, scorecard_cells
from econ.charts.scorecard import SCORECARD_COLUMNS
from econ.i18n import LANGS, NBSP, t
from econ.store.repository import write_batch

DEBT = {"norm_code": "waemu_debt", "indicator": "public_debt", "comparison": "<=", "threshold": 70.0,
        "label_fr": "Norme UEMOA : dette", "label_en": "WAEMU norm: debt"}


def _row(country, period, kind, value, p=None):
    band = (value - 5, value + 5) if kind == "projection" else (None, None)
    return {**DEBT, "country": country, "period": period, "kind": kind, "value": value, "lower_80": band[0],
            "upper_80": band[1], "p_breach": p, "compliant": value <= 70.0}


def observed_over_projected() -> pd.DataFrame:
    """Senegal's 2025 debt published after the run that projected it: 2025 is both an actual and a projection."""
    rows = [_row("MLI", "2024", "actual", 51.7), _row("MLI", "2025", "projection", 48.9, 0.01),
            _row("SEN", "2024", "actual", 118.4), _row("SEN", "2025", "projection", 124.3, 0.95),
            _row("SEN", "2025", "actual", 119.0)]
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


def _cells_of(table: html.Div) -> dict[str, list]:
    rows = [c for c in walk(table) if isinstance(c, html.Tr)][1:]
    return {text_of(r.children[0]): r.children[1:] for r in rows}


def test_an_observed_year_replaces_its_projection_in_the_convergence_table():
    cells = scorecard_cells(observed_over_projected(), "fr")
    kept = observed_first(cells)
    assert list(zip(kept["country"], kept["period"], kept["kind"])) == [
        ("MLI", "2024", "actual"), ("MLI", "2025", "projection"), ("SEN", "2024", "actual"), ("SEN", "2025", "actual")]
    [table] = scorecard_tables(cells, {"waemu_debt": "Dette"}, {("SEN", "public_debt", "2025"): ["FMI 124,3 %"]}, "fr")
    header = [c for c in walk(table) if isinstance(c, html.Th) and getattr(c, "scope", None) == "col"]
    assert text_of(header[2]) == "2025 projection"  # Mali's 2025 is still a projection
    by_country = _cells_of(table)
    senegal_2025 = text_of(by_country["Sénégal"][1])
    assert f"119,0{NBSP}%" in senegal_2025 and "observé" in senegal_2025
    assert "124,3" not in senegal_2025 and "p" + NBSP + "=" not in senegal_2025  # no projection, no official figure
    assert f"48,9{NBSP}%" in text_of(by_country["Mali"][1]) and "observé" not in text_of(by_country["Mali"][1])


def test_a_year_observed_everywhere_is_headed_observed():
    frame = observed_over_projected()
    frame = pd.concat([frame, pd.DataFrame([_row("MLI", "2025", "actual", 50.0)])], ignore_index=True)
    [table] = scorecard_tables(scorecard_cells(frame, "en"), {}, {}, "en")
    header = [c for c in walk(table) if isinstance(c, html.Th) and getattr(c, "scope", None) == "col"]
    assert text_of(header[2]) == "2025 observed"
    assert "observed" not in text_of(_cells_of(table)["Senegal"][1])


def test_the_convergence_page_renders_after_a_projected_year_is_loaded(store):
    from dashboard.app import create_app
    from dashboard.pages import convergence

    write_batch(store, storefixture.observations([("SEN", "inflation", "2025", 1.5, "test")]),
                storefixture.official([]), source="test")
    page = render(create_app(store), convergence, lang="fr", country="MLI")
    words = text_of(page)
    assert f"1,5{NBSP}%" in words and "Sénégal" in words and "Mali" in words


def _fiscal_view(latest: float, p_breach: float) -> IndicatorView:
    history = pd.DataFrame({"period": ["2023", "2024"], "value": [-3.6, latest], "source": ["IMF", "IMF"]})
    projection = pd.DataFrame({"period": ["2025"], "mean": [-3.4], "lower_80": [-5.9], "upper_80": [-0.8],
                               "lower_95": [-7.0], "upper_95": [0.5], "p_breach": [p_breach]})
    norm = {"code": "waemu_fiscal", "comparison": ">=", "threshold": -3.0, "label_fr": "", "label_en": ""}
    return IndicatorView(country="MLI", indicator="fiscal_balance", history=history, projection=projection,
                         official=pd.DataFrame(), norm=norm, run=None, vintage=None)


@pytest.mark.parametrize("lang", LANGS)
def test_a_card_within_the_norm_never_says_it_breaches_it(lang):
    """-2,6 % of GDP against a floor of -3 %: within the norm, a 64 % risk of falling below next year."""
    mark = badge(_fiscal_view(-2.6, 0.64), lang)
    label = text_of(mark.children[1])
    assert "status-red" in mark.className
    assert t("Dépasse la norme", lang) not in label and t("Dépassement probable", lang) in label
    assert t("{value}, dans la norme ; {risk}", lang, value="", risk="").strip(" ;:,") in text_of(mark)


@pytest.mark.parametrize(("latest", "p", "words"), [(-3.5, 0.64, "Dépasse la norme"), (-3.5, 0.3, "Sous surveillance"),
                                                    (-2.6, 0.3, "Sous surveillance"), (-2.6, 0.1, "Respecte la norme")])
def test_every_other_card_mark_keeps_its_words(latest, p, words):
    assert text_of(badge(_fiscal_view(latest, p), "fr").children[1]).strip() == f"{words}{NBSP}:"


def test_the_first_of_the_month_is_an_ordinal_in_french():
    from datetime import date

    from econ.i18n import fmt_date

    assert fmt_date(date(2026, 12, 1), "fr") == "1er décembre 2026"
    assert fmt_date(date(2026, 12, 11), "fr") == "11 décembre 2026" and fmt_date(date(2026, 12, 1), "en") == "1 December 2026"


def test_a_card_for_a_date_before_the_store_knew_the_series_says_when_it_did():
    empty = pd.DataFrame({"period": pd.Series(dtype=str), "value": pd.Series(dtype=float),
                          "source": pd.Series(dtype=str)})
    view = IndicatorView(country="UGA", indicator="inflation", history=empty, projection=pd.DataFrame(),
                         official=pd.DataFrame(), norm=None, run=None, vintage=None,
                         no_projection={"reason": "unknown_then", "first": "2026-12-02"})
    said = text_of(card(view, {}, ViewState(country="UGA", indicator="inflation", lang="pt")))
    assert "Nenhum número conhecido nessa data: a base recebeu esta série em 2 de dezembro de 2026" in said
    view.no_projection = {"reason": "unknown_then", "first": "2019-04-09", "dated": True}
    said = text_of(card(view, {}, ViewState(country="UGA", indicator="inflation", lang="en")))
    assert "the first release of this series in the store is dated 9 April 2019" in said and "loaded" not in said
    view.no_projection = None
    assert t("Aucune donnée pour cette sélection.", "en") in text_of(card(view, {}, ViewState(lang="en")))


def test_a_card_whose_projection_predates_a_load_says_so(store):
    """The overview's card, like the chart, says the figures loaded since its run are not read by it."""
    from econ.charts import indicator_view

    state = ViewState(country="MLI", indicator="inflation", lang="en")
    assert "not read by it" not in text_of(card(indicator_view(store, "MLI", "inflation"), {}, state))
    write_batch(store, storefixture.observations([("MLI", "gdp_growth", "2025", 4.1)]), storefixture.official([]),
                source="INSTAT")
    said = text_of(card(indicator_view(store, "MLI", "inflation"), {}, state))
    assert "1 figure loaded on" in said and "after this run, is not read by it" in said
