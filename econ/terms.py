"""The domain's words in every language: indicators, units, countries, publishers, models, sources, norms.

Codes and stored names stay as they are in the store (``gdp_growth``, ``IMF``, ``naive``); what a
reader sees comes from here, through the gettext catalogs of ``econ.i18n``. Indicator labels
and units are the French ones of ``econ.schema`` (a test checks that each is listed below and
translated, and that the English catalog agrees with the schema's English labels).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

from econ import countries
from econ.i18n import N_, fmt_month, fmt_number, fmt_percent, lang_or_default, semicolon, t, typography
from econ.schema import INDICATORS

# --- indicators -------------------------------------------------------------------------------

INDICATOR_TERMS = (  # econ.schema's French labels, marked for extraction
    N_("Croissance du PIB réel"), N_("Inflation (moyenne annuelle)"), N_("Indice des prix à la consommation"),
    N_("Production d'or (totale)"), N_("Production d'or (mines industrielles)"),
    N_("Solde budgétaire global (dons compris)"), N_("Dette publique"),
    N_("Inflation (fin de période, glissement décembre sur décembre)"),
)
# Units by econ.schema's code. "% du PIB" is written with a no-break space after "%": gettext tools
# would otherwise read "% d" as a printf placeholder.
UNITS = {"%": N_("%"), "% of GDP": N_("%\u00a0du PIB"), "index": N_("indice"), "tonnes": N_("tonnes")}


def indicator_label(code: str, lang: str = "fr") -> str:
    indicator = INDICATORS.get(code)
    return t(indicator.label_fr, lang) if indicator else code


def unit_label(code: str, lang: str = "fr") -> str:
    indicator = INDICATORS.get(code)
    if indicator is None:
        return ""
    return t(UNITS[indicator.unit], lang) if indicator.unit in UNITS else indicator.unit_label(lang)


def fmt_value(code: str, value, lang: str = "fr", decimals: int = 1) -> str:
    """A figure with its unit: ``2,5 %``, ``48,2 tonnes``, ``-3,1 % du PIB`` (``-3.1% of GDP``)."""
    unit = unit_label(code, lang)
    if unit.startswith("%"):
        return fmt_percent(value, lang, decimals) + unit[1:]
    return f"{fmt_number(value, lang, decimals)}\u00a0{unit}".rstrip()


def slug(text: str) -> str:
    """``Croissance du PIB réel`` -> ``croissance-du-pib-reel``: a file-name word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


# --- countries --------------------------------------------------------------------------------

PORTUGUESE_NAMES = {"GNB": "Guiné-Bissau", "BEN": "Benim", "CIV": "Costa do Marfim", "WAEMU": "UEMOA"}


@lru_cache(maxsize=1)
def _portuguese() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"])
    except OSError:  # a pycountry without its locales still gives English names
        return gettext.NullTranslations()


def country_name(code: str, lang: str = "fr") -> str:
    """The country's common name in ``lang`` (French and English from ``econ.countries``; Portuguese from
    ISO 3166's Portuguese names, with the spellings used in Guinea-Bissau)."""
    if lang_or_default(lang) != "pt":
        return countries.name(code, lang)
    if code in PORTUGUESE_NAMES:
        return PORTUGUESE_NAMES[code]
    found = pycountry.countries.get(alpha_3=code)
    return _portuguese().gettext(found.name) if found else code


# --- publishers -------------------------------------------------------------------------------

PUBLISHERS = {
    "IMF": N_("FMI"),
    "World Bank": N_("Banque mondiale"),
    "Government of Mali": N_("Gouvernement du Mali"),
    "BCEAO": N_("BCEAO"),
    "AfDB": N_("BAD"),
    "Mali Ministry of Mines": N_("Ministère des Mines du Mali"),
}
INTERNATIONAL = ("IMF", "World Bank", "AfDB", "BCEAO")  # the others speak for a country's authorities


def publisher_name(name: str, lang: str = "fr") -> str:
    """A publisher as the reader calls it (``IMF`` is ``FMI`` in French and Portuguese)."""
    if name in PUBLISHERS:
        return t(PUBLISHERS[name], lang)
    government = re.fullmatch(r"Government of (.+)", str(name))
    code = countries.resolve(government.group(1)) if government else None
    return t("Gouvernement ({country})", lang, country=country_name(code, lang)) if code else str(name)


def is_national(name: str) -> bool:
    """True for a country's own authorities (government, ministries), False for the IMF, the BCEAO..."""
    return str(name) not in INTERNATIONAL


# --- models -----------------------------------------------------------------------------------

MODELS = {  # code: (name, what it does in one phrase)
    "naive": (N_("Naïf"), N_("la dernière valeur reconduite : la référence que tout modèle doit battre")),
    "ar": (N_("Autorégression"),
           N_("modèle autorégressif, ordre choisi par critère d'information, sur les niveaux ou les variations")),
    "ets": (N_("Lissage exponentiel"), N_("lissage exponentiel avec tendance amortie")),
    "long_run_mean": (N_("Moyenne de long terme"), N_("moyenne des vingt dernières années")),
    "recent_median": (N_("Médiane récente"), N_("médiane des dix dernières années, insensible à une année hors norme")),
    "growth_gold": (N_("Croissance et or"),
                    N_("croissance liée à la production d'or par la part de l'or dans le PIB, jamais négativement")),
    "cpi_sarimax": (N_("SARIMAX mensuel"), N_("modèle saisonnier sur l'IPC mensuel, agrégé en moyenne annuelle")),
    "cpi_ets": (N_("Lissage exponentiel mensuel"),
                N_("lissage exponentiel saisonnier sur l'IPC mensuel, agrégé en moyenne annuelle")),
    "cpi_mean_reverting": (N_("Retour à la moyenne mensuel"),
                           N_("inflation mensuelle qui revient à son rythme annuel médian des cinq dernières "
                              "années, agrégée en moyenne annuelle")),
    "combination": (N_("Projection econ"),
                    N_("candidats pondérés par leurs erreurs connues à chaque date ; bandes tirées de ces erreurs")),
    "monthly": (N_("Modèle mensuel"), N_("projection de l'inflation mensuelle en glissement annuel")),
}
OFFICIAL_PREFIX, RELEASE_PREFIX = "official:", "release:"


def model_name(code: str, lang: str = "fr") -> str:
    """A model's name, or a publisher's for an official candidate (``official:IMF``)."""
    if str(code).startswith((OFFICIAL_PREFIX, RELEASE_PREFIX)):
        return publisher_name(str(code).split(":", 1)[1], lang)
    return t(MODELS[code][0], lang) if code in MODELS else str(code)


def model_description(code: str, lang: str = "fr") -> str:
    if str(code).startswith(OFFICIAL_PREFIX):
        return t("sa dernière projection publiée à la date de la prévision", lang)
    return t(MODELS[code][1], lang) if code in MODELS else ""


# --- sources ----------------------------------------------------------------------------------

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
_MONTH = r"(?P<month>" + "|".join(MONTHS_EN) + r") (?P<year>\d{4})"
SOURCES = [  # how stored (English) source lines read in other languages; anything else is shown as stored
    (re.compile(rf"IMF World Economic Outlook(?: database)?,? {_MONTH}"),
     N_("FMI, Perspectives de l'économie mondiale, {month}")),
    (re.compile(rf"IMF WEO {_MONTH}"), N_("FMI, Perspectives de l'économie mondiale, {month}")),
    (re.compile(rf"World Bank Global Database of Inflation \(Ha, Kose, Ohnsorge\), {_MONTH} version, CC BY 4\.0"),
     N_("Banque mondiale, base de données mondiale de l'inflation (Ha, Kose, Ohnsorge), version de {month}, CC BY 4.0")),
    (re.compile(r"Mali Ministry of Mines figures as reported in the press \(mostly Reuters\)"),
     N_("Ministère des Mines du Mali, chiffres rapportés par la presse (surtout Reuters)")),
    (re.compile(r"econ, annual average of the monthly CPI \((?P<source>.*)\)"),  # ``econ.charts.view.CPI_YEARS``
     N_("econ, moyenne annuelle de l'IPC mensuel ({source})")),
]


def source_text(text: str, lang: str = "fr") -> str:
    """A stored source line in ``lang`` when it is one the catalogs know, else as stored."""
    for pattern, template in SOURCES:
        found = pattern.fullmatch(str(text).strip())
        if found is None:
            continue
        groups = found.groupdict()
        if "source" in groups:
            return t(template, lang, source=semicolon(lang).join(source_text(s, lang) for s in groups["source"].split("; ")))
        if "month" not in groups:
            return t(template, lang)
        month = f"{groups['year']}-{MONTHS_EN.index(groups['month']) + 1:02d}"
        return t(template, lang, month=fmt_month(month, lang))
    return str(text)


# --- norms ------------------------------------------------------------------------------------

def norm_text(norm: dict, lang: str = "fr") -> str:
    """A norm's label: the norms table's own French or English text; in another language, one made of
    the norm's parts (``Norma da UEMOA: Inflação (média anual) de no máximo 3%``)."""
    lang = lang_or_default(lang)
    own = norm.get({"fr": "label_fr", "en": "label_en"}.get(lang, ""))
    if own:
        return typography(str(own), lang)
    indicator, threshold = str(norm.get("indicator", "")), float(norm.get("threshold", 0))
    decimals = 0 if threshold.is_integer() else 1
    value = fmt_value(indicator, threshold, lang, decimals)
    waemu = str(norm.get("code", norm.get("norm_code", ""))).startswith("waemu")
    ceiling = norm.get("comparison") in ("<=", "<")
    template = {(True, True): N_("Norme UEMOA : {indicator}, au plus {value}"),
                (True, False): N_("Norme UEMOA : {indicator}, au moins {value}"),
                (False, True): N_("Norme : {indicator}, au plus {value}"),
                (False, False): N_("Norme : {indicator}, au moins {value}")}[(waemu, ceiling)]
    return t(template, lang, indicator=indicator_label(indicator, lang), value=value)
