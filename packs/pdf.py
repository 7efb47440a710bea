"""The PDF board pack: cover, contents, a one-page summary, then one page per KPI.

fpdf2 lays out the pages with the committed Liberation Sans (embedded as a subset) and leaves
a frame for each chart; pypdf then draws the chart, a vector PDF from vl-convert, into its
frame. Nothing depends on the clock: the document's dates are the data extract date, so the
same data and options give the same file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pypdf
from fpdf import FPDF
from fpdf.outline import OutlineSection
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
)

from meeting import Commentary
from meeting.tables import timestamp
from metrics import ALL_DISTRICTS
from packs.charts import FONTS, chart_pdf, chart_spec
from packs.content import NO_VALUES, TITLE, Icon, KpiPage, Pack
from packs.meeting_record import AS_WRITTEN, action_line, commentary_sections, font_safe
from presentation.spc_words import MDC_COLOURS

FONT = "LiberationSans"
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4 in points
MARGIN = 40.0
BOTTOM = 48.0  # room for the footer
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = "#1a1a1a"
MUTED = "#595959"
RULE = "#bfbfbf"
SHADE = "#f2f2f2"
CHART_HEIGHT = 235.0
ICON = 11.0

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Frame:
    """Where a chart goes: a page (0-based) and a box in points from the top left."""

    page: int
    x: float
    y: float
    width: float
    height: float


class _Document(FPDF):
    """A4 portrait in points, with the pack's running footer."""

    def __init__(self, pack: Pack) -> None:
        super().__init__(orientation="P", unit="pt", format="A4")
        self.pack = pack
        self.add_font(FONT, "", str(FONTS / "LiberationSans-Regular.ttf"))
        self.add_font(FONT, "B", str(FONTS / "LiberationSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.set_text_color(INK)
        self.set_draw_color(RULE)
        # KPI pages whose commentary is too long for the box: printed in full at the end.
        self.long_notes: list[tuple[KpiPage, Commentary]] = []

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(PAGE_HEIGHT - BOTTOM + 14)
        self.set_font(FONT, "", 8)
        self.set_text_color(MUTED)
        self.cell(CONTENT_WIDTH * 0.75, 10, f"{self.pack.force_name} · {self.pack.subtitle}")
        self.cell(CONTENT_WIDTH * 0.25, 10, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(INK)

    def text_block(self, text: str, size: float, style: str = "", colour: str = INK) -> None:
        """Wrapped text across the content width, moving down."""
        self.set_font(FONT, style, size)
        self.set_text_color(colour)
        self.set_x(MARGIN)
        self.multi_cell(CONTENT_WIDTH, size * 1.3, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(INK)

    def heading(self, text: str, size: float = 15, section: bool = True) -> None:
        if section:
            self.start_section(text)
        self.text_block(text, size, "B")
        self.ln(2)

    def icon(self, icon: Icon, x: float, y: float, size: float = ICON) -> None:
        """An MDC-style icon: a disc in the MDC colour with its letter (nothing without one)."""
        if icon.colour == "none":
            return
        self.set_fill_color(MDC_COLOURS[icon.colour])
        # fpdf2 2.8 draws a circle around (x, y), whatever its docstring says about corners.
        self.circle(x + size / 2, y + size / 2, size / 2, style="F")
        if icon.letter:
            self.set_font(FONT, "B", size * 0.62)
            self.set_text_color("#ffffff")
            self.set_xy(x, y)
            self.cell(size, size, icon.letter, align="C")
            self.set_text_color(INK)


def _cover(doc: _Document, pack: Pack) -> None:
    doc.add_page()
    doc.set_fill_color("#1f3864")
    doc.rect(0, 0, PAGE_WIDTH, 150, style="F")
    doc.set_xy(MARGIN, 50)
    doc.set_text_color("#ffffff")
    doc.set_font(FONT, "B", 24)
    doc.cell(CONTENT_WIDTH, 30, TITLE, new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, "", 15)
    doc.cell(CONTENT_WIDTH, 22, pack.force_name, new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(INK)
    doc.set_y(180)
    doc.set_font(FONT, "B", 20)
    doc.cell(CONTENT_WIDTH, 26, f"{pack.district_label}: {pack.period}", new_x="LMARGIN")
    doc.set_y(doc.get_y() + 40)
    for label, text in pack.cover_lines():
        doc.set_font(FONT, "B", 10)
        doc.set_x(MARGIN)
        doc.cell(120, 15, label)
        doc.set_font(FONT, "", 10)
        doc.multi_cell(CONTENT_WIDTH - 120, 15, text, align="L", new_x="LMARGIN", new_y="NEXT")
    doc.ln(14)
    doc.text_block("Disclosure", 12, "B")
    doc.ln(2)
    for line in pack.disclosure_lines():
        doc.text_block(line, 9.5)
        doc.ln(3)
    doc.ln(10)
    doc.text_block("Reading this pack", 12, "B")
    doc.ln(2)
    doc.text_block(
        "Each KPI is shown as a statistical process control (XmR) chart, read the way NHS "
        "England's Making Data Count reads them: the process limits show the range that "
        "common-cause variation gives; a point beyond a limit, a run of seven on one side of "
        "the mean, seven rising or falling, or two of three near a limit is special-cause "
        "variation. Points are coloured and shaped by type. The series end at the pack's "
        "period, and limits are recalculated from each rebase date.",
        9.5,
    )
    doc.ln(6)
    legend = [
        (Icon("common_cause", "", "", ""), "Common cause: no significant change"),
        (Icon("improvement", "H", "", ""), "Improvement (H: high, L: low)"),
        (Icon("concern", "L", "", ""), "Concern (H: high, L: low)"),
        (Icon("neutral", "H", "", ""), "Neither improvement nor concern (high or low)"),
        (Icon("improvement", "P", "", ""), "Target consistently met"),
        (Icon("concern", "F", "", ""), "Target consistently missed"),
        (Icon("common_cause", "?", "", ""), "Target met inconsistently (hit and miss)"),
    ]
    doc.set_font(FONT, "", 9.5)
    for icon, words in legend:
        y = doc.get_y()
        doc.icon(icon, MARGIN, y + 1.5)
        doc.set_font(FONT, "", 9.5)
        doc.set_xy(MARGIN + ICON + 6, y)
        doc.cell(CONTENT_WIDTH - ICON - 6, 14, words, new_x="LMARGIN", new_y="NEXT")


def _render_contents(doc: FPDF, outline: list[OutlineSection]) -> None:
    doc.set_y(MARGIN)
    doc.set_font(FONT, "B", 15)
    doc.cell(CONTENT_WIDTH, 24, "Contents", new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font(FONT, "", 10)
    for section in outline:
        link = doc.add_link(page=section.page_number)
        y = doc.get_y()
        name, number = section.name, str(section.page_number)
        doc.set_x(MARGIN)
        doc.cell(CONTENT_WIDTH - 40, 15, name, link=link)
        doc.set_xy(MARGIN + CONTENT_WIDTH - 40, y)
        doc.cell(40, 15, number, align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def _middle(
    doc: FPDF, x: float, y: float, width: float, height: float, line: float, text: str, align: str
) -> None:
    """Wrapped text centred vertically in a table cell of the given height."""
    lines = doc.multi_cell(width, line, text, dry_run=True, output="LINES")
    doc.set_xy(x, y + (height - line * len(lines)) / 2)
    doc.multi_cell(width, line, text, align=align)


def _summary(doc: _Document, pack: Pack) -> None:
    doc.heading(f"Summary: {pack.period}")
    doc.text_block(pack.subtitle, 9, colour=MUTED)
    doc.ln(6)
    first = pack.pages[0]
    widths = [20, 135, 68, 68, 68, 88, 68]
    headings = [
        "",
        "KPI",
        f"{pack.period}",
        f"Previous\n{first.previous.period}",
        f"Year before\n{first.year_ago.period}",
        "Variation",
        "Assurance",
    ]
    doc.set_font(FONT, "B", 8)
    doc.set_fill_color(SHADE)
    y = doc.get_y()
    x = MARGIN
    for width, text in zip(widths, headings, strict=True):
        doc.rect(x, y, width, 24, style="F")
        doc.set_xy(x + 2, y + 2)
        doc.multi_cell(width - 4, 10, text, align="L")
        x += width
    doc.set_y(y + 24)
    for page in pack.pages:
        doc.set_font(FONT, "", 8)
        lines = doc.multi_cell(widths[1] - 4, 10, page.metric.title, dry_run=True, output="LINES")
        height = max(len(lines) * 10 + 6, 22)
        y = doc.get_y()
        cells = [
            str(page.number),
            page.metric.title,
            page.current.shown,
            page.previous.shown,
            page.year_ago.shown,
        ]
        x = MARGIN
        for index, (width, text) in enumerate(zip(widths, cells, strict=False)):
            doc.set_font(FONT, "B" if index == 2 else "", 8)
            _middle(doc, x + 2, y, width - 4, height, 10, text, "R" if index >= 2 else "L")
            x += width
        for icon, width in ((page.variation, widths[5]), (page.assurance, widths[6])):
            indent = 8.0
            if icon.colour != "none":
                doc.icon(icon, x + indent, y + (height - ICON) / 2)
                indent += ICON + 4
            doc.set_font(FONT, "", 7.5)
            _middle(doc, x + indent, y, width - indent - 2, height, 9, icon.words, "L")
            x += width
        doc.set_draw_color(RULE)
        doc.line(MARGIN, y + height, MARGIN + sum(widths), y + height)
        doc.set_y(y + height)
    doc.ln(8)
    doc.text_block(
        "Previous: the period before; year before: the same period a year earlier. Variation "
        "and assurance are the Making Data Count icons for the latest point of each series "
        "(see the cover).",
        8,
        colour=MUTED,
    )


def _figures(doc: _Document, page: KpiPage) -> None:
    """Three boxes: this period, the period before, the same period last year."""
    y = doc.get_y()
    width = CONTENT_WIDTH / 3
    boxes = [
        (f"This period ({page.current.period})", page.current.shown, "", 18),
        (
            f"Previous period ({page.previous.period})",
            page.previous.shown,
            page.previous.change,
            13,
        ),
        (
            f"Same period last year ({page.year_ago.period})",
            page.year_ago.shown,
            page.year_ago.change,
            13,
        ),
    ]
    for index, (label, value, change, size) in enumerate(boxes):
        x = MARGIN + index * width
        doc.set_fill_color(SHADE)
        doc.rect(x + (0 if index == 0 else 4), y, width - 4, 54, style="F")
        doc.set_xy(x + 8, y + 5)
        doc.set_font(FONT, "", 8)
        doc.set_text_color(MUTED)
        doc.cell(width - 16, 10, label)
        doc.set_text_color(INK)
        doc.set_xy(x + 8, y + 17)
        doc.set_font(FONT, "B", size)
        doc.cell(width - 16, 20, value)
        if change:
            doc.set_xy(x + 8, y + 39)
            doc.set_font(FONT, "", 8)
            doc.cell(width - 16, 10, change)
    doc.set_y(y + 62)
    for name, icon in (("Variation", page.variation), ("Assurance", page.assurance)):
        y = doc.get_y()
        doc.set_font(FONT, "B", 9)
        doc.set_xy(MARGIN, y)
        doc.cell(62, 14, name)
        doc.icon(icon, MARGIN + 62, y + 1.5)
        doc.set_font(FONT, "", 9)
        doc.set_xy(MARGIN + 62 + ICON + 6, y)
        doc.cell(CONTENT_WIDTH - 80, 14, icon.label, new_x="LMARGIN", new_y="NEXT")


def _table(doc: _Document, page: KpiPage) -> None:
    doc.text_block("The numbers behind the chart", 10, "B")
    doc.ln(2)
    columns = len(page.table_header)
    period_width, limits_width, point_width = 64.0, 112.0, 76.0
    others = (CONTENT_WIDTH - period_width - limits_width - point_width) / (columns - 3)
    widths = [period_width, *[others] * (columns - 3), limits_width, point_width]
    doc.set_font(FONT, "B", 8)
    doc.set_fill_color(SHADE)
    for index, (width, text) in enumerate(zip(widths, page.table_header, strict=True)):
        align = "L" if index == 0 or index == columns - 1 else "R"
        doc.cell(width, 13, text, align=align, fill=True)
    doc.ln(13)
    doc.set_font(FONT, "", 8)
    for row in page.table_rows:
        for index, (width, text) in enumerate(zip(widths, row, strict=True)):
            align = "L" if index == 0 or index == columns - 1 else "R"
            doc.cell(width, 12, text, align=align, border="B")
        doc.ln(12)


def _kpi_page(doc: _Document, pack: Pack, page: KpiPage) -> _Frame:
    doc.add_page()
    doc.heading(f"{page.number}. {page.metric.title}")
    doc.text_block(pack.subtitle, 9, colour=MUTED)
    doc.ln(6)
    _figures(doc, page)
    doc.ln(4)
    frame = _Frame(doc.page - 1, MARGIN, doc.get_y(), CONTENT_WIDTH, CHART_HEIGHT)
    if not page.has_values:
        doc.set_draw_color(RULE)
        doc.rect(frame.x, frame.y, frame.width, frame.height)
        doc.set_xy(frame.x, frame.y + frame.height / 2 - 7)
        doc.set_font(FONT, "", 10)
        doc.set_text_color(MUTED)
        doc.cell(frame.width, 14, f"No chart: {NO_VALUES.label.lower()}.", align="C")
        doc.set_text_color(INK)
    doc.set_y(frame.y + CHART_HEIGHT + 8)
    _table(doc, page)
    doc.ln(8)
    doc.text_block("Definition", 10, "B")
    doc.ln(1)
    for note in page.notes:
        doc.text_block(note, 8.5)
    doc.ln(8)
    top = doc.get_y()
    bottom = PAGE_HEIGHT - BOTTOM
    doc.set_draw_color(RULE)
    doc.rect(MARGIN, top, CONTENT_WIDTH, bottom - top)
    doc.set_xy(MARGIN + 6, top + 5)
    doc.set_font(FONT, "B", 10)
    doc.cell(CONTENT_WIDTH - 12, 14, "Commentary")
    note = pack.record.commentary.get(page.metric.id) if pack.record else None
    if note is not None:
        if not _commentary_box(doc, note, top + 22, bottom - 6):
            doc.long_notes.append((page, note))
        return frame
    line = top + 36
    while line < bottom - 8:
        doc.line(MARGIN + 6, line, MARGIN + CONTENT_WIDTH - 6, line)
        line += 20
    return frame


COMMENTARY_SIZE = 8.5
_FONT_FILE = str(FONTS / "LiberationSans-Regular.ttf")


def _note_paragraphs(note: Commentary) -> list[tuple[str, str]]:
    """(style, text) paragraphs of a commentary, as the font can draw them."""
    paragraphs = []
    for heading, text in commentary_sections(note):
        paragraphs.append(("B", font_safe(heading, _FONT_FILE)))
        paragraphs.append(("", font_safe(text, _FONT_FILE)))
    byline = f"Version {note.version}, {note.author}, saved {timestamp(note.saved_at)} (UTC)"
    paragraphs.append(("", font_safe(byline, _FONT_FILE)))
    return paragraphs


def _height(doc: _Document, paragraphs: list[tuple[str, str]], width: float) -> float:
    lines = 0
    for style, text in paragraphs:
        doc.set_font(FONT, style, COMMENTARY_SIZE)
        wrapped = doc.multi_cell(width, COMMENTARY_SIZE * 1.3, text, dry_run=True, output="LINES")
        lines += len(wrapped)
    return lines * COMMENTARY_SIZE * 1.3


def _paragraphs(doc: _Document, paragraphs: list[tuple[str, str]], x: float, width: float) -> None:
    for number, (style, text) in enumerate(paragraphs):
        colour = MUTED if number == len(paragraphs) - 1 else INK
        doc.set_font(FONT, style, COMMENTARY_SIZE)
        doc.set_text_color(colour)
        doc.set_x(x)
        doc.multi_cell(width, COMMENTARY_SIZE * 1.3, text, align="L", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(INK)


def _commentary_box(doc: _Document, note: Commentary, top: float, bottom: float) -> bool:
    """The latest commentary in the box, or a pointer to the end when it is too long for it."""
    width = CONTENT_WIDTH - 12
    paragraphs = _note_paragraphs(note)
    doc.set_y(top)
    fits = _height(doc, paragraphs, width) <= bottom - top
    if not fits:
        paragraphs = [
            (
                "",
                "This commentary is longer than the box: it is printed in full under "
                '"Commentary in full" at the end of the pack.',
            )
        ]
    _paragraphs(doc, paragraphs, MARGIN + 6, width)
    return fits


def _meeting_pages(doc: _Document, pack: Pack, long_notes: list[tuple[KpiPage, Commentary]]):
    """Commentary too long for its box, then the action log: the meeting's record."""
    record = pack.record
    assert record is not None
    doc.set_auto_page_break(True, margin=BOTTOM)
    if long_notes:
        doc.add_page()
        doc.heading("Commentary in full")
        doc.text_block(AS_WRITTEN, 9, colour=MUTED)
        for page, note in long_notes:
            doc.ln(6)
            doc.text_block(f"{page.number}. {page.metric.title}", 11, "B")
            _paragraphs(doc, _note_paragraphs(note), MARGIN, CONTENT_WIDTH)
    doc.add_page()
    doc.heading("Action log")
    where = "every district and the force" if pack.district == ALL_DISTRICTS else pack.district
    doc.text_block(
        f"Actions for {where}, from the app database on {record.as_of:%d %b %Y}.", 9, colour=MUTED
    )
    doc.text_block(AS_WRITTEN, 9, colour=MUTED)
    groups = [
        (f"Overdue (open, past the due date on {record.as_of:%d %b %Y})", record.overdue),
        ("Open", record.open),
        (f"Done since {record.since:%d %b %Y}", record.done_since),
    ]
    for heading, actions in groups:
        doc.ln(6)
        doc.text_block(f"{heading}: {len(actions)}", 11, "B")
        for action in actions:
            doc.text_block(font_safe(action_line(action), _FONT_FILE), 9)
        if not actions:
            doc.text_block("None.", 9, colour=MUTED)
    doc.set_auto_page_break(False)


def _canonical(page: pypdf.PageObject) -> pypdf.PageObject:
    """The chart page with its resource names in sorted order (vl-convert's order varies)."""
    resources = page["/Resources"]
    for key in list(resources.keys()):
        entry = resources[key]
        if isinstance(entry, DictionaryObject):
            resources[NameObject(key)] = DictionaryObject(sorted(entry.items()))
    return page


def _form(page: pypdf.PageObject) -> StreamObject:
    """The chart page as a Form XObject: its content stream, resources and box, reused as is.

    Drawing the chart as one XObject is much faster than merging it into the page (which
    rewrites every operator) and keeps it a self-contained vector drawing.
    """
    stream = page["/Contents"].get_object()
    if not isinstance(stream, StreamObject):  # an array of streams: not what vl-convert writes
        raise ValueError("a chart PDF page must have a single content stream")
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in page.mediabox)
    stream[NameObject("/Resources")] = page["/Resources"]
    if "/Group" in page:  # the transparency group vl-convert declares for its drawing
        stream[NameObject("/Group")] = page["/Group"]
    return stream


def _place(writer: pypdf.PdfWriter, frame: _Frame, chart: bytes, name: str) -> None:
    """Draw a chart PDF into its frame, scaled to fit and centred, as vector content."""
    page = _canonical(pypdf.PdfReader(io.BytesIO(chart)).pages[0])
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    scale = min(frame.width / width, frame.height / height)
    x = frame.x + (frame.width - width * scale) / 2
    # PDF space runs up from the bottom of the page; the frame is measured from the top.
    y = PAGE_HEIGHT - frame.y - frame.height + (frame.height - height * scale) / 2
    form = _form(page).clone(writer)
    target = writer.pages[frame.page]
    resources = target["/Resources"]
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(name)] = form.indirect_reference
    drawing = f"q {scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm {name} Do Q\n".encode()
    contents = ContentStream(None, writer)
    contents.set_data(b"q\n" + target.get_contents().get_data() + b"\nQ\n" + drawing)
    target.replace_contents(contents)


def write_pdf(pack: Pack, progress: Progress | None = None) -> bytes:
    """The pack as PDF bytes."""
    report = progress or (lambda _stage, _done, _total: None)
    doc = _Document(pack)
    stamp = dt.datetime.combine(pack.extract_date, dt.time(), tzinfo=dt.UTC)
    doc.set_creation_date(stamp)
    doc.set_title(f"{TITLE}: {pack.district_label}, {pack.period}")
    doc.set_author(pack.force_name)
    doc.set_subject(pack.subtitle)
    doc.set_creator("stalking-kpi board packs")
    doc.set_producer("stalking-kpi (fpdf2, vl-convert, pypdf)")
    doc.set_lang("en-GB")
    _cover(doc, pack)
    doc.add_page()
    # Reserves this page for the contents (drawn at the end) and moves on to a new page.
    doc.insert_toc_placeholder(_render_contents)
    _summary(doc, pack)
    total = len(pack.pages)
    frames = []
    for done, page in enumerate(pack.pages):
        report("laying out pages", done, total)
        frames.append(_kpi_page(doc, pack, page))
    report("laying out pages", total, total)
    if pack.record is not None:
        _meeting_pages(doc, pack, doc.long_notes)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(bytes(doc.output()))))
    for done, (frame, page) in enumerate(zip(frames, pack.pages, strict=True)):
        report("drawing charts", done, total)
        if page.has_values:
            _place(writer, frame, chart_pdf(chart_spec(page, pack)), f"/KpiChart{page.number}")
    report("drawing charts", total, total)
    writer.add_metadata({"/ModDate": f"D:{stamp:%Y%m%d%H%M%S}Z"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
