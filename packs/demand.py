"""The optional *Demand outlook* section of a board pack: the next four quarters by district.

For the force management statement. Each count metric gets a table: a row per district (and
the force), for each quarter the forecast with its 80% range, and the 95% range. The section
is drawn on its own and appended to a finished pack, so the pack's own pages are unchanged.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from metrics import ALL_DISTRICTS, REGISTRY, Grain, compute_kpis
from metrics.forecast import forecast_metrics, is_count
from metrics.sources import Facts
from packs.content import FORCE_LABEL

QUARTERS = 4
SECTION = "Demand outlook"
INTRO = (
    "The next four quarters of each count, for the force management statement. Each cell is "
    "the forecast with the range it should fall in 80 times in 100, then the range for 95 "
    "in 100. Each series' method (the same quarter last year, exponential smoothing or Theta) "
    "is the one that forecast its own recent quarters best; models learn only from complete "
    "quarters since the metric's latest rebase. The force's forecast is the sum of its "
    "districts', so district rows add up to it."
)


def demand_outlook(facts: Facts, as_at: dt.date | None = None) -> pl.DataFrame:
    """The next four quarters of every count metric, by district and for the force."""
    counts = [metric for metric in REGISTRY if is_count(metric)]
    kpis = compute_kpis(facts, Grain.QUARTER, counts)
    assert facts.last_date is not None
    return forecast_metrics(
        kpis,
        counts,
        Grain.QUARTER,
        QUARTERS,
        as_at or facts.last_date,
        first_date=facts.first_date,
    ).forecasts


def _range(low: float, high: float) -> str:
    return f"{round(low):,}–{round(high):,}"


def outlook_tables(
    forecasts: pl.DataFrame, district: str = ALL_DISTRICTS
) -> list[tuple[str, list[str], list[list[str]]]]:
    """Per metric: its title, the header and the rows (the pack's district and the force)."""
    wanted = None if district == ALL_DISTRICTS else [district, ALL_DISTRICTS]
    tables = []
    for metric_id in forecasts["metric_id"].unique(maintain_order=True):
        rows = forecasts.filter(pl.col("metric_id") == metric_id)
        if wanted is not None:
            rows = rows.filter(pl.col("district").is_in(wanted))
        labels = rows["period_label"].unique(maintain_order=True).to_list()
        header = ["District"]
        for label in labels:
            header += [f"{label} (80%)", "95% range"]
        body = []
        for place in rows["district"].unique(maintain_order=True):
            cells = [FORCE_LABEL if place == ALL_DISTRICTS else place]
            for row in rows.filter(pl.col("district") == place).iter_rows(named=True):
                cells.append(
                    f"{round(row['forecast']):,} ({_range(row['lower_80'], row['upper_80'])})"
                )
                cells.append(_range(row["lower_95"], row["upper_95"]))
            body.append(cells)
        tables.append((REGISTRY.get(metric_id).title, header, body))
    return tables


def _pdf_section(tables, subtitle: str, stamp: dt.date) -> bytes:
    from fpdf import FPDF

    from packs.charts import FONTS
    from packs.pdf import FONT, MARGIN, MUTED, PAGE_HEIGHT, PAGE_WIDTH, SHADE

    # Landscape: four quarters of a forecast and two ranges each need the width.
    doc = FPDF(orientation="L", unit="pt", format="A4")
    width, height = PAGE_HEIGHT, PAGE_WIDTH
    content = width - 2 * MARGIN
    doc.set_creation_date(dt.datetime.combine(stamp, dt.time(), tzinfo=dt.UTC))
    doc.add_font(FONT, "", str(FONTS / "LiberationSans-Regular.ttf"))
    doc.add_font(FONT, "B", str(FONTS / "LiberationSans-Bold.ttf"))
    doc.set_margins(MARGIN, MARGIN, MARGIN)
    doc.set_auto_page_break(True, MARGIN)
    doc.add_page()
    doc.set_font(FONT, "B", 15)
    doc.cell(content, 20, SECTION, new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, "", 9)
    doc.set_text_color(MUTED)
    doc.multi_cell(content, 12, f"{subtitle}\n{INTRO}", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color("#1a1a1a")
    for title, header, body in tables:
        if doc.get_y() > height - MARGIN - 12 * (len(body) + 4):
            doc.add_page()
        doc.ln(8)
        doc.set_font(FONT, "B", 11)
        doc.cell(content, 16, title, new_x="LMARGIN", new_y="NEXT")
        first = 130.0
        other = (content - first) / (len(header) - 1)
        widths = [first, *[other] * (len(header) - 1)]
        doc.set_font(FONT, "B", 7)
        doc.set_fill_color(SHADE)
        for width, text in zip(widths, header, strict=True):
            doc.cell(width, 12, text, fill=True, align="L" if width == first else "R")
        doc.ln(12)
        doc.set_font(FONT, "", 7)
        for cells in body:
            for width, text in zip(widths, cells, strict=True):
                doc.cell(width, 11, text, border="B", align="L" if width == first else "R")
            doc.ln(11)
    return bytes(doc.output())


def _append_pdf(pack: bytes, section: bytes) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pack)))
    first_page = len(writer.pages)
    writer.append(pypdf.PdfReader(io.BytesIO(section)))
    writer.add_outline_item(title=SECTION, page_number=first_page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _append_pptx(pack: bytes, tables, subtitle: str) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    from packs.powerpoint import _fixed_zip

    prs = Presentation(io.BytesIO(pack))
    blank = prs.slide_layouts[6]
    for title, header, body in tables:
        slide = prs.slides.add_slide(blank)
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9))
        box.text_frame.word_wrap = True
        box.text_frame.text = f"{SECTION}: {title}"
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        box.text_frame.paragraphs[0].runs[0].font.bold = True
        note = box.text_frame.add_paragraph()
        note.text = f"{subtitle}. Forecast (80% range) and 95% range for each quarter."
        note.runs[0].font.size = Pt(12)
        height = Inches(0.35) * (len(body) + 1)
        shape = slide.shapes.add_table(
            len(body) + 1, len(header), Inches(0.5), Inches(1.4), Inches(12.3), height
        )
        shape.name = f"{SECTION}: {title}"
        for column, text in enumerate(header):
            shape.table.cell(0, column).text = text
        for row, cells in enumerate(body, start=1):
            for column, text in enumerate(cells):
                shape.table.cell(row, column).text = text
        for row in shape.table.rows:
            for cell in row.cells:
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(11)
    out = io.BytesIO()
    prs.save(out)
    return _fixed_zip(out.getvalue())


def add_demand_outlook(
    pack: bytes,
    fmt: str,
    forecasts: pl.DataFrame,
    district: str,
    extract_date: dt.date,
) -> bytes:
    """The pack with the Demand outlook appended: PDF pages or PowerPoint slides."""
    tables = outlook_tables(forecasts, district)
    where = FORCE_LABEL if district == ALL_DISTRICTS else f"{district} and the force"
    subtitle = f"{where}: data to {extract_date:%d %B %Y}"
    if fmt == "pdf":
        return _append_pdf(pack, _pdf_section(tables, subtitle, extract_date))
    return _append_pptx(pack, tables, subtitle)
