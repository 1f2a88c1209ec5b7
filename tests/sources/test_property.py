"""Whatever bytes a user hands over, read_path returns a valid Batch or raises InputError."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from econ.schema import InputError, check_observations, check_official
from econ.sources import Batch, read_path

TODAY = date(2025, 12, 15)

TOKENS = [
    "country", "indicator", "period", "value", "pays", "valeur", "note", "publisher", "published", "target_year",
    "Country Code", "IMF Country Code", "Indicator Type", "Series Name", "Data Source",
    "MLI", "Mali", "Côte d'Ivoire", "SSF", "cpi", "inflation", "gdp_growth", "gold_production", "FP.CPI.TOTL",
    "2024", "2024-03", "2020-13", "202403", "2024Q1", "1990 [YR1990]", "2031", "0000",
    "2,5", "2.5", "-1", "1 234,5", "4 %", "abc", "..", "NaN", "inf", "", " ", "IMF", "2025-11",
]
SEPARATORS = [",", ";", "\t", '"', "\n", "\r\n", "\x00", "\ufeff"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]

csv_like = st.tuples(
    st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS), st.text(max_size=4)), max_size=60),
    st.sampled_from(ENCODINGS),
).map(lambda pair: "".join(pair[0]).encode(pair[1], errors="replace"))

# Tables in a real layout, cells drawn from good and bad values: reaches every check and the
# successful path too (about one in ten of these load).
POOLS = {
    "country": ["MLI", "Mali", "SEN", "Côte d'Ivoire", "uemoa", "SSF", "Atlantis", ""],
    "indicator": ["inflation", "gdp_growth", "cpi", "Dette publique", "FP.CPI.TOTL", "x"],
    "period": ["2019", "2023", "2024-03", "2031", "2020-13", "2024Q1", ""],
    "value": ["2.5", "2,5", "-1", "4 %", "1 234,5", "abc", "..", "", "NaN", "inf"],
    "publisher": ["IMF", "BCEAO", ""],
    "published": ["2025-11", "2025", "2025-02-30", "2027"],
}
LAYOUTS = {
    "long": ["country", "indicator", "period", "value"],
    "wide": ["country", "indicator", "2022", "2023"],
    "official": ["publisher", "published", "country", "indicator", "target_year", "value"],
}
ROLE_OF = {"2022": "value", "2023": "value", "target_year": "period"}


@st.composite
def tables(draw) -> bytes:
    header = LAYOUTS[draw(st.sampled_from(sorted(LAYOUTS)))]
    pools = [POOLS[ROLE_OF.get(h, h)] for h in header]
    cell = [st.sampled_from(p[:2]) | st.sampled_from(p[:2]) | st.sampled_from(p) for p in pools]  # mostly good
    rows = draw(st.lists(st.tuples(*cell), min_size=1, max_size=6))
    delimiter = draw(st.sampled_from([";", "\t"]))
    text = "\n".join(delimiter.join(cells) for cells in [header, *rows])
    return text.encode(draw(st.sampled_from(ENCODINGS)))


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check_load(raw: bytes, name: str) -> None:
    Path(name).write_bytes(raw)
    try:
        batch = read_path(name, today=TODAY)
    except InputError as err:
        assert err.problems and all(str(p).startswith(name) for p in err.problems)
        return
    assert isinstance(batch, Batch)
    check_observations(batch.observations)
    check_official(batch.official)
    assert batch.observations["value"].dtype == "float64" and batch.official["value"].dtype == "float64"
    for frame in (batch.observations, batch.official):
        assert all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns if c != "value")
        assert frame["value"].map(pd.notna).all()


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_any_bytes_load_or_raise_input_error(raw):
    check_load(raw, "fuzz.csv")


@SETTINGS
@given(raw=csv_like)
def test_csv_like_text_loads_or_raises_input_error(raw):
    check_load(b"country,indicator,period,value\n" + raw, "fuzz.csv")
    check_load(raw, "fuzz.csv")


@SETTINGS
@given(raw=tables())
def test_tables_of_known_words_load_or_raise_input_error(raw):
    check_load(raw, "fuzz.csv")


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_damaged_workbooks_raise_input_error(raw):
    check_load(b"PK\x03\x04" + raw, "fuzz.xlsx")
