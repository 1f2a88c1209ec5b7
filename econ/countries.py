"""Countries: ISO 3166 alpha-3 codes with French and English names, and the names users type.

Names come from pycountry (the ISO 3166 tables and their Debian iso-codes translations), so
``Côte d'Ivoire``, ``Cote d'Ivoire``, ``Ivory Coast``, ``CI`` and ``civ`` all resolve to ``CIV``.

What is folded, explicitly: case, accents (composed or not), punctuation, the no-break spaces
French typing puts in names and typographic apostrophes. What is refused, never silently
stripped: invisible format characters (right-to-left and left-to-right marks, zero-width
joiners, bidi embeddings and isolates, a byte-order mark inside the text), control characters,
symbols and emoji. ``M\u200fali`` looks like "Mali" on screen; reading it as Mali would hide a
file that was tampered with or damaged, so ``resolve`` answers None and ``refusal`` says why.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry

from econ.schema import AGGREGATES

# Names seen in World Bank, IMF and West African files that ISO does not list.
_ALIASES = {
    "ivory coast": "CIV",
    "cote divoire": "CIV",
    "cote d ivoire": "CIV",
    "guinee bissau": "GNB",
    "guinea bissau": "GNB",
    "senegal": "SEN",
    "niger": "NER",
    "burkina": "BFA",
    "cape verde": "CPV",
    "turkey": "TUR",
    "russia": "RUS",
    "korea rep": "KOR",
    "south korea": "KOR",
    "iran islamic rep": "IRN",
    "egypt arab rep": "EGY",
    "congo dem rep": "COD",
    "congo rep": "COG",
    "gambia the": "GMB",
    "bahamas the": "BHS",
    "yemen rep": "YEM",
    "venezuela rb": "VEN",
    "lao pdr": "LAO",
    "kyrgyz republic": "KGZ",
    "slovak republic": "SVK",
    "hong kong sar china": "HKG",
    "macao sar china": "MAC",
    "kosovo": "XKX",
    "uemoa": "WAEMU",
    "waemu": "WAEMU",
    "union economique et monetaire ouest africaine": "WAEMU",
    "west african economic and monetary union": "WAEMU",
}

_FR_OVERRIDES = {"XKX": "Kosovo", "WAEMU": "UEMOA"}
_EN_OVERRIDES = {"XKX": "Kosovo", "WAEMU": "WAEMU"}


def _fold(text: str) -> str:
    """Lower case, accents and punctuation gone: how two spellings of one name are compared."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = "".join(ch if ch.isalnum() else " " for ch in text.replace("'", "").replace("’", ""))
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _french() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:  # a pycountry without its locales still gives English names
        return gettext.NullTranslations()


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    fr = _french()
    for c in pycountry.countries:
        names = [c.alpha_3, c.alpha_2, c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")]
        names += [fr.gettext(n) for n in names[2:] if n]
        for n in names:
            if n:
                index.setdefault(_fold(n), c.alpha_3)
    index.update(_ALIASES)
    for code in AGGREGATES:
        index[_fold(code)] = code
    index["xkx"] = "XKX"
    return index


# Unicode categories a country name may hold: letters, combining marks (decomposed accents),
# digits, punctuation and spaces. Everything else (C*, S*, Zl, Zp) is refused.
_ALLOWED_CATEGORIES = ("L", "M", "N", "P", "Zs")


def refusal(text: str) -> str | None:
    """Why a name cannot be a country name as typed (its first unusable character), or None."""
    for ch in str(text):
        if not unicodedata.category(ch).startswith(_ALLOWED_CATEGORIES):
            label = unicodedata.name(ch, "(a control character)")
            kind = "an invisible or control character" if unicodedata.category(ch)[0] in "CZ" else "a symbol"
            return f"contains {kind}, U+{ord(ch):04X} {label}: type the name or code without it"
    return None


def resolve(name: str) -> str | None:
    """The alpha-3 code for a code or a French or English name, or None when unknown or refused."""
    if name is None or refusal(str(name)):
        return None
    return _index().get(_fold(str(name)))


def codes() -> list[str]:
    """Every code ``resolve`` can answer: ISO 3166 alpha-3, Kosovo's XKX and the aggregates (WAEMU)."""
    return sorted({c.alpha_3 for c in pycountry.countries} | set(AGGREGATES) | {"XKX"})


def is_known(code: str) -> bool:
    return code in AGGREGATES or code == "XKX" or pycountry.countries.get(alpha_3=code) is not None


def name(code: str, lang: str = "fr") -> str:
    """The country's common name in French or English (the code itself when unknown)."""
    overrides = _FR_OVERRIDES if lang == "fr" else _EN_OVERRIDES
    if code in overrides:
        return overrides[code]
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return code
    english = getattr(c, "common_name", None) or c.name
    return _french().gettext(c.name) if lang == "fr" else english
