"""The PowerPoint board pack: a title slide, a summary slide, then one slide per KPI.

Each KPI slide has the SPC chart (a PNG from vl-convert: PowerPoint has no portable vector
format that python-pptx can place), the key figures, the definition and an empty, editable
commentary box. Text is in Arial, which every Office install has and which Liberation Sans
(the PDF's font) matches metric for metric. The file is written with fixed dates so that the
same data and options give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from meeting import Commentary
from meeting.tables import timestamp
from metrics import ALL_DISTRICTS
from packs.charts import chart_png, chart_spec
from packs.content import NO_VALUES, TITLE, Icon, KpiPage, Pack
from packs.meeting_record import AS_WRITTEN, action_line, commentary_sections, xml_safe
from presentation.spc_chart import chart_description
from presentation.spc_words import MDC_COLOURS

FONT = "Arial"
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x59, 0x59, 0x59)
NAVY = RGBColor(0x1F, 0x38, 0x64)
SHADE = RGBColor(0xF2, 0xF2, 0xF2)
RULE = RGBColor(0xBF, 0xBF, 0xBF)
WIDE, TALL = Inches(13.333), Inches(7.5)
COMMENTARY = "Commentary"
# Taller than the PDF's chart: a slide has the room, and is read from across a meeting room.
SLIDE_CHART_HEIGHT = 215
# A zip entry's date: fixed, so that the same pack is the same file (1980 is the zip epoch).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

Progress = Callable[[str, int, int], None]


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text(
    slide,
    left: int,
    top: int,
    width: int,
    height: int,
    lines: list[tuple[str, float, bool, RGBColor]],
    name: str | None = None,
):
    """A text box of paragraphs, each (text, size in points, bold, colour)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for index, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.name = FONT
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
    return box


def _icon(slide, icon: Icon, left: int, top: int, size: int = Inches(0.32)) -> None:
    """An MDC-style icon: a disc in the MDC colour with its letter."""
    if icon.colour == "none":
        return
    disc = slide.shapes.add_shape(MSO_SHAPE.OVAL, left, top, size, size)
    disc.fill.solid()
    disc.fill.fore_color.rgb = _rgb(MDC_COLOURS[icon.colour])
    disc.line.fill.background()
    disc.shadow.inherit = False
    frame = disc.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.add_run()
    run.text = icon.letter
    run.font.name = FONT
    run.font.size = Pt(12)
    run.font.bold = True
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _title_slide(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDE, Inches(2.6))
    band.fill.solid()
    band.fill.fore_color.rgb = NAVY
    band.line.fill.background()
    band.shadow.inherit = False
    white = RGBColor(0xFF, 0xFF, 0xFF)
    _text(
        slide,
        Inches(0.6),
        Inches(0.7),
        Inches(12),
        Inches(1.6),
        [(TITLE, 32, True, white), (pack.force_name, 20, False, white)],
    )
    _text(
        slide,
        Inches(0.6),
        Inches(2.9),
        Inches(12),
        Inches(0.7),
        [(f"{pack.district_label}: {pack.period}", 26, True, INK)],
    )
    facts = [(f"{label}: {text}", 14, False, INK) for label, text in pack.cover_lines()]
    facts.append(("", 8, False, INK))
    facts.extend((line, 11, False, MUTED) for line in pack.disclosure_lines())
    _text(slide, Inches(0.6), Inches(3.7), Inches(12), Inches(3.5), facts)


def _summary_slide(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(
        slide,
        Inches(0.5),
        Inches(0.25),
        Inches(12.3),
        Inches(0.8),
        [(f"Summary: {pack.period}", 24, True, INK), (pack.subtitle, 11, False, MUTED)],
    )
    first = pack.pages[0]
    header = [
        "KPI",
        pack.period,
        f"Previous ({first.previous.period})",
        f"Year before ({first.year_ago.period})",
        "Variation",
        "Assurance",
    ]
    rows = len(pack.pages) + 1
    table = slide.shapes.add_table(
        rows, len(header), Inches(0.5), Inches(1.15), Inches(12.3), Inches(0.25) * rows
    ).table
    for column, width in enumerate((5.1, 1.4, 1.5, 1.5, 1.6, 1.2)):
        table.columns[column].width = Inches(width)
    values = [header] + [
        [
            f"{page.number}. {page.metric.title}",
            page.current.shown,
            page.previous.shown,
            page.year_ago.shown,
            page.variation.words,
            page.assurance.words,
        ]
        for page in pack.pages
    ]
    for r, row in enumerate(values):
        table.rows[r].height = Inches(0.25)
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Emu(0)
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.RIGHT if c in (1, 2, 3) else PP_ALIGN.LEFT
            run = paragraph.add_run()
            run.text = value
            run.font.name = FONT
            run.font.size = Pt(9)
            run.font.bold = r == 0 or c == 1


def _kpi_slide(prs, pack: Pack, page: KpiPage, picture: bytes | None) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(
        slide,
        Inches(0.5),
        Inches(0.25),
        Inches(12.3),
        Inches(0.9),
        [
            (f"{page.number}. {page.metric.title}", 24, True, INK),
            (pack.subtitle, 11, False, MUTED),
        ],
        name="Title",
    )
    if picture is None:
        message = f"No chart: {NO_VALUES.label.lower()}."
        lines = [(message, 14, False, MUTED)]
        _text(slide, Inches(0.5), Inches(3.3), Inches(8.0), Inches(0.6), lines, name="No chart")
    else:
        chart = slide.shapes.add_picture(io.BytesIO(picture), Inches(0.4), Inches(1.3), Inches(8.2))
        chart.name = "SPC chart"
        # Alternative text for screen readers: the chart in words (python-pptx has no API).
        chart._element.nvPicPr.cNvPr.set("descr", _description(page, pack))
    figures = [
        (f"This period ({page.current.period})", 11, False, MUTED),
        (page.current.shown, 28, True, INK),
        (f"Previous period ({page.previous.period}): {page.previous.shown}", 12, False, INK),
        (page.previous.change, 11, False, MUTED),
        (f"Same period last year ({page.year_ago.period}): {page.year_ago.shown}", 12, False, INK),
        (page.year_ago.change, 11, False, MUTED),
    ]
    _text(slide, Inches(8.9), Inches(1.3), Inches(4.0), Inches(2.2), figures, name="Key figures")
    for index, icon in enumerate((page.variation, page.assurance)):
        top = Inches(3.55 + 0.5 * index)
        _icon(slide, icon, Inches(8.95), top)
        _text(
            slide,
            Inches(9.35),
            top - Inches(0.05),
            Inches(3.6),
            Inches(0.5),
            [(icon.label, 10, False, INK)],
            name="Variation" if index == 0 else "Assurance",
        )
    box = _text(
        slide,
        Inches(8.9),
        Inches(4.65),
        Inches(4.0),
        Inches(2.25),
        _commentary_lines(pack, page),
        name=COMMENTARY,
    )
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE  # keep the space, however little is typed
    box.line.color.rgb = RULE
    box.fill.solid()
    box.fill.fore_color.rgb = SHADE
    notes = [(" ".join(page.notes), 9, False, MUTED)]
    _text(slide, Inches(0.5), Inches(6.3), Inches(8.2), Inches(1.0), notes, name="Definition")
    # The numbers behind the chart, in the speaker notes: there if asked, not on the slide.
    table = [" | ".join(page.table_header), *(" | ".join(row) for row in page.table_rows)]
    note = pack.record.commentary.get(page.metric.id) if pack.record else None
    if note is not None:  # the whole commentary, however long, where the box may cut it short
        table = [*_note_text(note), "", *table]
    slide.notes_slide.notes_text_frame.text = "\n".join(table)


BOX_CHARACTERS = 300  # what the commentary box holds at 10 points; the rest is in the notes


def _note_text(note: Commentary) -> list[str]:
    lines = []
    for heading, text in commentary_sections(note):
        lines.extend((heading, xml_safe(text)))
    lines.append(
        f"Version {note.version}, {xml_safe(note.author)}, saved {timestamp(note.saved_at)}"
    )
    return lines


def _commentary_lines(pack: Pack, page: KpiPage) -> list[tuple[str, float, bool, RGBColor]]:
    """The box's paragraphs: its title, then the latest commentary (cut short if long)."""
    note = pack.record.commentary.get(page.metric.id) if pack.record else None
    if note is None:
        return [(COMMENTARY, 12, True, INK), ("", 12, False, INK)]
    lines: list[tuple[str, float, bool, RGBColor]] = [(COMMENTARY, 12, True, INK)]
    left = BOX_CHARACTERS
    for heading, text in commentary_sections(note):
        shown = xml_safe(text)
        if len(shown) > left:
            shown = shown[: max(left, 0)] + "… (in full in the speaker notes)"
        left -= len(shown)
        lines.extend(((heading, 10, True, INK), (shown, 10, False, INK)))
    lines.append((f"Version {note.version}, {xml_safe(note.author)}", 8, False, MUTED))
    return lines


def _action_log_slide(prs, pack: Pack) -> None:
    """The action log: overdue, open and done since the period began, with the as-written note."""
    record = pack.record
    assert record is not None
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    where = "every district and the force" if pack.district == ALL_DISTRICTS else pack.district
    _text(
        slide,
        Inches(0.5),
        Inches(0.25),
        Inches(12.3),
        Inches(0.9),
        [
            ("Action log", 24, True, INK),
            (
                f"Actions for {xml_safe(where)}, from the app database on {record.as_of:%d %b %Y}",
                11,
                False,
                MUTED,
            ),
        ],
        name="Title",
    )
    lines: list[tuple[str, float, bool, RGBColor]] = [(AS_WRITTEN, 10, False, MUTED)]
    groups = [
        (f"Overdue (open, past the due date on {record.as_of:%d %b %Y})", record.overdue),
        ("Open", record.open),
        (f"Done since {record.since:%d %b %Y}", record.done_since),
    ]
    for heading, actions in groups:
        lines.append((f"{heading}: {len(actions)}", 14, True, INK))
        lines.extend((xml_safe(action_line(action))[:300], 11, False, INK) for action in actions)
    box = _text(slide, Inches(0.5), Inches(1.3), Inches(12.3), Inches(5.9), lines, name="Actions")
    box.text_frame.word_wrap = True


def _description(page: KpiPage, pack: Pack) -> str:
    return chart_description(page.chart, page.metric, pack.grain, pack.district_label)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated ZIP_DATE, in the order python-pptx wrote it."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write_pptx(pack: Pack, progress: Progress | None = None) -> bytes:
    """The pack as PowerPoint bytes."""
    report = progress or (lambda _stage, _done, _total: None)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE, TALL
    stamp = dt.datetime.combine(pack.extract_date, dt.time())
    properties = prs.core_properties
    properties.title = f"{TITLE}: {pack.district_label}, {pack.period}"
    properties.author = properties.last_modified_by = pack.force_name
    properties.subject = pack.subtitle
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    _title_slide(prs, pack)
    _summary_slide(prs, pack)
    total = len(pack.pages)
    for done, page in enumerate(pack.pages):
        report("drawing slides", done, total)
        picture = None
        if page.has_values:
            picture = chart_png(chart_spec(page, pack, height=SLIDE_CHART_HEIGHT))
        _kpi_slide(prs, pack, page, picture)
    if pack.record is not None:
        _action_log_slide(prs, pack)
    report("drawing slides", total, total)
    out = io.BytesIO()
    prs.save(out)
    return _fixed_zip(out.getvalue())
