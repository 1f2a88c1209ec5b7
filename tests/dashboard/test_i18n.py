"""French and English numbers, dates and labels, and the Plotly config that carries them."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from econ.i18n import (
    LOCALES, NBSP, NNBSP, PLOTLY_CONFIG, TEXTS, colon, fmt_date, fmt_datetime, fmt_number, fmt_percent,
    fmt_probability, lang_or_default, publisher, t,
)


@pytest.mark.parametrize(("value", "lang", "decimals", "expected"), [
    (2.5, "fr", 1, "2,5"),
    (2.5, "en", 1, "2.5"),
    (12000, "fr", 1, f"12{NNBSP}000,0"),
    (12000, "en", 1, "12,000.0"),
    (-3.04, "fr", 1, "-3,0"),
    (-0.04, "fr", 1, "0,0"),  # never "-0,0"
    (1234567.891, "fr", 2, f"1{NNBSP}234{NNBSP}567,89"),
    (None, "fr", 1, "–"),
    (float("nan"), "en", 1, "–"),
])
def test_numbers_follow_each_languages_typography(value, lang, decimals, expected):
    assert fmt_number(value, lang, decimals) == expected


def test_percent_has_a_no_break_space_in_french_only():
    assert fmt_percent(2.5, "fr") == f"2,5{NBSP}%"
    assert fmt_percent(2.5, "en") == "2.5%"
    assert fmt_percent(3, "fr", 0) == f"3{NBSP}%"
    assert fmt_probability(0.214, "fr") == f"21{NBSP}%"
    assert fmt_probability(None, "en") == "–"


def test_dates_in_words():
    assert fmt_date(date(2025, 11, 24), "fr") == "24 novembre 2025"
    assert fmt_date(date(2025, 11, 24), "en") == "24 November 2025"
    assert fmt_date(date(2026, 1, 1), "fr") == "1er janvier 2026"
    assert fmt_date("2025-11", "fr") == "novembre 2025"
    assert fmt_date("2025-12-08", "en") == "8 December 2025"
    assert fmt_date("2025", "fr") == "2025"
    assert fmt_date(None, "fr") == "–"
    assert fmt_datetime(datetime(2025, 11, 30, 14, 5), "fr") == "30 novembre 2025, 14:05 UTC"


def test_texts_exist_in_both_languages_with_the_same_placeholders():
    for key, (fr, en) in TEXTS.items():
        assert fr and en, key
        assert set(re.findall(r"{(\w+)}", fr)) == set(re.findall(r"{(\w+)}", en)), key


def test_t_fills_placeholders_and_falls_back_to_french():
    assert t("rows", "en", n=3) == "3 rows"
    assert t("page_overview", "de") == "Vue d'ensemble"
    assert lang_or_default(None) == "fr"
    assert colon("fr") == f"{NBSP}: " and colon("en") == ": "
    assert publisher("IMF", "fr") == "FMI" and publisher("IMF", "en") == "IMF"
    assert publisher("Unknown body", "fr") == "Unknown body"


def test_plotly_config_has_no_cloud_button_and_a_french_modebar():
    config = PLOTLY_CONFIG("fr")
    assert config["showSendToCloud"] is False and config["displaylogo"] is False
    assert config["locale"] == "fr" and config["locales"] == LOCALES
    french = LOCALES["fr"]
    assert french["dictionary"]["Download plot as a png"].startswith("Télécharger")
    assert french["format"]["decimal"] == ","
    assert len(french["format"]["months"]) == 12
    english = PLOTLY_CONFIG("en")
    assert english["locale"] == "en" and english["locales"] == {}
    assert english["showSendToCloud"] is False
