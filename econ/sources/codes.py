"""Relabelling in one place: other publishers' series codes and names -> econ's indicators.

Files and APIs name the same series differently (World Bank ``NY.GDP.MKTP.KD.ZG``, IMF
``NGDP_RPCH``, a statistics institute's "Croissance du PIB réel"). Every loader maps them
here, so a new alias is added once. Codes that look close but mean something else (the
World Bank's annual CPI level) are refused with a message instead of being mapped wrongly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from econ.schema import INDICATORS
from econ.sources.text import fold

# World Bank, World Development Indicators.
WDI = {
    "NY.GDP.MKTP.KD.ZG": "gdp_growth",
    "FP.CPI.TOTL.ZG": "inflation",
    "GC.DOD.TOTL.GD.ZS": "public_debt",  # central government debt: the closest WDI series
}
WDI_NAMES = {
    "GDP growth (annual %)": "gdp_growth",
    "Inflation, consumer prices (annual %)": "inflation",
    "Central government debt, total (% of GDP)": "public_debt",
}

# IMF World Economic Outlook / DataMapper.
IMF = {
    "NGDP_RPCH": "gdp_growth",
    "PCPIPCH": "inflation",
    "GGXCNL_NGDP": "fiscal_balance",
    "GGXWDG_NGDP": "public_debt",
}

# IMF Consumer Price Index dataset (dataflow IMF.STA:CPI on the IMF data portal, SDMX). Its series
# key is COUNTRY.INDEX_TYPE.COICOP_1999.TYPE_OF_TRANSFORMATION.FREQUENCY; econ's monthly ``cpi`` is
# the national CPI (not the HICP), all items (COICOP total ``_T``), as an index level (``IX``, not
# a percent change), monthly.
IMF_CPI = {("CPI", "_T", "IX", "M"): "cpi"}
IMF_CPI_DIMENSIONS = ("INDEX_TYPE", "COICOP_1999", "TYPE_OF_TRANSFORMATION", "FREQUENCY")

# ISO alpha-3 -> the IMF data portal's COUNTRY code. The portal codes countries by ISO alpha-3 (its
# 2025 beta used IFS numeric codes, 111 for the United States, as sdmx1's tests still show); the
# WAEMU members are listed so the mapping is explicit where econ's users need it. Aggregates (econ's
# WAEMU) have no CPI series there.
IMF_COUNTRIES = {iso3: iso3 for iso3 in ("BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO")}

# World Bank Global Database of Inflation: (series name, frequency of its columns) -> indicator.
GID = {
    ("headline consumer price index", "M"): "cpi",
    ("headline consumer price inflation", "A"): "inflation",
}

REFUSED = {
    "FP.CPI.TOTL": (
        "FP.CPI.TOTL is the World Bank's annual consumer price index (2010 = 100), but econ's cpi is "
        "monthly: leave these rows out (load FP.CPI.TOTL.ZG for annual inflation, or monthly CPI with "
        "`econ fetch wb-inflation`)"
    ),
}

# World Bank codes for regions, income groups and the like: in its downloads, not countries.
WB_NOT_COUNTRIES = frozenset(
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN "
    "LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA "
    "TSS UMC WLD CHI".split()
)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded names and codes -> indicator: our codes, WDI and IMF codes and names, FR/EN labels."""
    names: dict[str, str] = {}
    for code, ind in INDICATORS.items():
        for text in (code, ind.label_en, ind.label_fr):
            names.setdefault(fold(text), code)
            names.setdefault(fold(re.sub(r"\(.*?\)", "", text)), code)  # "Inflation (moyenne annuelle)"
    for table in (WDI, WDI_NAMES, IMF):
        for text, code in table.items():
            names.setdefault(fold(text), code)
    return names


def resolve_indicator(text: str) -> str | None:
    """econ's indicator code for a code, a publisher's code or a French/English label; None if unknown."""
    text = text.strip()
    if text in INDICATORS:
        return text
    if text.upper() in REFUSED:
        return None
    return _names().get(fold(text)) if text else None


def refusal(text: str) -> str | None:
    """Why a code that looks like ours is refused, or None."""
    return REFUSED.get(text.strip().upper())


def wdi_code(indicator: str) -> str | None:
    """The World Development Indicators series for one of our indicators (or a WDI code itself)."""
    if indicator.upper() in WDI:
        return indicator.upper()
    return next((wdi for wdi, ours in WDI.items() if ours == indicator), None)


def imf_code(indicator: str) -> str | None:
    """The IMF DataMapper series for one of our indicators (or an IMF code itself)."""
    if indicator.upper() in IMF:
        return indicator.upper()
    return next((imf for imf, ours in IMF.items() if ours == indicator), None)


def wdi_source(code: str) -> str:
    return f"World Bank, World Development Indicators ({code})"


def imf_country(iso3: str) -> str | None:
    """The IMF data portal's COUNTRY code for an ISO alpha-3 code; None for aggregates (WAEMU)."""
    if iso3 in IMF_COUNTRIES:
        return IMF_COUNTRIES[iso3]
    return iso3 if len(iso3) == 3 and iso3.isalpha() and iso3.isupper() else None


def iso3_from_imf(code: str) -> str | None:
    """The ISO alpha-3 code of an IMF COUNTRY code (None for the IMF's group codes such as G001)."""
    found = next((iso3 for iso3, imf in IMF_COUNTRIES.items() if imf == code), None)
    return found or (code if len(code) == 3 and code.isalpha() and code.isupper() else None)
