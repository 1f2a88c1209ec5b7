"""IMF Consumer Price Index dataset (dataflow IMF.STA:CPI, https://data.imf.org), through sdmx1: monthly CPI.

Refresh: ``econ fetch imf-cpi --country MLI --start 2000`` asks, through sdmx1's ``IMF_DATA`` source
(the IMF data portal's SDMX 2.1 API), once for all the countries:
``https://api.imf.org/external/sdmx/2.1/data/CPI/BEN+MLI.CPI._T.IX.M?startPeriod=2000`` and stores
the all-items index as ``cpi`` (periods ``YYYY-MM``). Offline, load monthly CPI from the World Bank
workbook (``econ ingest Inflation-data.xlsx``) or type the figures in the long CSV layout.

What the IMF's codes mean (``codes.IMF_CPI`` says which series econ reads):

- The series key is ``COUNTRY.INDEX_TYPE.COICOP_1999.TYPE_OF_TRANSFORMATION.FREQUENCY``. econ asks
  ``CPI`` (the national CPI, not ``HICP``), ``_T`` (all items; ``CP01`` ... ``CP12`` are the COICOP
  divisions), ``IX`` (the index level; ``POP_PCH_PA_PT``/``YOY_PCH_PA_PT`` are percent changes) and
  ``M`` (monthly). COUNTRY is ISO alpha-3 on this portal (``codes.IMF_COUNTRIES``); WAEMU as a whole
  has no series there, so it is refused before any request.
- ``COMMON_REFERENCE_PERIOD`` (series) and ``REFERENCE_PERIOD`` (observation) give the index base:
  ``2010A`` means 2010 average = 100. Each row's note says its base, so a rebasing shows; the World
  Bank workbook's index has its own base, so compare rates of change, not levels, across the two.
- ``SCALE`` is a display multiplier: values are already in units (the IMF's WEO answer gives
  94669000000 with SCALE 9), so it is not applied.

Quirks:

- Periods come as ``2024-M01``; they become ``2024-01``.
- A month the IMF has no figure for is absent or ``OBS_VALUE="NaN"``: it is left missing, never
  filled in. ``Batch.skipped`` counts the NaN months and the asked countries without a series.
- ``published``: the dataset's ``UPDATE_DATE`` or ``PUBLICATION_DATE`` (the later, as a day) when the
  data message carries them (the IMF's WEO messages do; the CPI dataset may keep them as reference
  metadata outside the data message); otherwise none, and the load time is the vintage. The header's
  ``Prepared`` is when the answer was generated, not a release, so it is never used.
- The message is read against ``structure()``, a small copy of the parts of IMF.STA:DSD_CPI econ
  needs, so no structure query is sent. If the IMF adds a component it lacks, sdmx1 refuses it
  (``KeyError``); the same bytes are then read without a structure (only the dataset-level dates
  are lost, said in each note).
- sdmx1 (2.28) prints its parser's state to stdout when a message does not parse, and cannot read
  SDMX-ML 2.1 ``<mes:Error>`` messages: econ silences the former and reads error texts itself.
- Given a structure, sdmx1 asks for structure-specific data (``Accept:
  application/vnd.sdmx.structurespecificdata+xml;version=2.1``), the form the portal serves.
- The flow is asked as ``CPI`` (sdmx1's ``IMF_DATA`` adds no agency; the portal resolves it to
  IMF.STA:CPI, latest version), as sdmx1's own tests of this source do.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO

import pandas as pd
import requests
import sdmx
from lxml import etree
from sdmx.exceptions import XMLParseError
from sdmx.model import common, v21

from econ.countries import resolve
from econ.schema import OBSERVATION_COLUMNS, empty_official
from econ.sources import codes, http, validate
from econ.sources.base import Batch, SourceUnavailable
from econ.sources.validate import Problems

SOURCE = "IMF, Consumer Price Index (CPI) dataset, IMF.STA:CPI"
FILE_NAME = "IMF.STA:CPI"
WAEMU = ["BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"]
HINT = (
    "Check the connection, or load monthly CPI from the World Bank workbook (`econ fetch wb-inflation`, "
    "or `econ ingest Inflation-data.xlsx`)"
)
SERIES = next(key for key, ours in codes.IMF_CPI.items() if ours == "cpi")  # ("CPI", "_T", "IX", "M")
DIMENSIONS = ["COUNTRY", *codes.IMF_CPI_DIMENSIONS]
ATTRIBUTES = [
    "SCALE", "DECIMALS_DISPLAYED", "OVERLAP", "COMMON_REFERENCE_PERIOD", "IFS_FLAG",  # series
    "REPORTING_PERIOD_TYPE", "TRANSFORMATION", "UNIT",  # attached to TYPE_OF_TRANSFORMATION
    "PRECISION", "DERIVATION_TYPE", "REFERENCE_PERIOD", "STATUS",  # observation
    "PUBLICATION_DATE", "UPDATE_DATE",  # data set
]
MONTH = re.compile(r"^(\d{4})-M?(\d{2})$")
COLUMNS = [*OBSERVATION_COLUMNS, "published"]


def new_session() -> requests.Session:
    """The HTTP session used when none is passed in (tests replace this factory)."""
    return requests.Session()


def structure() -> v21.DataStructureDefinition:
    """The parts of IMF.STA:DSD_CPI econ reads: dimensions in key order, the measure, known attributes."""
    dsd = v21.DataStructureDefinition(id="DSD_CPI", maintainer=common.Agency(id="IMF.STA"), version="5.0.0")
    for name in DIMENSIONS:
        dsd.dimensions.getdefault(name)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=common.TimeDimension)
    dsd.measures.getdefault("OBS_VALUE")
    for name in ATTRIBUTES:
        concept = common.Concept(id=name)
        concept.core_representation = common.Representation()  # sdmx1 looks for an enumeration there
        dsd.attributes.getdefault(name, concept_identity=concept)
    return dsd


class ImfCpi:
    """The IMF's CPI dataflow through sdmx1: the query for some countries, and the answer as text rows."""

    source_id = "IMF_DATA"
    flow = "CPI"

    def __init__(self, session: requests.Session, timeout: float = 60) -> None:
        self.client = sdmx.Client(self.source_id, session=session)
        self.timeout = timeout

    def query(self, countries: list[str], start: int | None) -> dict:
        """Client.get arguments: the key as a dict (sdmx1 checks it against ``structure()``), the start year."""
        wanted = dict(zip(codes.IMF_CPI_DIMENSIONS, SERIES))
        params = {"startPeriod": str(start)} if start else {}
        return {"key": {"COUNTRY": countries, **wanted}, "dsd": structure(), "params": params}

    def url(self, countries: list[str], start: int | None = None) -> str:
        return self.client.data(self.flow, **self.query(countries, start), dry_run=True).url

    def get(self, countries: list[str], start: int | None) -> tuple[sdmx.message.DataMessage, bytes, str]:
        """(message, raw bytes, URL) of the answer; SourceUnavailable when there is none to read."""
        url = self.url(countries, start)
        with tempfile.TemporaryFile() as raw, _quiet():
            try:
                message = self.client.data(
                    self.flow, **self.query(countries, start), tofile=raw, timeout=self.timeout,
                    headers={"User-Agent": http.USER_AGENT},
                )
            except XMLParseError as err:
                message = _reread(raw, url, err)
            except (requests.RequestException, NotImplementedError, ValueError, AssertionError) as err:
                raise SourceUnavailable(url, self._reason(err), HINT) from None
            raw.seek(0)
            return message, raw.read(), url

    def _reason(self, err: Exception) -> str:
        """What went wrong, in the user's words: the request failed, or sdmx1 found no SDMX to read."""
        if isinstance(err, requests.Timeout):
            return f"no answer within {self.timeout:g} s"
        if isinstance(err, requests.HTTPError):
            return _http_reason(err.response)
        if isinstance(err, requests.RequestException):
            return f"unreachable ({type(err).__name__}: offline?)"
        if isinstance(err, NotImplementedError):  # sdmx1's reading of HTTP 501
            return "HTTP 501: the IMF does not serve this query"
        if isinstance(err, ValueError):  # no SDMX reader for the content type (an HTML page, say)
            return f"the answer is not SDMX ({err})"
        return f"the answer could not be read as SDMX-ML ({err})"  # sdmx1 asserts an XML answer is SDMX-ML

    def series_reference(self, country: str) -> str:
        """The stable address of one country's series (no start year), the ``reference`` of its rows."""
        return f"{self.client.source.url}/data/{self.flow}/{'.'.join([country, *SERIES])}"

    def rows(self, message: sdmx.message.DataMessage, asked: list[str]) -> tuple[list[dict], dict[str, int]]:
        """Text rows of each country's monthly all-items index, and what was left out (counted by reason)."""
        rows, skipped, seen = [], {}, set()
        for dataset in message.data:
            published = _published(dataset)
            for key, observations in dataset.series.items():
                fields = _texts(key)
                country = codes.iso3_from_imf(fields.get("COUNTRY", ""))
                series = tuple(fields.get(d, "") for d in codes.IMF_CPI_DIMENSIONS)
                if codes.IMF_CPI.get(series) is None or country is None or resolve(country) != country:
                    what = f"series other than a country's monthly all-items index ({fields.get('COUNTRY')})"
                    _count(skipped, what, len(observations))
                    continue
                seen.add(country)
                reference = self.series_reference(codes.imf_country(country))
                for obs in observations:
                    row = _row(obs, country, fields.get("COMMON_REFERENCE_PERIOD"), published, reference)
                    if row is None:
                        _count(skipped, "months without a value (left missing)", 1)
                    else:
                        rows.append(row)
        if missing := [c for c in asked if c not in seen]:
            _count(skipped, f"countries without an IMF monthly CPI series ({' '.join(missing)})", len(missing))
        return rows, skipped


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """sdmx1 prints its parser's state on stdout when a message does not parse, and warns when it reads
    structure-specific data without a structure: neither is for the user (the error line says it)."""
    logger = logging.getLogger("sdmx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        logger.setLevel(level)


def _reread(raw: IO[bytes], url: str, err: XMLParseError) -> sdmx.message.DataMessage:
    """A message with a component ``structure()`` lacks is read again without it; anything else is an error."""
    raw.seek(0)
    body = raw.read()
    if error := sdmx_error(body):
        raise SourceUnavailable(url, f"the IMF answered with an SDMX error: {error}", HINT) from None
    if not isinstance(err.__cause__, KeyError):
        raise SourceUnavailable(url, f"the answer could not be read as SDMX-ML ({err})", HINT) from None
    try:
        message = sdmx.read_sdmx(io.BytesIO(body))
    except Exception as again:  # noqa: BLE001 - whatever sdmx1 raises, the user gets one line
        raise SourceUnavailable(url, f"the answer could not be read as SDMX-ML ({again})", HINT) from None
    if not isinstance(message, sdmx.message.DataMessage):
        raise SourceUnavailable(url, f"the answer is an SDMX {type(message).__name__}, not data", HINT)
    return message


def sdmx_error(body: bytes) -> str | None:
    """The code and text of an SDMX-ML error message (``<mes:Error><mes:ErrorMessage code=...>``), or None."""
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    if etree.QName(root).localname != "Error":
        return None
    found = []
    for item in root.iter("{*}ErrorMessage"):
        text = " ".join(" ".join(t.text.split()) for t in item.iter("{*}Text") if t.text)
        found.append(f"{item.get('code', '')} {text}".strip())
    return "; ".join(found) or "no text"


def _http_reason(response: requests.Response) -> str:
    reason = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    error = sdmx_error(response.content or b"")
    return f"{reason}: {error}" if error else reason


def fetch(countries: list[str] | None = None, start: int | None = 1990, session: requests.Session | None = None, *,
          today: date | None = None, timeout: float = 60) -> Batch:
    """The monthly all-items CPI of the countries asked (codes or names; default the eight WAEMU members)."""
    today = today or date.today()
    iso3 = _countries(countries or WAEMU, start, today)
    own = session is None
    session = session or new_session()
    try:
        provider = ImfCpi(session, timeout)
        message, raw, url = provider.get([codes.imf_country(c) for c in iso3], start)
    finally:
        if own:
            session.close()
    rows, skipped = provider.rows(message, iso3)
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype="str")
    if frame["published"].isna().all():
        frame = frame.drop(columns="published")
    observations = validate.observations(frame, None, {c: c for c in frame.columns}, url, today)
    return Batch(observations, empty_official(), "imf-cpi", file_name=FILE_NAME, checksum=http.sha256(raw),
                 skipped=skipped, url=url)


def _countries(names: list[str], start: int | None, today: date) -> list[str]:
    """ISO alpha-3 codes of the countries asked; InputError for unknown names, aggregates, a bad year."""
    problems = Problems("imf-cpi")
    iso3 = []
    for name in names:
        code = resolve(name)
        if code is None:
            problems.add(None, "country", f"unknown country {name!r}")
        elif codes.imf_country(code) is None:
            problems.add(None, "country", f"{code} has no series in the IMF CPI dataset: ask for its members")
        else:
            iso3.append(code)
    if start is not None and not 1900 <= start <= today.year:
        problems.add(None, "start", f"{start} is not a year between 1900 and {today.year}")
    problems.raise_if_any()
    return list(dict.fromkeys(iso3))


def _row(obs: common.BaseObservation, country: str, base: str | None, published: str | None, reference: str) -> dict | None:
    """One observation as text cells, or None when the IMF gives no value for the month."""
    value = obs.value
    if value is None or str(value).strip().lower() in ("", "nan"):
        return None
    attached = {name: str(av.value) for name, av in (obs.attached_attribute or {}).items()}
    period = str(obs.dimension.values["TIME_PERIOD"].value)
    month = MONTH.match(period)
    reference_period = attached.get("REFERENCE_PERIOD") or base
    note = f"all items (COICOP_1999 _T), index {_base(reference_period)}"
    if published is None:
        note += "; the answer gives no release date (vintage: load time)"
    return {
        "country": country, "indicator": "cpi", "period": f"{month[1]}-{month[2]}" if month else period,
        "value": str(value), "unit": "index", "source": SOURCE, "reference": reference, "note": note,
        "published": published,
    }


def _base(reference_period: str | None) -> str:
    if not reference_period:
        return "(reference period not given)"
    return f"{reference_period.removesuffix('A')} = 100"


def _texts(key: common.SeriesKey) -> dict[str, str]:
    """A series key's dimension and attribute values as text (read with or without the structure, the
    IMF's series attributes land in one or the other)."""
    return {name: str(kv.value) for name, kv in [*key.attrib.items(), *key.values.items()]}


def _published(dataset: common.BaseDataSet) -> str | None:
    """The later of the data set's UPDATE_DATE and PUBLICATION_DATE, as a day (``2025-11-19``), or None."""
    attrib = getattr(dataset, "attrib", None) or {}
    days = [str(attrib[name].value)[:10] for name in ("UPDATE_DATE", "PUBLICATION_DATE") if name in attrib]
    days = [d for d in days if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    return max(days) if days else None


def _count(skipped: dict[str, int], what: str, n: int) -> None:
    skipped[what] = skipped.get(what, 0) + n
