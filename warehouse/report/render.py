"""Rendering: charts to PNG and SVG (vl-convert, offline), the page to HTML (Jinja2) and to an A4
PDF with page numbers (WeasyPrint)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import vl_convert

from warehouse.report.charts import Chart

PNG_SCALE = 2  # 2 × the CSS pixel size: sharp on screens and in print


def save_chart(chart: Chart, folder: Path) -> Path | None:
    """Write <name>.png and <name>.svg; return the PNG's path (None for a chart with no data)."""
    if chart.spec is None:
        return None
    spec = chart.spec.to_dict()
    png = folder / f"{chart.name}.png"
    png.write_bytes(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))
    (folder / f"{chart.name}.svg").write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    return png


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("warehouse.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(context: dict) -> str:
    """The report page; its stylesheet is inlined so that report.html needs only its PNGs."""
    env = _environment()
    css = env.get_template("report.css.j2").render(**context)
    return env.get_template("report.html.j2").render(css=css, **context)


def write_pdf(html: str, folder: Path, target: Path) -> Path:
    """The A4 PDF of the page (images resolved against the report folder)."""
    import weasyprint  # imported late: it loads Pango, which a chart-only caller does not need

    weasyprint.HTML(string=html, base_url=str(folder)).write_pdf(target)
    return target
