"""Text from data files, shown on a chart: always text, never markup.

Plotly reads a subset of HTML in every label it draws (``<b>``, ``<br>``, ``<span style>``,
``<a href>``) and turns ``<a href="...">`` into a live link in the SVG and PDF it exports. A
source, reference or publisher name comes from a file someone else wrote, so before it reaches a
figure its ``&``, ``<`` and ``>`` become entities: Plotly shows them as the characters typed.
Labels the product writes itself (titles, units, the norm) keep their markup.
"""

from __future__ import annotations

import html


def plotly_text(value) -> str:
    """``value`` as Plotly text that shows exactly what was typed (``<a href>`` stays visible text)."""
    return html.escape(str(value), quote=False)
