"""Wide layouts (a period per column): World Bank downloads and statistics institutes' tables."""

from __future__ import annotations

from econ.schema import check_observations

WB_DOWNLOAD = '''"Data Source","World Development Indicators",

"Last Updated Date","2025-07-01",

"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020","2021","2022","2023","2024",
"Africa Eastern and Southern","AFE","GDP growth (annual %)","NY.GDP.MKTP.KD.ZG","2.2","-2.8","4.4","3.6","2.7","",
"Mali","MLI","GDP growth (annual %)","NY.GDP.MKTP.KD.ZG","4.8","-1.2","3.1","3.5","4.7","",
"World","WLD","GDP growth (annual %)","NY.GDP.MKTP.KD.ZG","2.6","-2.9","6.3","3.1","2.8","2.8",
'''

DATABANK = """Country Name,Country Code,Series Name,Series Code,2021 [YR2021],2022 [YR2022],2023 [YR2023]
Mali,MLI,"Inflation, consumer prices (annual %)",FP.CPI.TOTL.ZG,3.8,9.7,2.1
Niger,NER,"Inflation, consumer prices (annual %)",FP.CPI.TOTL.ZG,3.8,4.2,..
Mali,MLI,"Central government debt, total (% of GDP)",GC.DOD.TOTL.GD.ZS,..,..,..



Data from database: World Development Indicators,,,,,,
Last Updated: 07/01/2025,,,,,,
"""


def test_world_bank_download_with_junk_lines_and_aggregates(write, load):
    write("API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2.csv", WB_DOWNLOAD)
    batch = load("API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2.csv")
    frame = batch.observations
    assert batch.kind == "wide"
    assert frame[["country", "indicator", "period", "value"]].values.tolist() == [
        ["MLI", "gdp_growth", str(y), v] for y, v in zip(range(2019, 2024), [4.8, -1.2, 3.1, 3.5, 4.7], strict=True)
    ]
    assert set(frame["source"]) == {"World Bank, World Development Indicators (NY.GDP.MKTP.KD.ZG)"}
    assert set(frame["unit"]) == {"%"}
    assert batch.skipped == {"WLD": 6, "AFE": 5}
    check_observations(frame)


def test_databank_export_with_yr_headers_dots_and_footer(write, load):
    write("Data_Extract_From_World_Development_Indicators.csv", DATABANK)
    frame = load("Data_Extract_From_World_Development_Indicators.csv").observations
    assert frame[["country", "indicator", "period", "value"]].values.tolist() == [
        ["MLI", "inflation", "2021", 3.8], ["MLI", "inflation", "2022", 9.7], ["MLI", "inflation", "2023", 2.1],
        ["NER", "inflation", "2021", 3.8], ["NER", "inflation", "2022", 4.2],
    ]


def test_messy_statistics_institute_file(load, fixture_bytes, in_tmp):
    """cp1252, ';', decimal commas, '%' signs, country names, French labels, a year per column, CRLF."""
    (in_tmp / "institut.csv").write_bytes(fixture_bytes("institut_inflation_cp1252.csv"))
    frame = load("institut.csv").observations
    assert frame[["country", "indicator", "period", "value", "unit"]].values.tolist() == [
        ["CIV", "inflation", "2021", 4.2, "%"], ["CIV", "inflation", "2022", 5.2, "%"], ["CIV", "inflation", "2023", 4.4, "%"],
        ["MLI", "inflation", "2021", 3.8, "%"], ["MLI", "inflation", "2022", 9.7, "%"], ["MLI", "inflation", "2023", 2.1, "%"],
        ["SEN", "gdp_growth", "2021", 6.5, "%"], ["SEN", "gdp_growth", "2023", 4.6, "%"],
        ["BFA", "public_debt", "2021", 55.5, "% du PIB"], ["BFA", "public_debt", "2022", 58.3, "% du PIB"],
    ]
    assert frame["source"].isna().all()


def test_monthly_columns(write, load):
    write("cpi.csv", "country,indicator,2024-01,2024-02,2024M03\nMLI,cpi,101.2,101.9,102.4\n")
    frame = load("cpi.csv").observations
    assert frame[["period", "value"]].values.tolist() == [["2024-01", 101.2], ["2024-02", 101.9], ["2024-03", 102.4]]


def test_problems_name_the_period_column(write, problems):
    write("w.csv", "country,indicator,2022,2023,2024-03\nMLI,inflation,9.7,abc,1\nMLI,cpi,,,-2\n")
    assert problems("w.csv") == [
        "w.csv:2: 2023: 'abc' is not a number",
        "w.csv:2: 2024-03: 2024-03 is a monthly period but inflation is annual",
        "w.csv:3: 2024-03: '-2' is negative, but cpi cannot be",
    ]


def test_bad_period_header_is_reported_once_on_the_header_line(write, problems):
    write("h.csv", "country,indicator,2020-13,2021\nMLI,inflation,1,2\n")
    assert problems("h.csv") == ["h.csv:1: 2020-13: '2020-13' is not a period (expected 2024, 2024-03 or 2024Q1)"]


def test_unknown_country_and_series_are_errors_but_aggregates_are_not(write, problems):
    write("u.csv", "Country Code,Series Code,2021\nXXX,NY.GDP.MKTP.KD.ZG,1\nMLI,SP.POP.TOTL,2\nSSF,NY.GDP.MKTP.KD.ZG,3\n")
    known = "gdp_growth, inflation, inflation_eop, cpi, gold_production, gold_production_industrial, fiscal_balance, public_debt"
    assert problems("u.csv") == [
        "u.csv:2: Country Code: unknown country 'XXX'",
        f"u.csv:3: Series Code: unknown indicator 'SP.POP.TOTL' (known: {known})",
    ]


def test_duplicate_rows_across_lines(write, problems):
    write("d.csv", "pays;indicateur;2022;2023\nMali;inflation;9,7;2,1\nMLI;inflation;;2,2\n")
    assert problems("d.csv") == ["d.csv:3: 2023: line 2 gives 2,1 for the same country, indicator and period "
                                 "(MLI, inflation, 2023), this line gives 2,2: keep one, or date each in a published column"]
    write("e.csv", "pays;indicateur;2022;2023\nMali;inflation;9,7;2,1\nMLI;inflation;;2,1\n")
    assert problems("e.csv") == ["e.csv:3: duplicate of line 2 (MLI, inflation, 2023)"]


def test_missing_id_column(write, problems):
    write("m.csv", "country,2022,2023\nMLI,9.7,2.1\n")
    assert problems("m.csv") == ["m.csv:1: missing column 'indicator' (columns found: country, 2022, 2023)"]


def test_all_cells_missing_is_no_data(write, problems):
    write("none.csv", "country,indicator,2022,2023\nMLI,inflation,..,\n")
    assert problems("none.csv") == [
        "none.csv: no values found (every value cell is empty or '..', or belongs to an aggregate)"
    ]
