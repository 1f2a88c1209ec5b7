"""Values and text from files stay what they are: implausible values refused, invisible characters
refused, markup shown as text on charts (and in an exported SVG)."""

from __future__ import annotations

import re

import pytest

from econ import plausibility
from econ.config import get_settings
from econ.countries import refusal, resolve
from econ.schema import InputError
from econ.sources import read_path


def load(tmp_path, text: str, name: str = "data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_path(path)


def problems(tmp_path, text: str, name: str = "data.csv") -> list[str]:
    with pytest.raises(InputError) as err:
        load(tmp_path, text, name)
    return [str(p) for p in err.value.problems]


def test_1e308_inflation_is_refused_with_its_range_and_setting(tmp_path):
    found = problems(tmp_path, "country,indicator,period,value\nMLI,inflation,2023,1e308\nMLI,inflation,2024,2.1\n")
    assert found == [
        f"{tmp_path / 'data.csv'}:2: value: 1e+308 is outside the plausible range for inflation (-100 to 100,000 %: "
        f"{plausibility.ranges()['inflation'].reason}; setting ECON_PLAUSIBLE_RANGES_FILE widens it)"]


@pytest.mark.parametrize("row", ["MLI,gdp_growth,2023,250", "MLI,gold_production,2023,99999",
                                 "MLI,public_debt,2023,5000", "MLI,fiscal_balance,2023,-400"])
def test_each_indicator_has_a_range(tmp_path, row):
    [message] = problems(tmp_path, f"country,indicator,period,value\n{row}\n")
    assert "outside the plausible range for " + row.split(",")[1] in message


def test_wide_layouts_and_official_projections_are_checked_too(tmp_path):
    [wide] = problems(tmp_path, "country,indicator,2022,2023\nMLI,inflation,2.5,1e12\n", "wide.csv")
    assert wide.startswith(f"{tmp_path / 'wide.csv'}:2: 2023: 1e+12 is outside")
    [official] = problems(tmp_path, "publisher,published,country,indicator,target_year,value\n"
                                    "IMF,2025-10,MLI,inflation,2026,-500\n", "official.csv")
    assert "-500 is outside the plausible range for inflation" in official


def test_plausible_values_load_including_real_extremes(tmp_path):
    batch = load(tmp_path, "country,indicator,period,value\nVEN,inflation,2018,65374\nGNQ,gdp_growth,1997,149.97\n"
                           "MLI,inflation,2023,-0.7\n")
    assert len(batch.observations) == 3


def test_a_user_file_widens_a_range(tmp_path, monkeypatch):
    text = "country,indicator,period,value\nZWE,inflation,2008,231000000\n"
    assert problems(tmp_path, text)
    extra = tmp_path / "ranges.csv"
    extra.write_text("indicator,min,max,unit,reason\ninflation,-100,1e12,%,Zimbabwe 2008\n")
    monkeypatch.setenv("ECON_PLAUSIBLE_RANGES_FILE", str(extra))
    get_settings.cache_clear()
    assert load(tmp_path, text).observations["value"].tolist() == [231000000.0]


def test_a_broken_user_ranges_file_is_named(tmp_path, monkeypatch):
    extra = tmp_path / "ranges.csv"
    extra.write_text("indicator,min,max\nunknown,0,1\ninflation,5,1\n")
    monkeypatch.setenv("ECON_PLAUSIBLE_RANGES_FILE", str(extra))
    get_settings.cache_clear()
    found = problems(tmp_path, "country,indicator,period,value\nMLI,inflation,2023,2\n")
    assert [p.split(": ", 1)[0] for p in found] == [f"{extra}:2", f"{extra}:3"]


def test_the_bundled_ranges_cover_every_indicator():
    from econ.schema import INDICATORS

    assert set(plausibility.ranges()) == set(INDICATORS)
    assert all(r.reason for r in plausibility.ranges().values())


@pytest.mark.parametrize("name, character", [
    ("M\u200fali", "U+200F RIGHT-TO-LEFT MARK"), ("Mali\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\u202eilaM", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("Ma\u2066li", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("Mali \U0001F1F2\U0001F1F1", "U+1F1F2 REGIONAL INDICATOR SYMBOL LETTER M"),
    ("Ma\ufeffli", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("S\u00e9n\u00e9gal\U0001F600", "U+1F600 GRINNING FACE"),
])
def test_invisible_characters_and_emoji_in_country_names_are_refused(tmp_path, name, character):
    assert resolve(name) is None and character in refusal(name)
    [message] = problems(tmp_path, f"country,indicator,period,value\n{name},inflation,2023,2.1\n")
    assert message.startswith(f"{tmp_path / 'data.csv'}:2: country: unknown country")


@pytest.mark.parametrize("name, code", [("Côte d\u2019Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Guinée\u00a0Bissau", "GNB"),
                                        ("Co\u0302te d'Ivoire", "CIV"), ("SÉNÉGAL", "SEN")])
def test_what_is_normalised_explicitly_still_resolves(name, code):
    assert resolve(name) == code and refusal(name) is None


def test_the_api_names_the_invisible_character(client):
    response = client.get("/api/v1/observations", query_string={"country": "M\u200fali", "indicator": "inflation"})
    assert response.status_code == 400
    assert response.get_json()["error"] == ("country contains an invisible or control character, U+200F RIGHT-TO-LEFT "
                                            "MARK: type the name or code without it")


LINK = '<a href="https://evil.example/x">click</a>'


def linked_store(store):
    import importlib.util
    from pathlib import Path

    from econ.store.repository import write_batch

    spec = importlib.util.spec_from_file_location("storefixture", Path(__file__).parents[1] / "dashboard" / "storefixture.py")
    fixture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixture)
    write_batch(store, fixture.observations([("MLI", "inflation", "2024", 3.1, f"INSTAT {LINK}")]),
                fixture.official([(f"Evil {LINK}", "2025-11-24", "MLI", "inflation", "2026", 2.2)]), source="test")
    return store


def test_markup_in_a_source_is_text_in_the_figure(store):
    from econ.charts import figure_dict, indicator_view

    figure = figure_dict(indicator_view(linked_store(store), "MLI", "inflation"), "en")
    texts = [a["text"] for a in figure["layout"]["annotations"]] + [t.get("name") or "" for t in figure["data"]]
    assert any("&lt;a href=" in t for t in texts)
    assert not any("<a " in t for t in texts)


@pytest.mark.slow
def test_an_exported_svg_has_no_live_link_from_data(store):
    """Through the real exporter (kaleido and Chromium): the link is visible text, not an <a> element."""
    from econ import export

    svg = export.chart_bytes(linked_store(store), "MLI", "inflation", "svg", lang="en").decode()
    assert "evil.example" in svg  # the text is shown...
    assert not re.search(r"<a\b[^>]*evil\.example", svg)  # ...but is no link
    assert "&#60;a href=" in svg
