"""The demo's downloadable documents, made at load time with document libraries: Word
(python-docx), OpenDocument text (odfpy), an Excel workbook (openpyxl) and PDF (fpdf2), so
the demo commits no binary file. The output is deterministic: the same content gives the
same bytes, because every date a format records is `DOCUMENT_DATE`.

Two kinds of content: a `TextDocument` (a title, an introduction, fill-in fields, sections
of checklist or bullet items and signature lines) and a `LogTemplate` (a blank log: one
row per entry under a header of columns)."""

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

import docx as python_docx
import openpyxl
from django.core.files.base import ContentFile
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Inches, Pt
from fpdf import FPDF, FontFace
from odf import dc, style, text
from odf.opendocument import OpenDocumentText
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter
from wagtail.documents.models import Document

# The creation date every document states, and the date of its zip entries, so that a
# document's bytes do not depend on when it was made.
DOCUMENT_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
CHECKBOX = "\u2610"  # ☐
BULLET = "\u2022"  # •
AUTHOR = "Canvass"


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[str, ...]
    checkboxes: bool = True  # False: bullet points


@dataclass(frozen=True)
class TextDocument:
    title: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    fields: tuple[str, ...] = ()  # labels of the blanks to fill in at the top
    signatures: tuple[str, ...] = ()  # labels of the signature lines at the end
    footer: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    width: int  # in characters, as spreadsheets measure columns


@dataclass(frozen=True)
class LogTemplate:
    title: str
    instructions: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: int
    fields: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column name: list
    footer: str = ""


# --- the demo's documents --------------------------------------------------------------

DEMO_FOOTER = (
    "A template from Canvass demo content. Adapt it to your state's law and your office's "
    "procedures before use."
)

POLL_WORKER_CHECKLIST = TextDocument(
    title="Polling place opening and closing checklist",
    intro=(
        "Poll workers tick each line as it is done, and the chief poll worker signs at the "
        "end. Text in [square brackets] is for your office to replace with its own times, "
        "phone numbers and state requirements before printing.",
    ),
    fields=("Polling place and precinct", "Date", "Chief poll worker", "Second poll worker"),
    sections=(
        Section(
            "Before the polls open",
            (
                "Arrive by [time set by your office] and sign the poll worker roster.",
                "Check the seal on every tabulator, ballot-marking device, e-pollbook and "
                "ballot container. Write each seal number on the chain-of-custody log and "
                "compare it with the delivery record.",
                "Open sealed supplies with two workers present [of different parties, where "
                "your state requires it].",
                "Set up the accessible voting system first, test it, and keep it ready for "
                "any voter who asks.",
                "Walk the route from parking to the entrance and into the voting area: "
                "temporary ramps, door stops and signs are in place.",
                "Post the notices and signs your state requires [list them here].",
                "Print the zero report on each tabulator; two workers sign it.",
                "Count the unvoted ballots received and write the count here: ________",
                "Check that the poll book shows this polling place, and that the paper "
                "backup is on hand.",
                "Check that provisional ballot envelopes, and the notice that tells voters "
                "how to find out whether their ballot counted, are on hand.",
                "Call the election office at [phone number] if anything is missing, damaged "
                "or does not match the log.",
                "Open the polls at [opening time] and announce it.",
            ),
        ),
        Section(
            "After the polls close",
            (
                "Announce the close at [closing time]. Voters in line at that time [follow "
                "your state's rule for voters in line].",
                "Print the results tape from each tabulator; two workers sign every copy "
                "[post a copy if your state requires it].",
                "Reconcile: voters checked in against ballots cast; ballots issued against "
                "voted, spoiled and unused; provisional ballots issued against returned.",
                "Seal voted ballots, spoiled ballots, unused ballots and provisional "
                "envelopes in separate containers, and write each seal number on the log.",
                "Remove the removable media, seal it, and write the seal numbers on the log.",
                "Shut down and seal the equipment as your office instructs.",
                "Two workers take the materials to [return location] and both sign the "
                "chain-of-custody log at each hand-off.",
                "Write anything unusual on the incident report and hand it in with the materials.",
            ),
        ),
    ),
    signatures=("Chief poll worker", "Second poll worker"),
    footer=DEMO_FOOTER,
)

CUSTODY_LOG = LogTemplate(
    title="Chain-of-custody log",
    instructions=(
        "Write one line for every transfer of ballots, voting equipment or removable media: "
        "who handed it over, who received it, what it was, when, and the seal numbers.",
        "Before you accept a sealed container, compare its seal numbers with the last line "
        "for that item. Write any difference in Notes and call the election office before "
        "going on.",
        "Use two people for sensitive hand-offs, of different roles or parties where your "
        "procedure requires it, and have both sign.",
        "Keep the completed log with the election records. Federal law requires keeping "
        "records of an election with a federal office on the ballot for 22 months (52 "
        "U.S.C. 20701); your state may require longer.",
        "After the election, review the logs and update your written procedure with what "
        "you learned.",
    ),
    fields=("Election", "Office", "Location or facility", "Page ____ of ____"),
    columns=(
        Column("Date", 11),
        Column("Time", 8),
        Column("Item or container", 16),
        Column("Item ID or container number", 16),
        Column("Seal numbers", 14),
        Column("Seals intact and matching? (Y/N)", 14),
        Column("Released by (name, role)", 20),
        Column("Received by (name, role)", 20),
        Column("Witness (name, role or party)", 20),
        Column("From / to location", 18),
        Column("Purpose", 16),
        Column("Signatures (released / received / witness)", 24),
        Column("Notes", 24),
    ),
    rows=50,
    choices={
        "Item or container": (
            "Voted ballots",
            "Unvoted ballots",
            "Provisional envelopes",
            "Mail ballots",
            "Tabulator",
            "Ballot-marking device",
            "E-pollbook",
            "Removable media",
            "Seals and supplies",
            "Other (see notes)",
        ),
        "Seals intact and matching? (Y/N)": ("Y", "N"),
    },
    footer=DEMO_FOOTER,
)

RLA_HANDOUT = TextDocument(
    title="Risk-limiting audits in practice: webinar handout",
    intro=(
        "The points the webinar walked through, from the Canvass guide \u201cRisk-limiting "
        "audits in brief\u201d and the forum thread on ballot manifests. Demo content.",
    ),
    sections=(
        Section(
            "What an RLA is",
            (
                "A risk-limiting audit examines a random sample of paper ballots and has a "
                "pre-set minimum chance of leading to a full hand count if the reported "
                "outcome is wrong.",
                "The sample size depends on the margin and the chosen risk limit: narrow "
                "margins need more ballots.",
                "Ballot-level comparison audits (which use cast vote records) are most "
                "efficient; ballot-polling and batch-comparison audits work with less data.",
            ),
            checkboxes=False,
        ),
        Section(
            "Before the audit",
            (
                "A trustworthy ballot manifest: where every physical ballot is stored, by "
                "container or batch, with the number of ballots in each.",
                "Strong chain of custody: seals and logs on every container in the manifest.",
                "A public random seed.",
                "Clear escalation rules.",
                "A timetable that finishes the audit before certification.",
            ),
        ),
        Section(
            "Building the manifest",
            (
                "Build it from your scanning batch logs at intake.",
                "Reconcile it against ballots cast: if the counts are wrong, the sample is wrong.",
                "Protect the containers with seals and chain-of-custody logs.",
            ),
            checkboxes=False,
        ),
    ),
    footer="Canvass demo content, summarising public U.S. Election Assistance Commission material.",
)

CUSTODY_HANDOUT = TextDocument(
    title="Chain of custody from warehouse to canvass: session handout",
    intro=(
        "What the session covered, from the Canvass guide \u201cBuilding written "
        "chain-of-custody procedures\u201d. Demo content.",
    ),
    sections=(
        Section(
            "Write the procedure down",
            (
                "Make it available for public inspection before each election.",
                "Document every transfer: who, what, when, seal numbers.",
                "Use two people of different roles or parties for sensitive hand-offs.",
            ),
        ),
        Section(
            "What it covers",
            (
                "In-person voting sites",
                "Mailed and over-the-counter ballots",
                "Voting system storage and transport",
                "Tabulation",
                "Audits and recounts",
                "Any third-party review",
            ),
        ),
        Section(
            "Afterwards",
            ("Review the logs and update the procedure with lessons learned.",),
            checkboxes=False,
        ),
    ),
    footer="Canvass demo content, summarising the U.S. Election Assistance Commission's "
    "Chain of Custody Best Practices (public domain).",
)


def store(title: str, filename: str, data: bytes) -> Document:
    """Save generated bytes as a Wagtail document, in the root collection."""
    document = Document(title=title, file=ContentFile(data, name=filename))
    document.file_size = len(data)
    document.file_hash = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own digest
    document.save()
    return document


def _blank(label: str, length: int = 40) -> str:
    """The label and a line to write on; a label with blanks of its own ("Page ____ of
    ____") as it is."""
    return label if "_" in label else f"{label}: {'_' * length}"


def _signature_line(label: str) -> str:
    return f"{_blank(label, 32)}   Date: ________"


def _dated(package: bytes) -> bytes:
    """The zip `package` with every entry dated `DOCUMENT_DATE` (the libraries date them
    when they are written), in the same order and with the same compression, so that an
    ODF package's `mimetype` stays first and uncompressed."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry in source.infolist():
            dated = zipfile.ZipInfo(entry.filename, DOCUMENT_DATE.timetuple()[:6])
            dated.compress_type = entry.compress_type
            dated.external_attr = entry.external_attr
            archive.writestr(dated, source.read(entry))
    return buffer.getvalue()


# --- DOCX ------------------------------------------------------------------------------


def docx(document: TextDocument) -> bytes:
    word = python_docx.Document()
    properties = word.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = AUTHOR
    properties.comments = ""  # instead of python-docx's "generated by python-docx"
    properties.created = properties.modified = DOCUMENT_DATE
    page = word.sections[0]
    page.page_width, page.page_height = Inches(8.5), Inches(11)
    page.top_margin = page.bottom_margin = page.left_margin = page.right_margin = Inches(0.75)
    word.styles["Normal"].font.name = "Calibri"  # the template's is a serif face
    word.styles["Normal"].font.size = Pt(11)
    word.styles["Footer"].font.size = Pt(9)
    word.styles["Footer"].font.italic = True
    if document.footer:
        page.footer.paragraphs[0].text = document.footer
    item_style = word.styles.add_style("List item", WD_STYLE_TYPE.PARAGRAPH)
    item_style.base_style = word.styles["Normal"]
    item_style.paragraph_format.left_indent = Inches(0.3)
    item_style.paragraph_format.first_line_indent = Inches(-0.3)  # the marker hangs

    word.add_heading(document.title, level=0)
    for paragraph in document.intro:
        word.add_paragraph(paragraph)
    for label in document.fields:
        word.add_paragraph(_blank(label))
    for section in document.sections:
        word.add_heading(section.heading, level=1)
        for item in section.items:
            paragraph = word.add_paragraph(style=item_style)
            marker = paragraph.add_run(CHECKBOX if section.checkboxes else BULLET)
            marker.font.name = "Segoe UI Symbol"  # Word's default font has no ballot box
            marker.add_tab()
            paragraph.add_run(item)
    if document.signatures:
        word.add_heading("Signatures", level=1)
        for label in document.signatures:
            word.add_paragraph(_signature_line(label))
    buffer = io.BytesIO()
    word.save(buffer)
    return _dated(buffer.getvalue())


# --- ODT -------------------------------------------------------------------------------


def _odt_styles(writer: OpenDocumentText, footer: str) -> dict[str, style.Style]:
    """Letter pages with the footer on each, and the paragraph styles the text uses."""
    writer.fontfacedecls.addElement(
        style.FontFace(
            name="Liberation Sans", fontfamily="'Liberation Sans'", fontfamilygeneric="swiss"
        )
    )
    defaults = style.DefaultStyle(family="paragraph")
    defaults.addElement(style.ParagraphProperties(marginbottom="0.08in"))
    defaults.addElement(
        style.TextProperties(
            fontname="Liberation Sans", fontsize="11pt", language="en", country="US"
        )
    )
    writer.styles.addElement(defaults)
    styles = {
        "title": style.Style(name="Title", family="paragraph"),
        "heading": style.Style(
            name="Heading_20_1",
            displayname="Heading 1",
            family="paragraph",
            defaultoutlinelevel="1",
        ),
        "item": style.Style(name="List_20_item", displayname="List item", family="paragraph"),
        "footer": style.Style(name="Footer", family="paragraph"),
    }
    styles["title"].addElement(style.ParagraphProperties(marginbottom="0.17in"))
    styles["title"].addElement(style.TextProperties(fontsize="18pt", fontweight="bold"))
    styles["heading"].addElement(
        style.ParagraphProperties(margintop="0.17in", keepwithnext="always")
    )
    styles["heading"].addElement(style.TextProperties(fontsize="14pt", fontweight="bold"))
    item_indent = style.ParagraphProperties(marginleft="0.3in", textindent="-0.3in")
    tab_stops = style.TabStops()
    tab_stops.addElement(style.TabStop(position="0in"))
    item_indent.addElement(tab_stops)
    styles["item"].addElement(item_indent)
    styles["footer"].addElement(style.TextProperties(fontsize="9pt", fontstyle="italic"))
    for paragraph_style in styles.values():
        writer.styles.addElement(paragraph_style)

    layout = style.PageLayout(name="Letter")
    layout.addElement(
        style.PageLayoutProperties(pagewidth="8.5in", pageheight="11in", margin="0.75in")
    )
    writer.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    if footer:
        page_footer = style.Footer()
        page_footer.addElement(text.P(stylename=styles["footer"], text=footer))
        master.addElement(page_footer)
    writer.masterstyles.addElement(master)
    return styles


def odt(document: TextDocument) -> bytes:
    writer = OpenDocumentText()
    writer.meta.addElement(dc.Title(text=document.title))
    styles = _odt_styles(writer, document.footer)
    body = writer.text
    body.addElement(text.P(stylename=styles["title"], text=document.title))
    for paragraph in document.intro:
        body.addElement(text.P(text=paragraph))
    for label in document.fields:
        body.addElement(text.P(text=_blank(label)))
    for section in document.sections:
        body.addElement(text.H(outlinelevel=1, stylename=styles["heading"], text=section.heading))
        for item in section.items:
            paragraph = text.P(stylename=styles["item"])
            paragraph.addText(CHECKBOX if section.checkboxes else BULLET)
            paragraph.addElement(text.Tab())
            paragraph.addText(item)
            body.addElement(paragraph)
    if document.signatures:
        body.addElement(text.H(outlinelevel=1, stylename=styles["heading"], text="Signatures"))
        for label in document.signatures:
            body.addElement(text.P(text=_signature_line(label)))
    # odfpy declares, on the root element of each part it writes, every namespace it has
    # used so far in this process, and writing styles.xml uses a few for the first time
    # after that root is out: the first file of a process would differ from later ones.
    # Writing the styles once beforehand makes every file the same bytes.
    writer.stylesxml()
    buffer = io.BytesIO()
    writer.save(buffer)
    return _dated(buffer.getvalue())


# --- XLSX ------------------------------------------------------------------------------

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E8F6")
THIN = Side(style="thin")
BOXED = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAPPED = Alignment(vertical="top", wrap_text=True)


def xlsx(log: LogTemplate) -> bytes:
    """A workbook with the blank log (header row frozen and repeated on every printed page,
    drop-down lists where the template offers choices) and a sheet of instructions."""
    workbook = openpyxl.Workbook()
    workbook.properties.title = log.title
    workbook.properties.creator = AUTHOR
    # openpyxl takes these as UTC without a zone.
    workbook.properties.created = workbook.properties.modified = DOCUMENT_DATE.replace(tzinfo=None)

    sheet = workbook.active
    sheet.title = "Log"
    sheet["A1"] = log.title
    sheet["A1"].font = TITLE_FONT
    sheet.row_dimensions[1].height = 21
    sheet["A2"] = "Instructions are on the sheet \u201cHow to use\u201d."
    if log.fields:
        sheet["A3"] = "     ".join(_blank(label, 20) for label in log.fields)
    header_row = 3 + (1 if log.fields else 0)
    first, last = header_row + 1, header_row + log.rows
    for number, column in enumerate(log.columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(header_row, number, column.name)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        header.border, header.alignment = BOXED, WRAPPED
        for row in range(first, last + 1):
            blank = sheet.cell(row, number)
            blank.border, blank.alignment = BOXED, WRAPPED
        if column.name in log.choices:
            values = ",".join(log.choices[column.name])
            if len(values) > 255:
                raise ValueError(f"The choices for {column.name!r} exceed Excel's 255 characters.")
            choices = DataValidation(
                type="list", formula1=f'"{values}"', allow_blank=True, showErrorMessage=False
            )
            choices.add(f"{letter}{first}:{letter}{last}")
            sheet.add_data_validation(choices)
    sheet.row_dimensions[header_row].height = 48
    for row in range(first, last + 1):
        sheet.row_dimensions[row].height = 30
    sheet.freeze_panes = f"A{first}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    _fit_to_page_width(sheet)

    instructions = workbook.create_sheet("How to use")
    instructions.column_dimensions["A"].width = 72
    instructions["A1"] = f"{log.title}: how to use it"
    instructions["A1"].font = TITLE_FONT
    instructions.row_dimensions[1].height = 21
    for row, paragraph in enumerate(log.instructions, start=2):
        instructions.cell(row, 1, paragraph).alignment = WRAPPED
        instructions.row_dimensions[row].height = 45
    if log.footer:
        row = len(log.instructions) + 3
        instructions.cell(row, 1, log.footer).alignment = WRAPPED
        instructions.row_dimensions[row].height = 30
    _fit_to_page_width(instructions)

    buffer = io.BytesIO()
    # Through the writer, not workbook.save(), which would set the modified date to now.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return _dated(buffer.getvalue())


def _fit_to_page_width(sheet) -> None:
    """Print on letter paper, as many pages down as needed but one page wide."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_margins.left = sheet.page_margins.right = 0.5


# --- PDF -------------------------------------------------------------------------------

MARGIN = 54  # points: three quarters of an inch
LEADING = 13.7  # points between the lines of a list item
LOG_ROW_HEIGHT = 24  # points: room to write by hand


class _Pages(FPDF):
    """Letter pages in Helvetica, one of the fonts every PDF reader has, with the footer
    and "Page n of N" at the bottom of each."""

    def __init__(self, title: str, footer: str, *, orientation: str = "portrait"):
        super().__init__(orientation=orientation, unit="pt", format="letter")
        self.core_fonts_encoding = "windows-1252"  # for curly quotes and the bullet
        self.footer_text = footer
        self.set_title(title)
        self.set_author(AUTHOR)
        self.set_creator(AUTHOR)
        self.set_creation_date(DOCUMENT_DATE)
        self.set_margins(MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 18)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-MARGIN - 6)
        self.set_font("helvetica", "", 7.5)
        self.multi_cell(0, 9.5, f"{self.footer_text}  Page {self.page_no()} of {{nb}}".strip())

    def paragraph(self, words: str, size: float, *, bold: bool = False) -> None:
        self.set_font("helvetica", "B" if bold else "", size)
        self.multi_cell(0, size * 1.3, words, align="L", new_x="LMARGIN")

    def keep_together(self, height: float) -> None:
        """Start a new page unless `height` points fit on this one."""
        if self.will_page_break(height):
            self.add_page()

    def blank_line(self, left: float, right: float) -> None:
        """A line to write on, under the text just written."""
        self.line(left, self.get_y() + 12, right, self.get_y() + 12)


def pdf(document: TextDocument) -> bytes:
    pages = _Pages(document.title, document.footer)
    pages.paragraph(document.title, 18, bold=True)
    pages.ln(6)
    for paragraph in document.intro:
        pages.paragraph(paragraph, 10.5)
        pages.ln(4)
    for label in document.fields:
        pages.ln(8)
        pages.cell(h=14, text=f"{label}: ")
        pages.blank_line(pages.get_x() + 4, pages.w - MARGIN)
        pages.ln(14)
    text_left = MARGIN + 20  # of list items, right of their checkbox or bullet
    for section in document.sections:
        pages.ln(12)
        pages.keep_together(40)
        pages.paragraph(section.heading, 13, bold=True)
        pages.set_font("helvetica", "", 10.5)
        for item in section.items:
            height = pages.multi_cell(
                pages.w - MARGIN - text_left, LEADING, item, dry_run=True, output="HEIGHT"
            )
            pages.keep_together(height + 4)
            pages.ln(4)
            top = pages.get_y()
            if section.checkboxes:
                pages.rect(MARGIN + 2, top + 2.5, 9, 9)
            else:
                pages.text(MARGIN + 5, top + 10, BULLET)
            pages.set_x(text_left)
            pages.multi_cell(0, LEADING, item, align="L", new_x="LMARGIN")
    if document.signatures:
        pages.ln(12)
        pages.keep_together(30 + 34 * len(document.signatures))
        pages.paragraph("Signatures", 13, bold=True)
        pages.set_font("helvetica", "", 9)
        for label in document.signatures:
            pages.ln(34)
            line = pages.get_y()
            pages.line(MARGIN, line, MARGIN + 300, line)
            pages.line(MARGIN + 330, line, pages.w - MARGIN, line)
            pages.text(MARGIN, line + 11, label)
            pages.text(MARGIN + 330, line + 11, "Date")
    return bytes(pages.output())


def log_pdf(log: LogTemplate) -> bytes:
    """The log as a printable form: landscape, the header row and as many blank rows as fit
    on one page; print as many copies as needed."""
    pages = _Pages(log.title, log.footer, orientation="landscape")
    pages.paragraph(log.title, 16, bold=True)
    for paragraph in log.instructions[:3]:
        pages.paragraph(paragraph, 8.5)
    if log.fields:
        pages.ln(8)
        pages.set_font("helvetica", "", 9)
        step = pages.epw / len(log.fields)
        for number, label in enumerate(log.fields):
            left = MARGIN + number * step
            pages.set_x(left)
            if "_" in label:  # the label has its own blanks: "Page ____ of ____"
                pages.cell(h=14, text=label)
            else:
                pages.cell(h=14, text=f"{label}: ")
                pages.blank_line(pages.get_x() + 2, left + step - 12)
        pages.ln(24)
    widths = [column.width for column in log.columns]
    pages.set_font("helvetica", "", 7)
    with pages.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD", fill_color=224),
        line_height=8.4,
        text_align="LEFT",
        v_align="TOP",
        padding=3,
    ) as table:
        table.row([column.name for column in log.columns])
    scale = pages.epw / sum(widths)
    while not pages.will_page_break(LOG_ROW_HEIGHT):
        for width in widths:
            pages.cell(width * scale, LOG_ROW_HEIGHT, border=1)
        pages.ln(LOG_ROW_HEIGHT)
    return bytes(pages.output())
