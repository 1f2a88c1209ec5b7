"""Languages: CLDR numbers and dates through Babel, gettext catalogs that are complete, the domain's words.

The catalog tests extract the texts from the code as ``make translations`` does, so a text added
without its English and Portuguese translation fails here, not in front of a reader.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from econ.i18n import (
    DOMAIN,
    LANGS,
    LOCALE_DIR,
    NBSP,
    NNBSP,
    PLOTLY_CONFIG,
    PLOTLY_TEXTS,
    catalog,
    colon,
    fmt_date,
    fmt_datetime,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_probability,
    lang_or_default,
    plotly_locale,
    rounded,
    separators,
    t,
    tn,
    typography,
)
from econ.schema import INDICATORS
from econ.terms import (
    country_name,
    indicator_label,
    model_description,
    model_name,
    norm_text,
    publisher_name,
    slug,
    source_text,
    unit_label,
)

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"t": None, "tc": ((1, "c"), 2), "tn": (1, 2), "N_": None}
BRACES = re.compile(r"{(\w*)}")


# --- numbers and dates ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "lang", "decimals", "expected"), [
    (2.5, "fr", 1, "2,5"),
    (2.5, "en", 1, "2.5"),
    (2.5, "pt", 1, "2,5"),
    (12000, "fr", 1, f"12{NNBSP}000,0"),
    (12000, "en", 1, "12,000.0"),
    (12000, "pt", 1, f"12{NBSP}000,0"),
    (-3.04, "fr", 1, "-3,0"),
    (-0.04, "fr", 1, "0,0"),  # never "-0,0"
    (2.25, "en", 1, "2.3"),  # half up, as a reader rounds (Babel alone would say 2.2)
    (2.675, "en", 2, "2.68"),
    (1234567.891, "fr", 2, f"1{NNBSP}234{NNBSP}567,89"),
    (None, "fr", 1, "–"),
    (float("nan"), "en", 1, "–"),
])
def test_numbers_follow_each_languages_cldr_conventions(value, lang, decimals, expected):
    assert fmt_number(value, lang, decimals) == expected


def test_percentages_and_probabilities():
    assert fmt_percent(2.5, "fr") == f"2,5{NBSP}%"
    assert fmt_percent(2.5, "en") == "2.5%"
    assert fmt_percent(2.5, "pt") == "2,5%"
    assert fmt_percent(3, "fr", 0) == f"3{NBSP}%"
    assert fmt_probability(0.214, "fr") == f"21{NBSP}%"
    assert fmt_probability(0.4075, "pt") == "41%"
    assert fmt_probability(None, "en") == "–"


def test_rounding_is_the_one_exports_use():
    assert rounded(2.25) == 2.3 and rounded(-0.04) == 0.0 and rounded(40.75, 0) == 41.0
    assert rounded(None) is None and rounded(float("nan")) is None


def test_dates_in_words_from_cldr():
    assert fmt_date(date(2025, 11, 24), "fr") == "24 novembre 2025"
    assert fmt_date(date(2025, 11, 24), "en") == "24 November 2025"
    assert fmt_date(date(2025, 11, 24), "pt") == "24 de novembro de 2025"
    assert fmt_date("2025-12-08", "en") == "8 December 2025"
    assert fmt_date("2025-11", "fr") == "novembre 2025"
    assert fmt_date("2025-11", "pt") == "novembro de 2025"
    assert fmt_date("2025", "fr") == "2025"
    assert fmt_date(None, "fr") == "–"
    assert fmt_datetime(datetime(2025, 11, 30, 14, 5), "fr") == "30 novembre 2025, 14:05 UTC"
    assert fmt_month("2024-03", "en") == "March 2024" and fmt_period("2024-03", "pt") == "março de 2024"
    assert fmt_period("2024", "en") == "2024"


def test_plotly_separators_come_from_cldr():
    assert separators("fr") == f",{NNBSP}" and separators("en") == ".," and separators("pt") == f",{NBSP}"


# --- words ------------------------------------------------------------------------------------


def test_t_translates_fills_and_falls_back_to_french():
    assert t("Vue d'ensemble", "en") == "Overview" and t("Vue d'ensemble", "pt") == "Visão geral"
    assert t("Vue d'ensemble", "de") == "Vue d'ensemble"
    assert t("Connecté : {name}", "fr", name="Awa") == f"Connecté{NBSP}: Awa"
    assert t("Connecté : {name}", "pt", name="Awa") == "Sessão iniciada: Awa"
    assert t("Un texte que personne n'a traduit", "en") == "Un texte que personne n'a traduit"
    assert lang_or_default(None) == "fr" and lang_or_default("pt") == "pt"
    assert colon("fr") == f"{NBSP}: " and colon("en") == ": " and colon("pt") == ": "


def test_counts_agree():
    assert tn("{n} ligne", "{n} lignes", 1, "fr") == "1 ligne"
    assert tn("{n} ligne", "{n} lignes", 0, "fr") == "0 ligne"  # French: zero is singular
    assert tn("{n} ligne", "{n} lignes", 0, "en") == "0 rows"
    assert tn("{n} ligne", "{n} lignes", 16, "pt") == "16 linhas"


def test_french_typography_puts_no_break_spaces_before_high_punctuation():
    assert typography("Source : FMI ; 3 %", "fr") == f"Source{NBSP}: FMI{NBSP}; 3{NBSP}%"
    assert typography("Source : FMI", "en") == "Source : FMI"


def test_the_domains_words():
    assert indicator_label("gdp_growth", "pt") == "Crescimento real do PIB"
    assert unit_label("public_debt", "pt") == "% do PIB" and unit_label("gold_production", "pt") == "toneladas"
    assert [country_name(c, "pt") for c in ("GNB", "CIV", "BEN", "WAEMU")] == [
        "Guiné-Bissau", "Costa do Marfim", "Benim", "UEMOA"]
    assert country_name("SEN", "fr") == "Sénégal" and country_name("WAEMU", "en") == "WAEMU"
    assert publisher_name("IMF", "fr") == "FMI" and publisher_name("IMF", "en") == "IMF"
    assert publisher_name("Government of Senegal", "pt") == "Governo (Senegal)"
    assert publisher_name("Unknown body", "fr") == "Unknown body"
    assert model_name("naive", "fr") == "Naïf" and model_name("ets", "pt") == "Alisamento exponencial"
    assert model_name("a_new_model", "en") == "a_new_model" and model_description("a_new_model", "en") == ""
    assert slug("Croissance du PIB réel") == "croissance-du-pib-reel"


def test_source_lines_read_in_the_pages_language():
    weo = "IMF World Economic Outlook database, October 2025"
    assert source_text(weo, "fr") == "FMI, Perspectives de l'économie mondiale, octobre 2025"
    assert source_text(weo, "pt") == "FMI, Perspetivas da Economia Mundial, outubro de 2025"
    assert source_text(weo, "en") == "IMF, World Economic Outlook, October 2025"
    assert source_text("INSTAT, IHPC", "pt") == "INSTAT, IHPC"  # unknown: as stored


def test_norm_labels_are_data_in_french_and_english_and_built_in_other_languages():
    norm = {"code": "waemu_debt", "indicator": "public_debt", "comparison": "<=", "threshold": 70.0,
            "label_fr": "Norme UEMOA : dette publique d'au plus 70 % du PIB", "label_en": "WAEMU norm: debt at most 70%"}
    assert norm_text(norm, "fr") == f"Norme UEMOA{NBSP}: dette publique d'au plus 70{NBSP}% du PIB"
    assert norm_text(norm, "en") == "WAEMU norm: debt at most 70%"
    assert norm_text(norm, "pt") == "Norma da UEMOA: Dívida pública, no máximo 70% do PIB"


# --- the catalogs -----------------------------------------------------------------------------


def extracted() -> set:
    """Every text the code marks for translation, found the way ``make translations`` finds it."""
    found = set()
    for folder in ("econ", "dashboard"):
        for _, _, message, _, context in extract_from_dir(ROOT / folder, method_map=[("**.py", "python")],
                                                           keywords=KEYWORDS):
            found.add((context, message if isinstance(message, str) else tuple(message)))
    return found


def po(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as handle:
        return read_po(handle, locale=lang)


@pytest.fixture(scope="module")
def texts() -> set:
    return extracted()


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_in_the_code_is_translated(texts, lang):
    """A msgid without its translation (or only a fuzzy one) fails: run ``make translations`` and translate."""
    messages = po(lang)
    missing = []
    for context, message in sorted(texts, key=str):
        key = message[0] if isinstance(message, tuple) else message
        entry = messages.get(key, context=context)
        strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(key)
    assert not missing, f"{lang}: {len(missing)} texts lack a translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_translations_keep_the_placeholders(lang):
    for entry in po(lang):
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = set(BRACES.findall(ids[-1]))
        assert all(set(BRACES.findall(s)) == wanted for s in strings), (lang, entry.id, entry.string)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_compiled_catalogs_are_those_of_the_po_files(lang):
    """A .po edited without ``make translations`` (so without a fresh .mo) fails here."""
    compiled = catalog(lang)
    for entry in po(lang):
        if entry.id and isinstance(entry.id, str) and not entry.context:
            assert compiled.gettext(entry.id) == entry.string, entry.id


def test_no_text_is_hidden_from_extraction():
    """gettext tools cannot see a ``t()`` call inside an f-string: such a text would never be translated."""
    hidden = []
    for path in [*ROOT.joinpath("econ").rglob("*.py"), *ROOT.joinpath("dashboard").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\{(t|tc|tn)\(\s*['\"]", line):
                hidden.append(f"{path.relative_to(ROOT)}:{number}")
    assert not hidden, hidden


def test_the_schemas_labels_are_in_the_catalogs_and_english_agrees_with_the_schema():
    for indicator in INDICATORS.values():
        assert indicator_label(indicator.code, "en") == indicator.label_en
        assert unit_label(indicator.code, "en") == indicator.unit_en
        assert indicator_label(indicator.code, "pt") != indicator.label_fr, indicator.code
        assert unit_label(indicator.code, "fr").replace(NBSP, " ") == indicator.unit_fr


# --- Plotly -----------------------------------------------------------------------------------


def test_plotly_config_has_no_cloud_button_and_a_modebar_in_the_pages_language():
    french = PLOTLY_CONFIG("fr")
    assert french["showSendToCloud"] is False and french["displaylogo"] is False
    assert french["locale"] == "fr" and set(french["locales"]) == {"fr"}
    assert french["locales"]["fr"]["dictionary"]["Download plot as a png"].startswith("Télécharger")
    assert french["locales"]["fr"]["format"]["decimal"] == ","
    portuguese = PLOTLY_CONFIG("pt")["locales"]["pt"]
    assert portuguese["dictionary"]["Download plot as a PNG"] == "Transferir o gráfico em PNG"
    assert portuguese["format"]["months"][2] == "março" and portuguese["format"]["days"][0] == "domingo"
    assert set(portuguese["dictionary"]) == set(PLOTLY_TEXTS)
    english = PLOTLY_CONFIG("en")
    assert english["locale"] == "en" and english["locales"] == {} and english["showSendToCloud"] is False
    assert plotly_locale("fr")["format"]["shortMonths"][0].startswith("janv")
