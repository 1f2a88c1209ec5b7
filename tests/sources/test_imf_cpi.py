"""The IMF CPI dataset through sdmx1, on hand-made answers shaped as the IMF serves them (see
tests/fixtures/sources/imf_cpi/README.md): the query, the tidy rows, the errors, the CLI end to end."""

from __future__ import annotations

import json
import re

import pytest
import requests
from typer.testing import CliRunner

from econ.cli import app
from econ.schema import InputError, check_observations
from econ.sources import LIVE_SOURCES, SourceUnavailable, imf_cpi

from .conftest import FIXTURES, Recorded

URL = "https://api.imf.org/external/sdmx/2.1/data/CPI/BEN+MLI.CPI._T.IX.M?startPeriod=2024"
SERIES = "https://api.imf.org/external/sdmx/2.1/data/CPI/{}.CPI._T.IX.M"
SS = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
SOURCE = "IMF, Consumer Price Index (CPI) dataset, IMF.STA:CPI"
NOTE = "all items (COICOP_1999 _T), index 2010 = 100; the answer gives no release date (vintage: load time)"
ANSWER = (FIXTURES / "imf_cpi" / "data_BEN_MLI.xml").read_bytes()
ERROR = (FIXTURES / "imf_cpi" / "error_no_results.xml").read_bytes()
DATED = ANSWER.replace(
    b'action="Replace">', b'action="Replace" UPDATE_DATE="2025-09-30T21:00:00Z" PUBLICATION_DATE="2025-03-31T13:00:00Z">'
)


class Asked(Recorded):
    """Recorded answers that also keep each request's headers and timeout."""

    def send(self, request, **kwargs):
        self.requests = [*getattr(self, "requests", []), (dict(request.headers), kwargs.get("timeout"))]
        return super().send(request, **kwargs)


def session_for(answers: dict, **kwargs) -> tuple[requests.Session, Asked]:
    adapter = Asked(answers, **{"content_type": SS, **kwargs})
    session = requests.Session()
    session.mount("https://", adapter)
    return session, adapter


def fixture_rows() -> list[tuple[str, str, float]]:
    """(country, YYYY-MM, value) of every observation with a figure, read from the XML independently."""
    rows = []
    for country, body in re.findall(rb'<Series COUNTRY="(\w+)".*?>(.*?)</Series>', ANSWER, re.S):
        for year, month, value in re.findall(rb'TIME_PERIOD="(\d{4})-M(\d{2})" OBS_VALUE="([^"]*)"', body):
            if value != b"NaN":
                rows.append((country.decode(), f"{year.decode()}-{month.decode()}", float(value)))
    return rows


def test_the_recorded_answer_becomes_exactly_the_tidy_rows(today):
    session, adapter = session_for({URL: ANSWER})
    batch = imf_cpi.fetch(["BEN", "Mali"], 2024, session, today=today)
    frame = batch.observations
    assert adapter.asked == [URL]
    assert list(frame.columns) == ["country", "indicator", "period", "value", "unit", "source", "reference", "note"]
    assert list(zip(frame["country"], frame["period"], frame["value"])) == fixture_rows()
    assert len(frame) == 38  # 2 x 20 months, less Benin's absent July 2024 and Mali's NaN March 2025
    assert frame.iloc[0].to_dict() == {
        "country": "BEN", "indicator": "cpi", "period": "2024-01", "value": 112.5809435344457, "unit": "index",
        "source": SOURCE, "reference": SERIES.format("BEN"), "note": NOTE,
    }
    assert frame.iloc[-1][["country", "period", "value", "reference"]].tolist() == [
        "MLI", "2025-08", 126.0556938674293, SERIES.format("MLI"),
    ]
    assert "2024-07" not in set(frame.query("country == 'BEN'")["period"])
    assert "2025-03" not in set(frame.query("country == 'MLI'")["period"])  # missing months stay missing
    assert set(frame["indicator"]) == {"cpi"} and set(frame["unit"]) == {"index"} and set(frame["source"]) == {SOURCE}
    assert batch.skipped == {"months without a value (left missing)": 1}
    assert batch.kind == "imf-cpi" and batch.url == URL and batch.official.empty
    assert batch.file_name == "IMF.STA:CPI" and len(batch.checksum) == 64
    check_observations(frame)


def test_the_request_is_the_key_the_imf_expects(today):
    session, adapter = session_for({URL: ANSWER})
    imf_cpi.fetch(["Bénin", "MLI", "mali"], 2024, session, today=today, timeout=12)
    headers, timeout = adapter.requests[0]
    assert adapter.asked == [URL]  # COUNTRY.INDEX_TYPE.COICOP_1999.TYPE_OF_TRANSFORMATION.FREQUENCY, Mali once
    assert headers["Accept"] == SS and headers["User-Agent"].startswith("econ/") and timeout == 12
    provider = imf_cpi.ImfCpi(requests.Session())
    assert provider.url(imf_cpi.WAEMU, 1990) == (
        "https://api.imf.org/external/sdmx/2.1/data/CPI/BEN+BFA+CIV+GNB+MLI+NER+SEN+TGO.CPI._T.IX.M?startPeriod=1990"
    )
    assert provider.url(["SEN"]) == SERIES.format("SEN")


def test_the_data_sets_release_date_becomes_published(today):
    session, _ = session_for({URL: DATED})
    frame = imf_cpi.fetch(["BEN", "MLI"], 2024, session, today=today).observations
    assert set(frame["published"]) == {"2025-09-30"}  # the later of UPDATE_DATE and PUBLICATION_DATE, as a day
    assert set(frame["note"]) == {"all items (COICOP_1999 _T), index 2010 = 100"}
    check_observations(frame)


def test_a_component_econ_does_not_know_is_read_without_the_structure(today, capsys):
    changed = DATED.replace(b'IFS_FLAG="true"', b'IFS_FLAG="true" NEW_ATTRIBUTE="x"', 1)
    session, _ = session_for({URL: changed})
    batch = imf_cpi.fetch(["BEN", "MLI"], 2024, session, today=today)
    assert list(zip(batch.observations["country"], batch.observations["period"], batch.observations["value"])) == (
        fixture_rows()
    )
    assert "published" not in batch.observations and set(batch.observations["note"]) == {NOTE}  # dates lost, said
    assert capsys.readouterr() == ("", "")  # sdmx1's parser dump and warning are kept from the user


def test_asked_countries_without_a_series_are_counted(today):
    url = "https://api.imf.org/external/sdmx/2.1/data/CPI/BEN+MLI+NER.CPI._T.IX.M?startPeriod=2024"
    session, _ = session_for({url: ANSWER})
    batch = imf_cpi.fetch(["BEN", "MLI", "NER"], 2024, session, today=today)
    assert batch.skipped == {
        "months without a value (left missing)": 1, "countries without an IMF monthly CPI series (NER)": 1,
    }


@pytest.mark.parametrize("status", [404, 200])
def test_an_sdmx_error_answer_says_what_the_imf_said(today, status):
    session, _ = session_for({URL: ERROR}, status=status, content_type="application/xml")
    with pytest.raises(SourceUnavailable) as err:
        imf_cpi.fetch(["BEN", "MLI"], 2024, session, today=today)
    assert err.value.url == URL
    assert err.value.reason == {
        404: "HTTP 404 Error: 100 No Results Found", 200: "the IMF answered with an SDMX error: 100 No Results Found",
    }[status]


def test_offline_names_the_url_and_the_way_out(today):
    session, _ = session_for({URL: requests.ConnectionError("Name or service not known")})
    with pytest.raises(SourceUnavailable) as err:
        imf_cpi.fetch(["BEN", "MLI"], 2024, session, today=today)
    assert str(err.value) == (
        f"{URL}: unreachable (ConnectionError: offline?). Check the connection, or load monthly CPI from the World "
        "Bank workbook (`econ fetch wb-inflation`, or `econ ingest Inflation-data.xlsx`)"
    )


@pytest.mark.parametrize(
    ("answer", "status", "content_type", "reason"),
    [
        (requests.ReadTimeout("read timed out"), 200, SS, "no answer within 60 s"),
        (b"<html>Service Unavailable</html>", 503, "text/html", "HTTP 503 Error"),
        (b"<html>maintenance</html>", 200, "text/html",
         "the answer is not SDMX (can't determine a reader for response content type 'text/html')"),
        (ANSWER[:900], 200, SS, "the answer could not be read as SDMX-ML (XMLSyntaxError: "),
    ],
)
def test_timeouts_and_answers_that_are_not_data(today, answer, status, content_type, reason):
    session, _ = session_for({URL: answer}, status=status, content_type=content_type)
    with pytest.raises(SourceUnavailable) as err:
        imf_cpi.fetch(["BEN", "MLI"], 2024, session, today=today)
    assert err.value.reason.startswith(reason)


def test_unknown_countries_aggregates_and_years_are_refused_before_any_request(today):
    session, adapter = session_for({})
    with pytest.raises(InputError) as err:
        imf_cpi.fetch(["Atlantis", "UEMOA"], 2031, session, today=today)
    assert [str(p) for p in err.value.problems] == [
        "imf-cpi: country: unknown country 'Atlantis'",
        "imf-cpi: country: WAEMU has no series in the IMF CPI dataset: ask for its members",
        "imf-cpi: start: 2031 is not a year between 1900 and 2025",
    ]
    assert adapter.asked == []


def test_the_registry_offers_it():
    assert LIVE_SOURCES["imf-cpi"].fetch is imf_cpi.fetch


# --- the command, end to end on the recorded answer --------------------------------------------

runner = CliRunner()


def econ(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_fetch_imf_cpi_stores_the_cpi_then_finds_it_unchanged(monkeypatch):
    monkeypatch.setattr(imf_cpi, "new_session", lambda: session_for({URL: ANSWER})[0])
    assert econ("init").exit_code == 0
    first = econ("fetch", "imf-cpi", "--country", "BEN", "--country", "MLI", "--start", "2024")
    assert first.exit_code == 0, first.output
    assert "IMF CPI: left out months without a value (left missing): 1" in first.stdout
    assert "IMF.STA:CPI (imf-cpi): 38 added, 0 revised, 0 unchanged; periods 2024-01–2025-08; countries BEN MLI" in (
        first.stdout
    )
    assert first.stdout.strip().endswith("38 rows added, 0 revised, 0 unchanged")

    again = econ("fetch", "imf-cpi", "-c", "BEN", "-c", "MLI", "--start", "2024", "--json")
    assert again.exit_code == 0, again.output
    [summary] = json.loads(again.stdout)
    assert summary["observations"] == {"added": 0, "revised": 0, "unchanged": 38} and summary["kind"] == "imf-cpi"

    stored = json.loads(econ("observations", "--country", "MLI", "--indicator", "cpi", "--json").stdout)
    assert [d["period"] for d in stored["data"]][:3] == ["2024-01", "2024-02", "2024-03"]
    assert len(stored["data"]) == 19 and "2025-03" not in {d["period"] for d in stored["data"]}
    assert stored["data"][-1] == {"period": "2025-08", "value": 126.0556938674293}


def test_fetch_imf_cpi_offline_says_so_in_one_line_and_changes_nothing(monkeypatch):
    monkeypatch.setattr(imf_cpi, "new_session", lambda: session_for({URL: requests.ConnectionError("offline")})[0])
    assert econ("init").exit_code == 0
    result = econ("fetch", "imf-cpi", "--country", "BEN", "--country", "MLI", "--start", "2024")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {URL}: unreachable (ConnectionError: offline?). Check the connection")
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert json.loads(econ("series", "--json").stdout) == []
