"""IMF DataMapper API (World Economic Outlook figures), JSON.

Refresh: ``econ fetch imf --indicator gdp_growth --country MLI ...`` asks
``https://www.imf.org/external/datamapper/api/v1/NGDP_RPCH/MLI/SEN`` once per series
(``codes.IMF``: NGDP_RPCH gdp_growth, PCPIPCH inflation, GGXCNL_NGDP fiscal_balance,
GGXWDG_NGDP public_debt). Offline, download the WEO database from
https://www.imf.org/en/Publications/WEO and load the figures with ``econ ingest FILE``
(actuals in the long layout, projections in the official projections layout).

Quirks:

- The answer is ``{"values": {"NGDP_RPCH": {"MLI": {"2020": -1.2, ...}}}}``; a country
  without data is simply absent, and a missing year may be ``null``.
- DataMapper mixes actuals with the current WEO's projections and does not say where one
  ends: years before the current year are kept as observations, the current year and later
  become official projections (publisher "IMF", published = this month, reference
  "IMF DataMapper API"). The last year or two of "observations" may still be IMF estimates;
  the note on each row says where it came from.
- The API refuses some clients without a User-Agent; ``http.get`` always sends one.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from econ.schema import empty_observations, empty_official
from econ.sources import apis, codes, http, validate
from econ.sources.base import Batch, SourceUnavailable

BASE = "https://www.imf.org/external/datamapper/api/v1"
HINT = (
    "Check the connection, or download the figures from https://www.imf.org/external/datamapper and load them "
    "with `econ ingest FILE` (projections in the official projections layout)"
)
PUBLISHER, REFERENCE = "IMF", "IMF DataMapper API"


def series_url(code: str, countries: list[str]) -> str:
    return f"{BASE}/{code}/{'/'.join(countries)}"


def fetch(indicators: list[str], countries: list[str], session=None, *, today: date | None = None,
          timeout: float = 30) -> Batch:
    """Observations (years before this one) and IMF projections (this year on) for the series asked."""
    today = today or date.today()
    available = list(dict.fromkeys(codes.IMF.values()))
    pairs, iso3 = apis.requested("imf", indicators, countries, codes.imf_code, available)
    observed, projected, urls, raw = [], [], [], b""
    for _, code in pairs:
        url = series_url(code, iso3)
        payload, body = http.get_json(session, url, timeout, HINT)
        rows = _rows(payload, code, url)
        past = rows["period"].astype(int) < today.year
        observed.append(_observations(rows[past], code, url, today))
        projected.append(_projections(rows[~past], code, url, today))
        urls.append(url)
        raw += body
    return Batch(_concat(observed, empty_observations()), _concat(projected, empty_official()), "imf",
                 checksum=http.sha256(raw), url=" ".join(urls))


def _rows(payload: object, code: str, url: str) -> pd.DataFrame:
    """(country, indicator, period, value) text rows from the ``values`` object; nulls left out."""
    values = payload.get("values") if isinstance(payload, dict) else None
    if not isinstance(values, dict):
        raise SourceUnavailable(url, "the answer has no 'values' object (the API may have changed)", HINT)
    series = values.get(code) or {}
    rows = [
        (country, codes.IMF[code], str(year), str(value))
        for country, years in series.items() if isinstance(years, dict)
        for year, value in years.items() if value is not None and str(year).isdigit()
    ]
    return pd.DataFrame(rows, columns=["country", "indicator", "period", "value"], dtype="str")


def _observations(rows: pd.DataFrame, code: str, url: str, today: date) -> pd.DataFrame:
    rows = rows.assign(source=f"IMF DataMapper (World Economic Outlook), {code}", reference=url,
                       note=f"retrieved {today.isoformat()}; recent years may be IMF estimates")
    return validate.observations(rows.reset_index(drop=True), None, _labels(), url, today)


def _projections(rows: pd.DataFrame, code: str, url: str, today: date) -> pd.DataFrame:
    rows = rows.rename(columns={"period": "target"}).assign(
        publisher=PUBLISHER, published=today.strftime("%Y-%m"), reference=REFERENCE,
        note=f"{code} as shown by DataMapper on {today.isoformat()} ({url})",
    )
    labels = _labels() | {"target": "period", "publisher": "publisher", "published": "published"}
    return validate.official(rows.reset_index(drop=True), None, labels, url, today)


def _labels() -> dict[str, str]:
    return {c: c for c in ("country", "indicator", "period", "value")}


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty
