"""What the World Bank and IMF loaders share: checking the requested indicators and countries."""

from __future__ import annotations

from collections.abc import Callable

from econ.countries import resolve
from econ.sources.validate import Problems


def requested(where: str, indicators: list[str], countries: list[str], series: Callable[[str], str | None],
              available: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """([(our indicator, provider code)], [ISO3]) or InputError for unknown names."""
    problems = Problems(where)
    pairs = []
    for name in indicators:
        code = series(name)
        if code is None:
            problems.add(None, "indicator", f"{name!r} has no series here (available: {', '.join(available)})")
        else:
            pairs.append((name, code))
    iso3 = []
    for name in countries:
        code = resolve(name)
        if code is None:
            problems.add(None, "country", f"unknown country {name!r}")
        else:
            iso3.append(code)
    problems.raise_if_any()
    return pairs, iso3
