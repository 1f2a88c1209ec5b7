"""econ: macroeconomic indicators, projections and the WAEMU norms for Mali and its neighbours."""

__version__ = "0.1.0"
