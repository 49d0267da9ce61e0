"""The generated documents open in the libraries that read their formats, with every line
of their content where it belongs, and they record a fixed date rather than the time they
were made, so the same content gives the same bytes. (LibreOffice's `soffice --headless
--convert-to pdf` opens each of them too; that was checked by hand when they were moved to
the libraries.)"""

import io
import re
import zipfile
import zlib

import docx as python_docx
import openpyxl
import pytest
from odf import dc, opendocument, style, teletype
from odf import text as odf_text

from cms.models import ToolkitPage
from demo import documents
from demo.pages import TOOLKITS

pytestmark = pytest.mark.django_db

CHECKLIST = documents.POLL_WORKER_CHECKLIST
LOG = documents.CUSTODY_LOG
# The checklist has fill-in fields and signatures; the handout has bullet points too.
TEXT_DOCUMENTS = [CHECKLIST, documents.RLA_HANDOUT]


def outline(document: documents.TextDocument) -> list[tuple[str, str]]:
    """Each paragraph the document should have, in order, with its kind."""
    lines = [("title", document.title)]
    lines += [("text", paragraph) for paragraph in document.intro]
    lines += [("text", f"{label}: {'_' * 40}") for label in document.fields]
    for section in document.sections:
        marker = documents.CHECKBOX if section.checkboxes else documents.BULLET
        lines.append(("heading", section.heading))
        lines += [("item", f"{marker}\t{item}") for item in section.items]
    if document.signatures:
        lines.append(("heading", "Signatures"))
        lines += [
            ("text", f"{label}: {'_' * 32}   Date: ________") for label in document.signatures
        ]
    return lines


@pytest.mark.parametrize("document", TEXT_DOCUMENTS, ids=lambda d: d.title)
def test_docx_has_every_paragraph_in_its_style_and_the_footer_on_each_page(document):
    word = python_docx.Document(io.BytesIO(documents.docx(document)))
    kinds = {"Title": "title", "Normal": "text", "Heading 1": "heading", "List item": "item"}
    paragraphs = [(kinds[p.style.name], p.text) for p in word.paragraphs]
    assert paragraphs == outline(document)
    assert [p.text for p in word.sections[0].footer.paragraphs] == [document.footer]
    assert word.core_properties.title == document.title


@pytest.mark.parametrize("document", TEXT_DOCUMENTS, ids=lambda d: d.title)
def test_odt_has_every_paragraph_in_its_style_and_the_footer_on_each_page(document):
    data = documents.odt(document)
    first = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert data[30:38] == b"mimetype"  # right after the first local header, as ODF requires
    odt = opendocument.load(io.BytesIO(data))
    assert odt.mimetype == "application/vnd.oasis.opendocument.text"
    kinds = {"Title": "title", None: "text", "Heading_20_1": "heading", "List_20_item": "item"}
    paragraphs = [
        (kinds[node.getAttribute("stylename")], teletype.extractText(node))
        for node in odt.text.childNodes
    ]
    assert paragraphs == outline(document)
    assert len(odt.getElementsByType(odf_text.H)) == len(document.sections) + bool(
        document.signatures
    )
    [footer] = odt.masterstyles.getElementsByType(style.Footer)
    assert teletype.extractText(footer) == document.footer
    [title] = odt.meta.getElementsByType(dc.Title)
    assert teletype.extractText(title) == document.title


def test_xlsx_opens_with_the_log_columns_blank_rows_and_instructions():
    workbook = openpyxl.load_workbook(io.BytesIO(documents.xlsx(LOG)))
    assert workbook.sheetnames == ["Log", "How to use"]
    assert workbook.properties.title == LOG.title
    log = workbook["Log"]
    assert log["A1"].value == LOG.title
    assert log["A1"].font.b
    assert log["A3"].value.endswith("     Page ____ of ____")
    header = log[4]
    assert [cell.value for cell in header] == [column.name for column in LOG.columns]
    assert all(cell.font.b and cell.border.bottom.style == "thin" for cell in header)
    assert [log.column_dimensions[cell.column_letter].width for cell in header] == [
        column.width for column in LOG.columns
    ]
    assert log.freeze_panes == "A5"
    assert log.print_title_rows == "$4:$4"
    assert log.page_setup.orientation == "landscape"
    assert log.max_row == 4 + LOG.rows
    blank_rows = list(log.iter_rows(min_row=5))
    assert all(
        cell.value is None and cell.border.left.style == "thin"
        for row in blank_rows
        for cell in row
    )
    lists = {str(v.sqref): v.formula1 for v in log.data_validations.dataValidation}
    assert lists["C5:C54"].strip('"').split(",") == list(LOG.choices["Item or container"])
    assert lists["F5:F54"] == '"Y,N"'
    help_text = [row[0].value for row in workbook["How to use"].iter_rows(min_row=2)]
    assert [line for line in help_text if line] == [*LOG.instructions, LOG.footer]


def pdf_pages(data: bytes) -> tuple[int, list[bytes]]:
    """The page count and each page's drawing operators, from the compressed streams."""
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pages = int(re.search(rb"/Count (\d+)", data)[1])
    streams = [
        zlib.decompress(body)
        for body in re.findall(rb"stream\n(.*?)\nendstream", data, flags=re.DOTALL)
    ]
    assert len(streams) == pages  # one content stream per page, and no embedded font
    return pages, streams


def shown_text(streams: list[bytes]) -> str:
    """The strings the pages show, one per line of text, in the PDF's Windows-1252."""
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", b"\n".join(streams))
    return "\n".join(re.sub(rb"\\(.)", rb"\1", s).decode("cp1252") for s in strings)


def words(text: str) -> set[str]:
    """The words, without punctuation, markers or the underscores of blanks."""
    return set(re.findall(r"[^\W_]+", text))


@pytest.mark.parametrize("document", TEXT_DOCUMENTS, ids=lambda d: d.title)
def test_pdf_has_every_word_in_the_standard_fonts_with_page_numbers(document):
    data = documents.pdf(document)
    pages, streams = pdf_pages(data)
    text = shown_text(streams)
    for _kind, line in outline(document):
        assert words(line) <= words(text), line
    assert text.count(documents.BULLET) == sum(
        len(s.items) for s in document.sections if not s.checkboxes
    )
    assert f"Page {pages} of {pages}" in " ".join(text.split())  # the footer may wrap
    assert b"/BaseFont /Helvetica\n" in data
    assert b"/Title (%s)" % document.title.encode() in data
    assert b"/MediaBox [0 0 612.00 792.00]" in data  # US letter


def test_pdf_log_is_one_landscape_page_with_the_columns_and_a_grid():
    pages, [stream] = pdf_pages(documents.log_pdf(LOG))
    assert pages == 1
    text = shown_text([stream])
    for column in LOG.columns:
        assert words(column.name) <= words(text)
    assert stream.count(b" re S") > len(LOG.columns) * 10  # the grid of blank rows


def test_documents_record_a_fixed_date_not_the_time_they_were_made():
    date = documents.DOCUMENT_DATE
    packages = {
        "docx": documents.docx(CHECKLIST),
        "odt": documents.odt(CHECKLIST),
        "xlsx": documents.xlsx(LOG),
    }
    for data in packages.values():
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
        assert {entry.date_time for entry in entries} == {date.timetuple()[:6]}
    word = python_docx.Document(io.BytesIO(packages["docx"])).core_properties
    assert word.created == word.modified == date
    workbook = openpyxl.load_workbook(io.BytesIO(packages["xlsx"])).properties
    assert workbook.created == workbook.modified == date.replace(tzinfo=None)
    for data in (documents.pdf(CHECKLIST), documents.log_pdf(LOG)):
        assert b"/CreationDate (D:20260101000000Z)" in data
    assert documents.docx(CHECKLIST) == packages["docx"]
    assert documents.odt(CHECKLIST) == packages["odt"]
    assert documents.xlsx(LOG) == packages["xlsx"]
    assert documents.pdf(CHECKLIST) == documents.pdf(CHECKLIST)


def test_each_toolkit_has_its_stored_documents_with_notes_topics_and_every_state():
    assert ToolkitPage.objects.live().count() >= 2
    for toolkit in TOOLKITS:
        page = ToolkitPage.objects.get(slug=toolkit.slug)
        assert page.live
        assert page.get_parent().slug == "guides"
        assert set(page.topics.values_list("slug", flat=True)) == set(toolkit.topics)
        assert page.state_codes == []
        rows = list(page.templates.select_related("document").order_by("sort_order"))
        assert len(rows) == len(toolkit.templates) >= 2
        for row, template in zip(rows, toolkit.templates.values(), strict=True):
            assert row.note == template.note
            assert row.document.title == template.title
            with row.document.open_file() as handle:
                stored = handle.read()
            assert stored == template.make()  # made when the demo was loaded: same bytes
            assert row.document.file_size == len(stored)
            assert row.document.file_extension == template.filename.rsplit(".", 1)[1]
    extensions = {
        row.document.file_extension
        for page in ToolkitPage.objects.all()
        for row in page.templates.all()
    }
    assert {"docx", "odt", "xlsx", "pdf"} <= extensions
