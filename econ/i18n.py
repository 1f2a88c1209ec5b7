"""Languages: words from gettext catalogs, numbers and dates from Babel (CLDR).

French is the source language and the default (most users read French first): every text in
the code is written in French and marked for extraction (``t``, ``tc``, ``tn``, ``N_``);
``make translations`` extracts them into ``econ/locale/econ.pot``, updates the catalogs
``econ/locale/{fr,en,pt}/LC_MESSAGES/econ.po`` and compiles the ``.mo`` files read here. A
translator adds a language by running ``pybabel init -D econ -i econ/locale/econ.pot -d econ/locale
-l xx``, translating the ``.po`` file, adding ``xx`` to ``LANGS`` and ``BABEL_LOCALES``, and
running ``make translations``; ``tests/dashboard/test_i18n.py`` fails while a text lacks its
translation.

Numbers, percentages, dates and month names follow each language's CLDR conventions through
Babel (``2,5 %`` in French, ``2.5%`` in English, ``2,5%`` in Portuguese as written in
Guinea-Bissau). A figure is rounded half up (``2,25`` shows as ``2,3``), as a reader rounds,
and exports round with the same ``rounded`` so a spreadsheet shows what the page shows.
Plotly gets the same conventions through ``separators`` and a locale dictionary for its
modebar and date axes (``plotly_locale``), passed in the figure config because a locale name
alone fetches nothing offline.
"""

from __future__ import annotations

import gettext
import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names, get_month_names
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

LANGS = ("fr", "en", "pt")
DEFAULT_LANG = "fr"
LANG_NAMES = {"fr": "Français", "en": "English", "pt": "Português"}  # each in its own language
BABEL_LOCALES = {"fr": "fr", "en": "en_GB", "pt": "pt_GW"}  # CLDR locales: day-month-year dates in English
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "econ"
NBSP = "\u00a0"  # before % and : in French
NNBSP = "\u202f"  # French thousands separator (CLDR)
MISSING = "–"


def lang_or_default(lang: str | None) -> str:
    """Any unknown language (from a URL, say) falls back to French rather than failing."""
    return lang if lang in LANGS else DEFAULT_LANG


def babel_locale(lang: str | None) -> str:
    return BABEL_LOCALES[lang_or_default(lang)]


# --- words ------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (French, the source language, falls back to the text itself)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang_or_default(lang)], fallback=True)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction, translate later"
    """Marks a text for extraction where it is defined; ``t`` translates it where it is shown."""
    return message


_FRENCH_SPACES = re.compile(r" ([:;!?%»])|(«) ")


def typography(text: str, lang: str) -> str:
    """French puts a no-break space before ``: ; ! ? %`` and inside guillemets: texts are written with plain
    spaces and get the no-break ones here, so a colon never starts a line."""
    if lang_or_default(lang) != "fr":
        return text
    return _FRENCH_SPACES.sub(lambda m: f"{NBSP}{m.group(1)}" if m.group(1) else f"{m.group(2)}{NBSP}", text)


def _fill(text: str, lang: str, values: dict) -> str:
    return typography(text.format(**values) if values else text, lang)


def t(message: str, lang: str = DEFAULT_LANG, **values) -> str:
    """``message`` (French) in ``lang``; ``values`` fill its ``{placeholders}``."""
    return _fill(catalog(lang).gettext(message), lang, values)


def tc(context: str, message: str, lang: str = DEFAULT_LANG, **values) -> str:
    """``t`` for a text whose translation depends on where it is used (gettext's ``msgctxt``)."""
    return _fill(catalog(lang).pgettext(context, message), lang, values)


def tn(singular: str, plural: str, n: int, lang: str = DEFAULT_LANG, **values) -> str:
    """A text that agrees with a count ``n`` (French ``0 ligne``, English ``0 rows``); ``{n}`` is filled."""
    return _fill(catalog(lang).ngettext(singular, plural, n), lang, {"n": n, **values})


def capitalized(text: str) -> str:
    """A phrase written to follow others (``run_text``, ``newer_text``) set on a line of its own."""
    return text[:1].upper() + text[1:]


def colon(lang: str = DEFAULT_LANG) -> str:
    """`` : `` in French (a no-break space before the colon), ``: `` elsewhere."""
    return f"{NBSP}: " if lang_or_default(lang) == "fr" else ": "


def semicolon(lang: str = DEFAULT_LANG) -> str:
    """`` ; `` in French (a narrow no-break space before it, as French typography writes ; ! ?),
    ``; `` elsewhere: the separator of a list of sources or moves."""
    return "\u202f; " if lang_or_default(lang) == "fr" else "; "


# --- numbers ----------------------------------------------------------------------------------


def missing(x) -> bool:
    """None, NaN, pandas' NA and NaT: nothing to show."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    return isinstance(x, float) and math.isnan(x)


def rounded(x, decimals: int = 1) -> float | None:
    """``x`` rounded half up to ``decimals`` (``2.25`` -> ``2.3``), as shown on pages and charts; no ``-0.0``."""
    if missing(x):
        return None
    value = float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return 0.0 if value == 0 else value


def _decimal(x, decimals: int) -> Decimal:
    return Decimal(repr(rounded(x, decimals)))


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def fmt_number(x, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``1234.5`` -> ``1 234,5`` in French, ``1,234.5`` in English, ``1 234,5`` in Portuguese; ``–`` when missing."""
    if missing(x):
        return MISSING
    return format_decimal(_decimal(x, decimals), format=_pattern(decimals), locale=babel_locale(lang))


def fmt_percent(x, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``2.5`` (already in percent) -> ``2,5 %`` in French, ``2.5%`` in English, ``2,5%`` in Portuguese."""
    if missing(x):
        return MISSING
    locale = Locale.parse(babel_locale(lang))
    pattern = locale.percent_formats[None].pattern.replace("#,##0", _pattern(decimals), 1)
    return format_percent(_decimal(x, decimals) / 100, format=pattern, locale=locale)


def fmt_probability(p, lang: str = DEFAULT_LANG) -> str:
    """A probability in [0, 1] as a whole percentage: ``0.214`` -> ``21 %``."""
    return MISSING if missing(p) else fmt_percent(100 * float(p), lang, 0)


def separators(lang: str = DEFAULT_LANG) -> str:
    """Plotly's ``layout.separators``: the language's decimal sign, then its thousands separator."""
    locale = babel_locale(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


# --- dates ------------------------------------------------------------------------------------


def _as_date(d) -> date | str | None:
    """A date from a date, a datetime, a pandas Timestamp or an ISO text; a year or a month stays text."""
    if d is None or missing(d):
        return None
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    if hasattr(d, "to_pydatetime"):
        return d.to_pydatetime().date()
    parts = str(d).split("T")[0].split(" ")[0].split("-")
    if len(parts) < 3:
        return str(d)
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def fmt_date(d, lang: str = DEFAULT_LANG) -> str:
    """``2025-11-24`` -> ``24 novembre 2025`` / ``24 November 2025`` / ``24 de novembro de 2025``;
    ``2025-11`` -> ``novembre 2025``; ``2025`` stays ``2025``."""
    value = _as_date(d)
    if value is None:
        return MISSING
    if isinstance(value, str):
        return fmt_month(value, lang) if len(value) == 7 else value
    text = format_date(value, "long", locale=babel_locale(lang))
    if babel_locale(lang).startswith("fr") and value.day == 1 and text.startswith("1 "):
        return "1er" + text[1:]  # French writes the first of the month as an ordinal (CLDR does not)
    return text


def fmt_month(period: str, lang: str = DEFAULT_LANG) -> str:
    """``2024-03`` -> ``mars 2024`` / ``March 2024`` / ``março de 2024``."""
    year, month = int(period[:4]), int(period[5:7])
    return format_skeleton("yMMMM", date(year, month, 1), locale=babel_locale(lang))


def fmt_period(period, lang: str = DEFAULT_LANG) -> str:
    """A period as a reader says it: years as is, months in words."""
    text = str(period)
    return fmt_month(text, lang) if len(text) == 7 and text[4] == "-" else text


def fmt_datetime(d: datetime | None, lang: str = DEFAULT_LANG) -> str:
    """A moment to the minute, UTC (vintages and run times are stored in UTC)."""
    if d is None or missing(d):
        return MISSING
    return f"{fmt_date(d, lang)}, {d:%H:%M} UTC"


# --- Plotly -----------------------------------------------------------------------------------

# Plotly.js' own English texts (the keys of its locale dictionaries) and their French wording,
# translated through the catalogs like any other text.
PLOTLY_TEXTS = {
    "Autoscale": N_("Échelle automatique"),
    "Box Select": N_("Sélection rectangulaire"),
    "Compare data on hover": N_("Comparer les données au survol"),
    "Double-click on legend to isolate one trace": N_("Double-cliquer sur la légende pour isoler une série"),
    "Double-click to zoom back out": N_("Double-cliquer pour dézoomer"),
    "Download plot as a png": N_("Télécharger le graphique en PNG"),
    "Download plot as a PNG": N_("Télécharger le graphique en PNG"),
    "Download plot": N_("Télécharger le graphique"),
    "Lasso Select": N_("Sélection lasso"),
    "Pan": N_("Translation"),
    "Produced with Plotly.js": N_("Généré avec Plotly.js"),
    "Reset": N_("Réinitialiser"),
    "Reset axes": N_("Réinitialiser les axes"),
    "Reset view": N_("Réinitialiser"),
    "Reset views": N_("Réinitialiser"),
    "Show closest data on hover": N_("Afficher les données les plus proches au survol"),
    "Snapshot succeeded": N_("Conversion réussie"),
    "Sorry, there was a problem downloading your snapshot!": N_("Désolé, le téléchargement du graphique a échoué."),
    "Taking snapshot - this may take a few seconds": N_("Conversion en cours, quelques secondes…"),
    "Toggle Spike Lines": N_("Afficher/masquer les lignes de repère"),
    "Toggle show closest data on hover": N_("Afficher/masquer les données les plus proches au survol"),
    "Zoom": N_("Zoom"),
    "Zoom in": N_("Zoom avant"),
    "Zoom out": N_("Zoom arrière"),
    "trace": N_("série"),
}


@lru_cache(maxsize=None)
def plotly_locale(lang: str) -> dict:
    """Plotly.js' locale dictionary for ``lang``: modebar texts from the catalog, names of months and
    days and number signs from CLDR."""
    locale = babel_locale(lang)
    months = get_month_names("wide", locale=locale)
    short_months = get_month_names("abbreviated", locale=locale)
    days = get_day_names("wide", locale=locale)
    short_days = get_day_names("abbreviated", locale=locale)
    week = [6, 0, 1, 2, 3, 4, 5]  # Plotly starts on Sunday, CLDR numbers Monday 0
    return {
        "moduleType": "locale",
        "name": lang,
        "dictionary": {key: t(text, lang) for key, text in PLOTLY_TEXTS.items()},
        "format": {
            "days": [days[i] for i in week], "shortDays": [short_days[i] for i in week],
            "months": [months[m] for m in range(1, 13)], "shortMonths": [short_months[m] for m in range(1, 13)],
            "date": "%d/%m/%Y", "decimal": get_decimal_symbol(locale), "thousands": get_group_symbol(locale),
        },
    }


def PLOTLY_CONFIG(lang: str = DEFAULT_LANG, filename: str = "graphique") -> dict:  # noqa: N802 (the contract's name)
    """The ``dcc.Graph`` config: no cloud button, no logo, the modebar in ``lang``, a 2x PNG with a useful name."""
    lang = lang_or_default(lang)
    return {
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "displaylogo": False,
        "responsive": True,
        "locale": lang,
        "locales": {} if lang == "en" else {lang: plotly_locale(lang)},
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
