"""Board packs read back as their readers get them: the text of each PDF page, the PPTX slides.

Expected figures come from ``kpi compute`` (run as a command) or are worked out by hand in the
comments, never from the packs' own content; they are formatted with the dashboard's
``format_value``, which is what the packs promise to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import time
from datetime import datetime as t
from pathlib import Path

import polars as pl
import pypdf
import pytest
from pptx import Presentation

import kpi.cli
from kpi.pack_command import add_pack_parser, pack_format, run_pack
from kpi.progress import Progress
from metrics import REGISTRY, Grain, Median, Metric, PerPopulation, Ratio, compute_kpis
from metrics import prepare_facts as prepare
from packs import FORCE_NAME_ENV, MEDIA_TYPES, build_pack, default_force_name, pack_filename
from presentation.formatting import format_value
from queries import load_source
from tests import fixture_rows
from tests.conftest import collected_metrics, write_sqlite
from tests.fixture_rows import crime

PERIOD = "2024/25 Q1"
# The KPIs a pack of the v1 fixture holds: those its tables and columns can give.
PACKED = collected_metrics(fixture_rows.ALL_ROWS)
PACKED_IDS = [metric.id for metric in PACKED]
ROOT = Path(__file__).resolve().parents[1]


# --- running the command as kpi/cli.py will once ``pack`` is wired in ---------------------------


_BUILD_PARSER = kpi.cli.build_parser


def _parser():
    parser = _BUILD_PARSER()
    if not _WIRED:
        commands = next(a for a in parser._actions if a.dest == "command")
        add_pack_parser(commands)
    return parser


_WIRED = "pack" in kpi.cli.COMMANDS


def main(argv: list[str]) -> int:
    """``kpi`` with ``pack``: the real main, its error handling and its parser."""
    if _WIRED:
        return kpi.cli.main(argv)
    kpi.cli.build_parser = _parser
    kpi.cli.COMMANDS["pack"] = run_pack
    try:
        return kpi.cli.main(argv)
    finally:
        kpi.cli.build_parser = _BUILD_PARSER
        del kpi.cli.COMMANDS["pack"]


def pack_command(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; from tests.test_packs import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "pack", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def compute_csv(url: str, grain: str = "quarter", *extra: str) -> dict[tuple[str, str, str], dict]:
    """``kpi compute`` as a user runs it: rows keyed by metric, period label and district."""
    result = subprocess.run(
        [sys.executable, "-m", "kpi", "compute", "--database-url", url, "--grain", grain, *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    rows = csv.DictReader(io.StringIO(result.stdout))
    return {(r["metric_id"], r["period_label"], r["district"]): r for r in rows}


# --- reading packs back --------------------------------------------------------------------------


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def kpi_page(texts: list[str], metric: Metric, ids: list[str] = PACKED_IDS) -> str:
    number = ids.index(metric.id) + 1
    found = [text for text in texts if text.startswith(f"{number}. {metric.title}\n")]
    assert len(found) == 1, f"{metric.id}: {len(found)} pages"
    return found[0]


def shown(row: dict | None, metric: Metric) -> str:
    """The value of a ``kpi compute`` row as the meeting reads it."""
    if row is None:
        return "–"
    return format_value(None if row["value"] == "" else float(row["value"]), metric.unit)


def counts(row: dict, metric: Metric) -> list[str]:
    """The count columns of a ``kpi compute`` row, in the numbers table's order."""

    def whole(text: str) -> str:
        return "–" if text == "" else f"{int(text):,}"

    match metric.measure:
        case Ratio() | PerPopulation():
            return [whole(row["numerator"]), whole(row["denominator"])]
        case Median():
            return [whole(row["denominator"])]
        case _:
            return []


def table_line(text: str, period: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(f"{period} ")]
    assert len(lines) == 1, lines
    return lines[0]


def slides(data: bytes) -> list[dict[str, str]]:
    """Each slide's text boxes by shape name."""
    deck = Presentation(io.BytesIO(data))
    return [
        {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}
        for slide in deck.slides
    ]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory) -> str:
    return write_sqlite(tmp_path_factory.mktemp("packs") / "fixture.sqlite", fixture_rows.ALL_ROWS)


@pytest.fixture(scope="module")
def expected(fixture_url) -> dict:
    return compute_csv(fixture_url)


@pytest.fixture(scope="module")
def force_pdf(fixture_url, tmp_path_factory) -> bytes:
    output = tmp_path_factory.mktemp("out") / "force.pdf"
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", PERIOD]
    assert main(["pack", *args, "--output", str(output)]) == 0
    return output.read_bytes()


@pytest.fixture(scope="module")
def force_pptx(fixture_url, tmp_path_factory) -> bytes:
    output = tmp_path_factory.mktemp("out") / "force.pptx"
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", PERIOD]
    assert main(["pack", *args, "--output", str(output)]) == 0
    return output.read_bytes()


# Small counts, worked by hand. Districts North, South and East; stalking crimes (8Q) recorded:
#   2023/24 Q4: North 13, South 8                (force 21)
#   2024/25 Q1: North 12 (9 charged: outcome 1), South 3 (1 charged), East 0   (force 15)
SMALL_DISTRICTS = [
    {"district": "North", "population": 100_000},
    {"district": "South", "population": 50_000},
    {"district": "East", "population": 20_000},
]


def _stalking(prefix: str, district: str, n: int, day: t, charged: int) -> list[dict]:
    return [
        crime(
            f"{prefix}{i:02d}",
            district,
            day,
            "8Q",
            recorded_at=day,
            risk_level="standard",
            **(
                {"outcome_code": "1", "outcome_at": day + dt.timedelta(days=20)}
                if i < charged
                else {}
            ),
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def small_counts(tmp_path_factory):
    crimes = (
        _stalking("NQ4-", "North", 13, t(2024, 2, 10, 9), 0)
        + _stalking("SQ4-", "South", 8, t(2024, 2, 11, 9), 0)
        + _stalking("NQ1-", "North", 12, t(2024, 5, 10, 9), 9)
        + _stalking("SQ1-", "South", 3, t(2024, 5, 11, 9), 1)
    )
    url = write_sqlite(
        tmp_path_factory.mktemp("small") / "small.sqlite",
        {"districts": SMALL_DISTRICTS, "crimes": crimes},
    )
    facts = prepare(load_source(url))
    return compute_kpis(facts, Grain.QUARTER), facts.last_date, {}


def suppressed_pack(small_counts, district: str, fmt: str = "pdf") -> bytes:
    """The pack with suppression on, built once per district and format for the module."""
    kpis, last_date, built = small_counts
    if (district, fmt) not in built:
        built[(district, fmt)] = build_pack(
            kpis,
            grain=Grain.QUARTER,
            period=PERIOD,
            extract_date=last_date,
            district=district,
            fmt=fmt,
            suppress_small_counts=True,
        )
    return built[(district, fmt)]


# --- the PDF: figures ----------------------------------------------------------------------------


def test_every_kpi_page_shows_the_figures_kpi_compute_gives(force_pdf, expected):
    texts = pages(force_pdf)
    for metric in PACKED:
        text = kpi_page(texts, metric)
        now = expected[(metric.id, PERIOD, "All")]
        before = expected.get((metric.id, "2023/24 Q4", "All"))
        assert f"This period ({PERIOD})\n{shown(now, metric)}\n" in text, metric.id
        assert f"Previous period (2023/24 Q4)\n{shown(before, metric)}\n" in text, metric.id
        assert "Same period last year (2023/24 Q1)\n–\n" in text, metric.id  # before the data
        row = " ".join([PERIOD, *counts(now, metric), shown(now, metric)])
        assert table_line(text, PERIOD).startswith(row + " "), metric.id


# The fixture's 2024/25 Q1 force figures, as the pack must print them, stated literally (the
# counts are checked against plain SQL in test_kpis_against_sql): 3 stalking crimes; 3 of 7
# crimes with a positive outcome is 42.857…%, shown to one decimal; 6 S&H crimes over 201,000
# residents is 0.0299 per 1,000, shown to two decimals; 3 SPO applications per 3 stalking
# crimes is 100 per 100; first contact after 6 and 48 hours (V05, V08) has a median of 27.
LITERAL = [
    ("stalking_crimes", "3"),
    ("positive_outcome_rate", "42.9%"),
    ("sh_crimes_per_1000", "0.03 per 1,000"),
    ("spo_application_rate", "100.0 per 100"),
    ("victim_contact_median_hours", "27.0 hours"),
]


@pytest.mark.parametrize(("metric_id", "text"), LITERAL, ids=[m for m, _ in LITERAL])
def test_a_kpi_page_and_slide_print_the_figure_worked_out_by_hand(
    force_pdf, force_pptx, metric_id, text
):
    metric = REGISTRY.get(metric_id)
    assert f"This period ({PERIOD})\n{text}\n" in kpi_page(pages(force_pdf), metric)
    number = PACKED_IDS.index(metric_id) + 1
    [slide] = [s for s in slides(force_pptx) if s.get("Title", "").startswith(f"{number}. ")]
    assert slide["Key figures"].splitlines()[:2] == [f"This period ({PERIOD})", text]


def test_the_summary_page_lists_every_kpi_with_its_value(force_pdf, expected):
    summary = pages(force_pdf)[2]
    assert summary.startswith(f"Summary: {PERIOD}\n")
    positions = []
    for number, metric in enumerate(PACKED, start=1):
        start = summary.index(f"\n{number} {metric.title.split()[0]}")
        positions.append(start)
        after = summary[start:]
        value = shown(expected[(metric.id, PERIOD, "All")], metric)
        assert value in after.split(f"\n{number + 1} ")[0], metric.id
    assert positions == sorted(positions)


def test_the_cover_names_the_force_period_district_and_the_data_as_at_date(force_pdf):
    cover = pages(force_pdf)[0]
    assert "Demo Constabulary (synthetic data)" in cover
    assert "District All districts (force)" in cover
    assert "Period 2024/25 Q1: 1 April 2024 to 30 June 2024" in cover
    # The fixture's latest record is order O4's decision on 10 July 2024.
    assert "Data as at 10 July 2024" in cover
    assert "Exact figures: small counts are not suppressed" in cover


def test_a_partial_period_and_the_domestic_abuse_filter_are_named_on_the_cover(
    fixture_url, tmp_path
):
    output = tmp_path / "da.pdf"
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", "2024/25 Q2"]
    assert main(["pack", *args, "--domestic-abuse", "da", "--output", str(output)]) == 0
    texts = pages(output.read_bytes())
    partial = "2024/25 Q2: 1 July 2024 to 30 September 2024 (partial: the data end on 10 July 2024)"
    assert partial in texts[0]
    assert "Records Domestic abuse cases only" in texts[0]
    rows = compute_csv(fixture_url, "quarter", "--domestic-abuse", "da")
    for metric in PACKED:
        row = rows[(metric.id, "2024/25 Q2", "All")]
        assert f"This period (2024/25 Q2)\n{shown(row, metric)}\n" in kpi_page(texts, metric)


def test_the_force_name_on_the_cover_is_the_option_given(fixture_url, tmp_path):
    output = tmp_path / "named.pdf"
    args = ["--database-url", fixture_url, "--grain", "financial_year", "--period", "2024/25"]
    assert main(["pack", *args, "--force-name", "Wessex Police", "--output", str(output)]) == 0
    assert pages(output.read_bytes())[0].splitlines()[1] == "Wessex Police"


def test_the_force_name_defaults_to_the_environment_then_the_demo(monkeypatch):
    monkeypatch.setenv(FORCE_NAME_ENV, "Avon Constabulary")
    assert default_force_name() == "Avon Constabulary"
    argv = ["pack", "--grain", "month", "--period", "2024-04", "--output", "x.pdf"]
    args = _parser().parse_args(argv)
    assert args.force_name == "Avon Constabulary"
    monkeypatch.delenv(FORCE_NAME_ENV)
    assert default_force_name() == "Demo Constabulary (synthetic data)"


# --- the PDF: a document to circulate ------------------------------------------------------------


def test_every_page_after_the_cover_is_numbered(force_pdf):
    texts = pages(force_pdf)
    assert len(texts) == 3 + len(PACKED)
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {len(texts)}" in text


def test_the_contents_page_gives_the_page_of_every_kpi(force_pdf):
    texts = pages(force_pdf)
    contents = texts[1].splitlines()
    assert "Contents" in contents
    for metric in PACKED:
        page = texts.index(kpi_page(texts, metric)) + 1
        number = PACKED_IDS.index(metric.id) + 1
        assert f"{number}. {metric.title} {page}" in contents
    outline = [item.title for item in pypdf.PdfReader(io.BytesIO(force_pdf)).outline]
    assert outline == [f"Summary: {PERIOD}"] + [
        f"{n}. {m.title}" for n, m in enumerate(PACKED, start=1)
    ]


def _fonts(resources) -> list:
    """Every font dictionary reachable from a page's resources, forms included."""
    found = []
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        found.extend(d.get_object() for d in font.get("/DescendantFonts", [])) or None
        if "/DescendantFonts" not in font:
            found.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found.extend(_fonts(xobject.get("/Resources")))
    return found


def _xobjects(resources) -> list:
    found = []
    resources = resources.get_object() if resources is not None else {}
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        found.append(xobject)
        if xobject.get("/Subtype") == "/Form":
            found.extend(_xobjects(xobject.get("/Resources")))
    return found


def test_every_font_is_embedded(force_pdf):
    reader = pypdf.PdfReader(io.BytesIO(force_pdf))
    fonts = [font for page in reader.pages for font in _fonts(page.get("/Resources"))]
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    names = {str(font["/BaseFont"]).split("+")[-1] for font in fonts}
    assert names <= {"LiberationSans", "LiberationSans-Bold", "LiberationSansBold"}


def test_charts_are_vector_drawings_with_no_images(force_pdf):
    reader = pypdf.PdfReader(io.BytesIO(force_pdf))
    texts = [page.extract_text() for page in reader.pages]
    for metric in PACKED:
        page = reader.pages[texts.index(kpi_page(texts, metric))]
        xobjects = _xobjects(page.get("/Resources"))
        assert any(x.get("/Subtype") == "/Form" for x in xobjects), metric.id
        assert not any(x.get("/Subtype") == "/Image" for x in xobjects), metric.id
        assert "Limits recalculated from" in page.extract_text() or not metric.rebase


def test_the_same_data_and_options_give_the_same_file(force_pdf, fixture_url, tmp_path):
    output = tmp_path / "again.pdf"
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", PERIOD]
    result = pack_command(*args, "--output", str(output))
    assert result.returncode == 0, result.stderr
    again = output.read_bytes()
    assert pages(again) == pages(force_pdf)
    assert again == force_pdf
    metadata = pypdf.PdfReader(io.BytesIO(again)).metadata
    assert metadata["/CreationDate"] == "D:20240710000000Z"  # the data extract date


# --- the PowerPoint -----------------------------------------------------------------------------


def test_the_deck_has_one_slide_per_kpi_with_the_figures_kpi_compute_gives(force_pptx, expected):
    deck = slides(force_pptx)
    assert len(deck) == 2 + len(PACKED)  # a title slide and a summary, then the KPIs
    for number, metric in enumerate(PACKED, start=1):
        found = [s for s in deck if s.get("Title", "").startswith(f"{number}. {metric.title}\n")]
        assert len(found) == 1, metric.id
        figures = found[0]["Key figures"].splitlines()
        now = expected[(metric.id, PERIOD, "All")]
        assert figures[:2] == [f"This period ({PERIOD})", shown(now, metric)], metric.id
        before = shown(expected.get((metric.id, "2023/24 Q4", "All")), metric)
        assert figures[2] == f"Previous period (2023/24 Q4): {before}", metric.id


def test_every_kpi_slide_has_an_empty_editable_commentary_box(force_pptx):
    deck = Presentation(io.BytesIO(force_pptx))
    for slide in list(deck.slides)[2:]:
        boxes = [shape for shape in slide.shapes if shape.name == "Commentary"]
        assert len(boxes) == 1
        paragraphs = [p.text for p in boxes[0].text_frame.paragraphs]
        assert paragraphs == ["Commentary", ""]
        assert boxes[0].shape_type == 17  # MSO_SHAPE_TYPE.TEXT_BOX: editable text
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == 1  # the SPC chart
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr").startswith("SPC chart of ")


def test_the_same_data_and_options_give_the_same_deck(force_pptx, fixture_url, tmp_path):
    output = tmp_path / "again.pptx"
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", PERIOD]
    result = pack_command(*args, "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert slides(output.read_bytes()) == slides(force_pptx)
    assert output.read_bytes() == force_pptx


# --- suppression, as stated on the cover ---------------------------------------------------------


@pytest.mark.parametrize(
    ("district", "now", "before"),
    [
        pytest.param("North", "10", "15", id="North: 12 -> 10, 13 -> 15"),
        pytest.param("South", "*", "10", id="South: 3 -> *, 8 -> 10"),
        pytest.param("East", "0", "0", id="East: 0 stays 0"),
        pytest.param("All", "15", "21", id="the force: exact"),
    ],
)
def test_district_counts_are_suppressed_exactly_as_the_cover_states(
    small_counts, district, now, before
):
    texts = pages(suppressed_pack(small_counts, district))
    cover = texts[0].replace("\n", " ")
    assert (
        "a count from 1 to 7 is shown as *, a count of 8 or more is rounded to the nearest 5"
        in (cover)
    )
    assert "Residual risk: the force-wide figures are exact" in cover
    stalking = kpi_page(texts, REGISTRY.get("stalking_crimes"))
    assert f"This period ({PERIOD})\n{now}\n" in stalking
    assert f"Previous period (2023/24 Q4)\n{before}\n" in stalking
    assert table_line(stalking, PERIOD).startswith(f"{PERIOD} {now} ")


@pytest.mark.parametrize(
    ("district", "rate", "per_1000"),
    [
        # 9 of 12 charged: counts shown 10 of 10, the rate from the exact counts.
        pytest.param("North", "10 10 75.0%", "10 100,000 0.10 per 1,000", id="North"),
        # 1 of 3: both counts suppressed, so the rate is too.
        pytest.param("South", "* * *", "* 50,000 *", id="South"),
        # 10 of 15, and 15 crimes in 170,000 residents = 0.088 per 1,000: exact.
        pytest.param("All", "10 15 66.7%", "15 170,000 0.09 per 1,000", id="the force"),
    ],
)
def test_rates_follow_the_suppression_of_their_counts(small_counts, district, rate, per_1000):
    texts = pages(suppressed_pack(small_counts, district))
    for metric_id in ("positive_outcome_rate", "charge_summons_rate"):
        page = kpi_page(texts, REGISTRY.get(metric_id))
        assert table_line(page, PERIOD).startswith(f"{PERIOD} {rate} ")
    page = kpi_page(texts, REGISTRY.get("sh_crimes_per_1000"))
    assert table_line(page, PERIOD).startswith(f"{PERIOD} {per_1000} ")


def test_a_district_pack_counts_the_suppressed_figures_that_differencing_narrows(small_counts):
    cover = pages(suppressed_pack(small_counts, "South"))[0].replace("\n", " ")
    assert "can be narrowed that way" in cover
    force_cover = pages(suppressed_pack(small_counts, "All"))[0]
    assert "can be narrowed that way" not in force_cover


def test_a_suppressed_district_deck_hides_the_same_figures(small_counts):
    deck = slides(suppressed_pack(small_counts, "South", "pptx"))
    stalking = next(s for s in deck if s.get("Title", "").startswith("1. Stalking crimes"))
    assert stalking["Key figures"].splitlines()[1] == "*"
    assert "is shown as *" in "\n".join(deck[0].values())


# --- a district on the demo data ----------------------------------------------------------------


def test_a_district_pack_on_the_demo_data_matches_kpi_compute_for_that_district(demo_database):
    facts = prepare(load_source(demo_database))
    kpis = compute_kpis(facts, Grain.MONTH)
    district = facts.districts["district"][0]
    period = kpis.filter(pl.col("period_start") < facts.last_date.replace(day=1))[
        "period_label"
    ].max()
    started = time.perf_counter()
    data = build_pack(
        kpis, grain=Grain.MONTH, period=period, extract_date=facts.last_date, district=district
    )
    assert time.perf_counter() - started >= 0  # built; timings are reported, not asserted
    expected = compute_csv(demo_database, "month")
    texts = pages(data)
    # A district's pack leaves out the force-only stocks; every other KPI computed has a page.
    in_pack = [m for m in REGISTRY if not m.force_only and (m.id, period, district) in expected]
    assert in_pack
    for metric in in_pack:
        row = expected[(metric.id, period, district)]
        # A KPI page after the cover, contents and summary; a long title wraps on the page,
        # so the line breaks are read as spaces.
        title = re.compile(rf"\b\d+\. {re.escape(metric.title)}")
        [page] = [t for t in texts[3:] if title.search(" ".join(t.split()))]
        assert f"This period ({period})\n{shown(row, metric)}\n" in page


# --- errors --------------------------------------------------------------------------------------


def test_a_bad_period_is_one_line_listing_the_valid_periods(fixture_url, capsys):
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", "2030/31 Q1"]
    assert main(["pack", *args, "--output", "unused.pdf"]) == 2
    error = capsys.readouterr().err
    assert error == (
        "kpi: error: unknown period '2030/31 Q1' at grain quarter; choose from: "
        "2023/24 Q4, 2024/25 Q1, 2024/25 Q2\n"
    )


def test_a_period_label_of_another_grain_is_refused_with_this_grains_labels(fixture_url, capsys):
    args = ["--database-url", fixture_url, "--grain", "financial_year", "--period", PERIOD]
    assert main(["pack", *args, "--output", "unused.pdf"]) == 2
    assert capsys.readouterr().err == (
        "kpi: error: unknown period '2024/25 Q1' at grain financial_year; choose from: "
        "2023/24, 2024/25\n"
    )


def test_an_unknown_district_is_one_line_listing_the_districts(fixture_url, capsys):
    args = ["--database-url", fixture_url, "--grain", "quarter", "--period", PERIOD]
    assert main(["pack", *args, "--district", "Atlantis", "--output", "unused.pdf"]) == 2
    assert capsys.readouterr().err == (
        "kpi: error: unknown district 'Atlantis'; choose from: All, Empty, North, South, Dup, "
        "Mars\n"
    )


def test_a_format_that_contradicts_the_output_file_is_refused(capsys):
    args = ["--database-url", "sqlite:///x", "--grain", "quarter", "--period", PERIOD]
    assert main(["pack", *args, "--format", "pdf", "--output", "pack.pptx"]) == 2
    assert "does not match the --output file" in capsys.readouterr().err


def test_the_format_follows_the_output_file_unless_chosen():
    assert pack_format("board.pptx", None) == "pptx"
    assert pack_format("board.PDF", None) == "pdf"
    assert pack_format("board", None) == "pdf"
    assert pack_format("board", "pptx") == "pptx"


def test_a_missing_period_option_is_a_one_line_usage_error(capsys):
    assert main(["pack", "--grain", "quarter", "--output", "x.pdf"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_the_app_gets_a_file_name_and_media_type_for_each_format():
    assert pack_filename("2024/25 Q1") == "board-pack_2024-25-Q1_force.pdf"
    assert pack_filename("2024-04", "Bath and North East Somerset", "pptx") == (
        "board-pack_2024-04_Bath-and-North-East-Somerset.pptx"
    )
    assert MEDIA_TYPES["pdf"] == "application/pdf"


def test_progress_goes_to_stderr_only_on_a_terminal():
    progress = Progress(io.StringIO())
    progress.stage("drawing charts", 1, 2)
    assert progress._stream.getvalue() == ""


def test_the_package_exports_exactly_its_public_api():
    import packs

    assert set(packs.__all__) == {
        "DEFAULT_FORCE_NAME",
        "DEFAULT_RULE",
        "FORCE_NAME_ENV",
        "FORMATS",
        "MEDIA_TYPES",
        "SUPPRESSED",
        "PackError",
        "PackFormat",
        "SuppressionRule",
        "build_pack",
        "default_force_name",
        "differencing_exposure",
        "marked",
        "pack_filename",
        "suppress_small_counts",
    }
    assert all(hasattr(packs, name) for name in packs.__all__)
