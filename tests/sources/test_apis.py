"""World Bank and IMF APIs against recorded answers; offline and HTTP errors -> SourceUnavailable."""

from __future__ import annotations

import json

import pytest
import requests

from econ.schema import InputError, check_observations, check_official
from econ.sources import LIVE_SOURCES, SourceUnavailable, imf, worldbank

WB = "https://api.worldbank.org/v2/country/MLI;SEN/indicator/{}?format=json&date=2019:2024&per_page=20000&page={}"
IMF = "https://www.imf.org/external/datamapper/api/v1/{}/MLI/SEN"


def test_world_bank_series_load(serve, fixture_bytes, today):
    answers = {WB.format(c, 1): fixture_bytes(f"worldbank_{c}.json") for c in ("NY.GDP.MKTP.KD.ZG", "FP.CPI.TOTL.ZG")}
    session, adapter = serve(answers)
    batch = worldbank.fetch(["gdp_growth", "inflation"], ["MLI", "Sénégal"], 2019, 2024, session, today=today)
    frame = batch.observations
    assert adapter.asked == list(answers)
    assert frame[["country", "indicator", "period", "value"]].values.tolist()[:6] == [
        ["MLI", "gdp_growth", "2023", 4.7], ["MLI", "gdp_growth", "2022", 3.5], ["MLI", "gdp_growth", "2021", 3.1],
        ["MLI", "gdp_growth", "2020", -1.2], ["MLI", "gdp_growth", "2019", 4.8], ["SEN", "gdp_growth", "2023", 4.6],
    ]
    assert len(frame) == 14  # 2024 is null for both countries: left out
    assert frame.loc[13, "value"] == pytest.approx(9.73497409326425)
    assert frame.loc[0, "source"] == "World Bank, World Development Indicators (NY.GDP.MKTP.KD.ZG)"
    assert frame.loc[0, "note"] == "WDI last updated 2025-07-01"
    assert frame.loc[0, "reference"] == WB.format("NY.GDP.MKTP.KD.ZG", 1).removesuffix("&page=1")
    assert batch.kind == "worldbank" and batch.official.empty and len(batch.checksum) == 64
    check_observations(frame)


def test_world_bank_pages_are_all_read(serve, today):
    row = {"indicator": {"id": "NY.GDP.MKTP.KD.ZG"}, "country": {"id": "ML"}, "countryiso3code": "MLI", "value": 1.0}
    pages = [[{"page": p, "pages": 2, "per_page": 20000, "total": 2}, [row | {"date": str(2018 + p)}]] for p in (1, 2)]
    url = "https://api.worldbank.org/v2/country/MLI/indicator/NY.GDP.MKTP.KD.ZG?format=json&date=2019:2020&per_page=20000&page={}"
    session, _ = serve({url.format(p): json.dumps(pages[p - 1]).encode() for p in (1, 2)})
    frame = worldbank.fetch(["NY.GDP.MKTP.KD.ZG"], ["MLI"], 2019, 2020, session, today=today).observations
    assert frame["period"].tolist() == ["2019", "2020"]


def test_world_bank_error_answer(serve, fixture_bytes):
    session, _ = serve({WB.format("NY.GDP.MKTP.KD.ZG", 1): fixture_bytes("worldbank_error.json")})
    with pytest.raises(SourceUnavailable) as err:
        worldbank.fetch(["gdp_growth"], ["MLI", "SEN"], 2019, 2024, session)
    assert "the API answered with an error: The provided parameter value is not valid" in str(err.value)


def test_world_bank_offline_names_the_url_and_the_way_out(serve):
    url = WB.format("NY.GDP.MKTP.KD.ZG", 1)
    session, _ = serve({url: requests.ConnectionError("Name or service not known")})
    with pytest.raises(SourceUnavailable) as err:
        worldbank.fetch(["gdp_growth"], ["MLI", "SEN"], 2019, 2024, session)
    assert err.value.url == url
    assert str(err.value) == (
        f"{url}: unreachable (ConnectionError: offline?). Check the connection, or download the series as CSV "
        "from https://data.worldbank.org and load it with `econ ingest FILE`"
    )


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        (requests.Timeout("read timed out"), 200, "no answer within 30 s"),
        (b"<html>Service Unavailable</html>", 503, "HTTP 503 Error"),
        (b"<html>maintenance</html>", 200, "the answer is not JSON (the API may have changed)"),
    ],
)
def test_world_bank_timeouts_and_bad_answers(serve, answer, status, reason):
    url = WB.format("NY.GDP.MKTP.KD.ZG", 1)
    session, _ = serve({url: answer}, status=status)
    with pytest.raises(SourceUnavailable) as err:
        worldbank.fetch(["gdp_growth"], ["MLI", "SEN"], 2019, 2024, session)
    assert err.value.reason == reason


def test_unknown_series_or_country_is_refused_before_any_request(serve):
    session, adapter = serve({})
    with pytest.raises(InputError) as err:
        worldbank.fetch(["cpi", "gdp_growth"], ["Atlantis"], 2019, 2024, session)
    assert [str(p) for p in err.value.problems] == [
        "worldbank: indicator: 'cpi' has no series here (available: gdp_growth, inflation, public_debt)",
        "worldbank: country: unknown country 'Atlantis'",
    ]
    assert adapter.asked == []


def test_imf_splits_actuals_and_projections_at_the_current_year(serve, fixture_bytes, today):
    answers = {IMF.format(c): fixture_bytes(f"imf_{c}.json") for c in ("NGDP_RPCH", "PCPIPCH")}
    session, adapter = serve(answers)
    batch = imf.fetch(["gdp_growth", "inflation"], ["MLI", "SEN"], session, today=today)
    obs, proj = batch.observations, batch.official
    assert adapter.asked == list(answers)
    assert obs.query("country == 'MLI' and indicator == 'gdp_growth'")[["period", "value"]].values.tolist() == [
        ["2019", 4.8], ["2020", -1.2], ["2021", 3.1], ["2022", 3.5], ["2023", 4.7], ["2024", 4.7],
    ]
    assert sorted(obs["period"].unique()) == [str(y) for y in range(2019, 2025)]
    mali_2026 = proj.query("country == 'MLI' and target_period == '2026'")
    assert mali_2026[["publisher", "published", "indicator", "value", "reference"]].values.tolist() == [
        ["IMF", "2025-12", "gdp_growth", 5.5, "IMF DataMapper API"], ["IMF", "2025-12", "inflation", 2.5, "IMF DataMapper API"],
    ]
    assert "2025" in set(proj["target_period"]) and len(proj.query("country == 'SEN' and indicator == 'inflation'")) == 1
    assert obs.loc[0, "source"] == "IMF DataMapper (World Economic Outlook), NGDP_RPCH"
    check_observations(obs)
    check_official(proj)


def test_imf_country_without_data_is_simply_absent(serve, today):
    session, _ = serve({IMF.format("GGXWDG_NGDP"): b'{"values": {"GGXWDG_NGDP": {"MLI": {"2023": 51.8}}}}'})
    batch = imf.fetch(["public_debt"], ["MLI", "SEN"], session, today=today)
    assert batch.observations[["country", "value"]].values.tolist() == [["MLI", 51.8]] and batch.official.empty


def test_imf_changed_answer_and_offline(serve):
    session, _ = serve({IMF.format("NGDP_RPCH"): b'{"error": "no such series"}'})
    with pytest.raises(SourceUnavailable, match="has no 'values' object"):
        imf.fetch(["gdp_growth"], ["MLI", "SEN"], session)
    session, _ = serve({IMF.format("NGDP_RPCH"): requests.ConnectionError()})
    with pytest.raises(SourceUnavailable) as err:
        imf.fetch(["gdp_growth"], ["MLI", "SEN"], session)
    assert str(err.value).startswith(f"{IMF.format('NGDP_RPCH')}: unreachable (ConnectionError: offline?). Check the")


def test_registry_names_the_live_sources():
    assert sorted(LIVE_SOURCES) == ["imf", "imf-cpi", "wb-inflation", "worldbank"]
    assert LIVE_SOURCES["worldbank"].fetch is worldbank.fetch and LIVE_SOURCES["imf"].fetch is imf.fetch
