"""What the URL holds: country, indicator, language and vintage. A copied link opens the same view.

Values from the URL are checked, not trusted: an unknown country or indicator falls back to the
default rather than failing, and a vintage must be an ISO date.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlencode

from econ.countries import is_known
from econ.i18n import lang_or_default
from econ.schema import INDICATORS

DEFAULT_COUNTRY = "MLI"
DEFAULT_INDICATOR = "inflation"
KEYS = ("country", "indicator", "lang", "vintage")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ViewState:
    country: str = DEFAULT_COUNTRY
    indicator: str = DEFAULT_INDICATOR
    lang: str = "fr"
    vintage: str | None = None

    def query(self, **changes) -> str:
        """``?country=MLI&indicator=inflation&lang=fr`` (the vintage only when one is chosen)."""
        values = asdict(replace(self, **changes))
        return "?" + urlencode({k: v for k, v in values.items() if v})

    def href(self, path: str, **changes) -> str:
        return path + self.query(**changes)


def from_query(query: dict) -> ViewState:
    """The state a page was opened with (Dash pages pass the query string as keyword arguments),
    or a callback was sent: either way client input, so every value is checked."""
    country = str(query.get("country") or "").upper()
    indicator = str(query.get("indicator") or "")
    vintage = str(query.get("vintage") or "")
    return ViewState(
        country=country if country and is_known(country) else DEFAULT_COUNTRY,
        indicator=indicator if indicator in INDICATORS else DEFAULT_INDICATOR,
        lang=lang_or_default(query.get("lang")),
        vintage=vintage if _DATE.match(vintage) else None,
    )
