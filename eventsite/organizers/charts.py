"""The dashboard's charts: SVG drawn on the server with pygal, with no script in it.

Each chart goes in the page as an image (a data: URL, which the site's CSP allows) with a
title and a description, and the same figures follow it in a table; the SVG itself
carries the title and description too, for whoever opens it alone.
"""

import base64
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

import pygal
from pygal.style import Style

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)

# Large type and strong colours: read on a phone held at arm's length, in the sun.
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#666",
    colors=("#1d4ed8", "#b45309", "#15803d"),
    font_family="system-ui, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=14,
    title_font_size=18,
)


@dataclass
class Chart:
    """A figure as the page shows it: a title, a description, the SVG, and its table."""

    key: str
    title: str
    description: str
    labels: list[str]
    series: list[tuple[str, list[int]]]
    svg: str = ""

    @property
    def data_url(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The table under the chart: one row per label, one column per series."""
        return [
            (label, [values[i] for _name, values in self.series])
            for i, label in enumerate(self.labels)
        ]


def _accessible(svg: str, title: str, description: str) -> str:
    """pygal's SVG without its script, with a title and description for screen readers."""
    root = ET.fromstring(svg)  # noqa: S314 (pygal's own output, not input from anyone)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}script":
                parent.remove(child)
    chart_id = root.get("id", "chart")
    title_element = ET.Element(f"{{{SVG}}}title", id=f"{chart_id}-title")
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG}}}desc", id=f"{chart_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    return ET.tostring(root, encoding="unicode")


def draw(chart: Chart, *, horizontal: bool = False) -> Chart:
    """Draw the chart's SVG (bars, one group per series) and return it."""
    series = tuple((name, tuple(values)) for name, values in chart.series)
    chart.svg = _svg(chart.title, chart.description, tuple(chart.labels), series, horizontal)
    return chart


# Drawing costs tens of milliseconds a chart; a live dashboard is reloaded by several
# organizers while its figures stand still. Same figures, same words: the same SVG.
@lru_cache(maxsize=128)
def _svg(title: str, description: str, labels: tuple, series: tuple, horizontal: bool) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    many_labels = len(labels) > 12
    figure = kind(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        width=640,
        height=max(320, 28 * len(labels)) if horizontal else 360,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        x_label_rotation=0 if horizontal or not many_labels else 60,
        show_minor_x_labels=not many_labels,
        x_labels_major_every=6 if many_labels and not horizontal else None,
        truncate_label=28,
        print_values=False,
        min_scale=1,
        margin=12,
    )
    figure.x_labels = list(labels)
    for name, values in series:
        figure.add(name, list(values))
    return _accessible(figure.render(is_unicode=True), title, description)
