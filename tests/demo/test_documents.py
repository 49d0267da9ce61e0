"""The generated documents are packages their readers accept: well-formed XML in a zip with
the parts each format requires, and PDFs whose cross-reference table points at their
objects. (With LibreOffice installed, `soffice --headless --convert-to pdf` opens each of
them too; that was checked by hand when this module was written.)"""

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

import openpyxl
import pytest

from cms.models import ToolkitPage
from demo import documents
from demo.pages import TOOLKITS

pytestmark = pytest.mark.django_db

CHECKLIST = documents.POLL_WORKER_CHECKLIST
LOG = documents.CUSTODY_LOG


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def all_text(xml: bytes) -> str:
    return "".join(ElementTree.fromstring(xml).itertext())  # noqa: S314 - our own output


def assert_well_formed(package: dict[str, bytes]) -> None:
    for name, content in package.items():
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(content)  # noqa: S314 - our own output; raises if malformed


def checklist_lines(document: documents.TextDocument) -> list[str]:
    return [document.title, *(item for s in document.sections for item in s.items)]


def test_docx_is_a_word_package_with_every_line():
    package = parts(documents.docx(CHECKLIST))
    assert_well_formed(package)
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "docProps/core.xml",
    } <= set(package)
    types = package["[Content_Types].xml"].decode()
    assert "wordprocessingml.document.main+xml" in types
    text = all_text(package["word/document.xml"])
    for line in checklist_lines(CHECKLIST):
        assert line in text
    assert text.count(documents.CHECKBOX) == sum(len(s.items) for s in CHECKLIST.sections)
    assert CHECKLIST.title in all_text(package["docProps/core.xml"])


def test_odt_starts_with_its_uncompressed_mimetype_and_has_every_line():
    data = documents.odt(CHECKLIST)
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert data[30:38] == b"mimetype"  # right after the first local header, as ODF requires
    package = parts(data)
    assert package["mimetype"] == b"application/vnd.oasis.opendocument.text"
    assert_well_formed(package)
    manifest = package["META-INF/manifest.xml"].decode()
    for name in ("content.xml", "styles.xml", "meta.xml"):
        assert f'manifest:full-path="{name}"' in manifest
    text = all_text(package["content.xml"])
    for line in checklist_lines(CHECKLIST):
        assert line in text


def test_xlsx_opens_with_the_log_columns_blank_rows_and_instructions():
    data = documents.xlsx(LOG)
    assert_well_formed(parts(data))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Log", "How to use"]
    log = workbook["Log"]
    assert log["A1"].value == LOG.title
    header = [cell.value for cell in log[4]]
    assert header == [column.name for column in LOG.columns]
    assert log.freeze_panes == "A5"
    assert log.max_row == 4 + LOG.rows
    assert all(cell.value is None for row in log.iter_rows(min_row=5) for cell in row)
    lists = {str(v.sqref): v.formula1 for v in log.data_validations.dataValidation}
    assert lists["C5:C54"].strip('"').split(",") == list(LOG.choices["Item or container"])
    help_text = [row[0].value for row in workbook["How to use"].iter_rows(min_row=2)]
    for line in LOG.instructions:
        assert line in help_text


def pdf_objects(data: bytes) -> tuple[int, list[bytes]]:
    """Check the PDF's structure: header, cross-reference offsets, trailer. Returns the
    page count and the decompressed page contents."""
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF", data)[1])
    assert data[startxref:].startswith(b"xref\n0 ")
    count = int(re.match(rb"xref\n0 (\d+)", data[startxref:])[1])
    entries = re.findall(rb"(\d{10}) 00000 n \n", data[startxref:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)
    pages = int(re.search(rb"/Type /Pages /Kids \[[^\]]*\] /Count (\d+)", data)[1])
    streams = [
        zlib.decompress(body)
        for body in re.findall(rb"stream\n(.*?)\nendstream", data, flags=re.DOTALL)
    ]
    assert len(streams) == pages
    return pages, streams


def test_pdf_checklist_has_every_line_in_the_standard_fonts():
    data = documents.pdf(CHECKLIST)
    pages, streams = pdf_objects(data)
    assert pages >= 1
    shown = b" ".join(re.findall(rb"\((.*?)\) Tj", b"\n".join(streams))).decode("cp1252")
    words = set(shown.split())
    for line in checklist_lines(CHECKLIST):
        assert set(line.split()) <= words
    assert b"/BaseFont /Helvetica " in data
    assert b"/Title (Polling place opening and closing checklist)" in data


def test_pdf_log_is_one_landscape_page_with_the_columns():
    data = documents.log_pdf(LOG)
    pages, [stream] = pdf_objects(data)
    assert pages == 1
    assert b"/MediaBox [0 0 792 612]" in data
    assert stream.count(b" re S") > len(LOG.columns) * 10  # the grid of blank rows


def test_text_wraps_within_the_width():
    lines = documents.wrap("word " * 200, 300, 10)
    assert len(lines) > 1
    assert all(documents.text_width(line, 10) <= 300 for line in lines)


def test_documents_are_the_same_bytes_every_time():
    assert documents.docx(CHECKLIST) == documents.docx(CHECKLIST)
    assert documents.xlsx(LOG) == documents.xlsx(LOG)
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
            assert stored == template.make()
            assert row.document.file_size == len(stored)
            assert row.document.file_extension == template.filename.rsplit(".", 1)[1]
    extensions = {
        row.document.file_extension
        for page in ToolkitPage.objects.all()
        for row in page.templates.all()
    }
    assert {"docx", "odt", "xlsx", "pdf"} <= extensions
