"""What the URL holds: country, indicator, language, vintage, the compared members and the gold path.
A copied link opens the same view, downloads included.

Values from the URL are checked, not trusted: an unknown country or indicator falls back to the
default rather than failing, a vintage must be an ISO date, a gold path must read
``2025:70,2026:80`` (four-digit years, tonnes not negative), compared members must be known codes.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlencode

from econ.countries import is_known
from econ.i18n import lang_or_default
from econ.schema import INDICATORS, WAEMU

DEFAULT_COUNTRY = "MLI"
DEFAULT_INDICATOR = "inflation"
DEFAULT_COMPARED = ("MLI", "SEN", "BFA")
KEYS = ("country", "indicator", "lang", "vintage", "countries", "gold")
MAX_COMPARED = len(WAEMU)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class ViewState:
    country: str = DEFAULT_COUNTRY
    indicator: str = DEFAULT_INDICATOR
    lang: str = "fr"
    vintage: str | None = None
    countries: str | None = None  # the Compare page's members, "MLI,SEN,BFA"
    gold: str | None = None  # the Scenarios page's gold path, "2025:70,2026:80"

    def query(self, **changes) -> str:
        """``?country=MLI&indicator=inflation&lang=fr`` (vintage, members and gold path only when set)."""
        values = asdict(replace(self, **changes))
        return "?" + urlencode({k: v for k, v in values.items() if v})

    def href(self, path: str, **changes) -> str:
        return path + self.query(**changes)

    @property
    def compared(self) -> list[str]:
        return self.countries.split(",") if self.countries else list(DEFAULT_COMPARED)

    @property
    def gold_path(self) -> dict[str, float]:
        return parse_gold(self.gold) or {}


def parse_gold(raw) -> dict[str, float] | None:
    """``2025:70,2026:80`` as ``{"2025": 70.0, "2026": 80.0}``; None when anything in it is not a
    four-digit year and a finite, non-negative number of tonnes (a link that lies changes nothing)."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    path: dict[str, float] = {}
    for item in raw.split(",")[:50]:
        year, sep, tonnes = (part.strip() for part in item.partition(":"))
        try:
            value = float(tonnes)
        except ValueError:
            return None
        if not sep or not _YEAR.match(year) or not math.isfinite(value) or value < 0 or year in path:
            return None
        path[year] = value
    return path


def gold_text(path: dict[str, float]) -> str | None:
    """The inverse of ``parse_gold``: ``2025:70,2026:80.5`` (``None`` for an empty path)."""
    return ",".join(f"{year}:{tonnes:g}" for year, tonnes in path.items()) or None


def parse_countries(raw) -> str | None:
    """``MLI,SEN`` (or a list from a checklist) as a checked, de-duplicated ``MLI,SEN``; None when empty."""
    items = raw if isinstance(raw, (list, tuple)) else str(raw or "").split(",")
    codes = [str(c).strip().upper() for c in items if str(c).strip()]
    known = [c for c in dict.fromkeys(codes) if is_known(c)][:MAX_COMPARED]
    return ",".join(known) or None


def from_query(query: dict) -> ViewState:
    """The state a page was opened with (Dash pages pass the query string as keyword arguments),
    or a callback was sent: either way client input, so every value is checked."""
    country = str(query.get("country") or "").upper()
    indicator = str(query.get("indicator") or "")
    vintage = str(query.get("vintage") or query.get("as_of") or "")  # as_of: the API's name for it
    gold = parse_gold(query.get("gold"))
    return ViewState(
        country=country if country and is_known(country) else DEFAULT_COUNTRY,
        indicator=indicator if indicator in INDICATORS else DEFAULT_INDICATOR,
        lang=lang_or_default(query.get("lang")),
        vintage=vintage if _DATE.match(vintage) else None,
        countries=parse_countries(query.get("countries")),
        gold=gold_text(gold) if gold else None,
    )
