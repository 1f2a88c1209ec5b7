"""World Bank, World Development Indicators, through the v2 API (JSON).

Refresh: ``econ fetch worldbank --indicator gdp_growth --country MLI ...`` asks
``https://api.worldbank.org/v2/country/MLI;SEN/indicator/NY.GDP.MKTP.KD.ZG?format=json&date=2000:2024&per_page=20000``
once per series (``codes.WDI`` says which series). Offline, download the series as CSV
from https://data.worldbank.org and load it with ``econ ingest FILE`` (the wide loader
reads World Bank downloads as they come).

Quirks:

- The answer is ``[meta, rows]``; ``meta`` has ``pages`` and ``lastupdated``. Errors come back
  with HTTP 200 as ``[{"message": [...]}]``. A series with no data has ``rows`` = null.
- Rows carry ``countryiso3code`` (empty for some aggregates) and ``country.id`` (ISO2).
- Missing years are listed with ``"value": null``: left out.
- ``public_debt`` maps to central government debt (GC.DOD.TOTL.GD.ZS), the closest WDI
  series; the annual CPI level FP.CPI.TOTL is not offered (econ's ``cpi`` is monthly).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from econ.schema import empty_observations, empty_official
from econ.sources import apis, codes, http, validate
from econ.sources.base import Batch, SourceUnavailable

BASE = "https://api.worldbank.org/v2"
HINT = (
    "Check the connection, or download the series as CSV from https://data.worldbank.org "
    "and load it with `econ ingest FILE`"
)
PER_PAGE = 20000
COLUMNS = ["country", "indicator", "period", "value", "source", "reference", "note"]


def series_url(code: str, countries: list[str], start: int, end: int) -> str:
    return f"{BASE}/country/{';'.join(countries)}/indicator/{code}?format=json&date={start}:{end}&per_page={PER_PAGE}"


def fetch(indicators: list[str], countries: list[str], start: int, end: int, session=None, *,
          today: date | None = None, timeout: float = 30) -> Batch:
    """Observations for our indicators (or WDI codes) and countries (codes or names), start..end."""
    available = list(dict.fromkeys(codes.WDI.values()))
    pairs, iso3 = apis.requested("worldbank", indicators, countries, codes.wdi_code, available)
    frames, urls, raw = [], [], b""
    for _, code in pairs:
        url = series_url(code, iso3, start, end)
        rows = []
        for meta, page_rows, page_raw in _pages(session, url, timeout):
            note = f"WDI last updated {meta['lastupdated']}" if meta.get("lastupdated") else ""
            rows += [_row(r, code, url, note) for r in page_rows if isinstance(r, dict) and r.get("value") is not None]
            raw += page_raw
        frame = pd.DataFrame(rows, columns=COLUMNS, dtype="str")
        frames.append(validate.observations(frame, None, {c: c for c in COLUMNS}, url, today or date.today()))
        urls.append(url)
    observations = pd.concat(frames, ignore_index=True) if frames else empty_observations()
    return Batch(observations, empty_official(), "worldbank", checksum=http.sha256(raw), url=" ".join(urls))


def _pages(session, url: str, timeout: float):
    """Every page of one series: yields (meta, rows, raw bytes)."""
    page, pages = 1, 1
    while page <= pages:
        payload, raw = http.get_json(session, f"{url}&page={page}", timeout, HINT)
        meta = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(meta, dict) or "message" in meta or len(payload) < 2:
            raise SourceUnavailable(url, f"the API answered with an error: {_message(meta)}", HINT)
        pages = int(meta.get("pages") or 1)
        yield meta, payload[1] or [], raw
        page += 1


def _message(meta: object) -> str:
    if isinstance(meta, dict) and isinstance(meta.get("message"), list):
        return "; ".join(str(m.get("value", m)) for m in meta["message"] if isinstance(m, dict)) or str(meta)
    return repr(meta)[:200]


def _row(record: dict, code: str, url: str, note: str) -> dict:
    country = record.get("countryiso3code") or (record.get("country") or {}).get("id", "")
    return {
        "country": str(country), "indicator": codes.WDI[code], "period": str(record.get("date", "")),
        "value": str(record["value"]), "source": codes.wdi_source(code), "reference": url, "note": note,
    }
