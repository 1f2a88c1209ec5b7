"""Forecasting models behind one interface (``base.Model`` / ``base.Fitted``), and their registry."""

from econ.models.base import LEVELS, Fitted, Model, ModelSkipped
from econ.models.registry import MODELS, get, models_for

__all__ = ["LEVELS", "MODELS", "Fitted", "Model", "ModelSkipped", "get", "models_for"]
