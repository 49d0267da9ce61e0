"""The demo's downloadable documents, written at load time with the standard library only:
Word (DOCX) and OpenDocument (ODT) text, an Excel workbook (XLSX) and PDF. Each format is
the smallest package its readers accept (hand-written OOXML and ODF XML in a zip, a PDF
with the 14 standard fonts), so the demo needs no document library and commits no binary
file. The output is deterministic: the same content gives the same bytes.

Two kinds of content: a `TextDocument` (a title, an introduction, fill-in fields, sections
of checklist or bullet items and signature lines) and a `LogTemplate` (a blank log: one
row per entry under a header of columns)."""

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

# Zip entries carry this date so that a document's bytes do not depend on when it was made.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
CHECKBOX = "\u2610"  # ☐
BULLET = "\u2022"  # •


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


# --- zip packages ----------------------------------------------------------------------

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _zip(parts: list[tuple[str, str | bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, content) in enumerate(parts):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            store_plain = stored_first and number == 0
            info.compress_type = zipfile.ZIP_STORED if store_plain else zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


# --- DOCX ------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def _core_properties(title: str) -> str:
    return (
        XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_x(title)}</dc:title><dc:creator>Canvass</dc:creator>"
        "</cp:coreProperties>"
    )


DOCX_STYLES = (
    XML_HEAD + f'<w:styles xmlns:w="{W_NS}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/>'
    '<w:szCs w:val="36"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>'
    '</w:pPr><w:rPr><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
    '<w:basedOn w:val="Normal"/><w:rPr><w:i/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
    "</w:style></w:styles>"
)


def _w_paragraph(text: str, *, style: str = "", marker: str = "", tab_at: int = 0) -> str:
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    if marker:
        properties += f'<w:ind w:left="{tab_at}" w:hanging="{tab_at}"/>'
    runs = ""
    if marker:
        runs += (
            '<w:r><w:rPr><w:rFonts w:ascii="Segoe UI Symbol" w:hAnsi="Segoe UI Symbol"/>'
            f"</w:rPr><w:t>{marker}</w:t></w:r><w:r><w:tab/></w:r>"
        )
    runs += f'<w:r><w:t xml:space="preserve">{_x(text)}</w:t></w:r>'
    return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>" if properties else f"<w:p>{runs}</w:p>"


def _blank(label: str, length: int = 40) -> str:
    return f"{label}: {'_' * length}"


def docx(document: TextDocument) -> bytes:
    body = [_w_paragraph(document.title, style="Title")]
    body += [_w_paragraph(text) for text in document.intro]
    body += [_w_paragraph(_blank(label)) for label in document.fields]
    for section in document.sections:
        body.append(_w_paragraph(section.heading, style="Heading1"))
        marker = CHECKBOX if section.checkboxes else BULLET
        body += [_w_paragraph(item, marker=marker, tab_at=432) for item in section.items]
    if document.signatures:
        body.append(_w_paragraph("Signatures", style="Heading1"))
        body += [
            _w_paragraph(f"{_blank(label, 32)}   Date: ________") for label in document.signatures
        ]
    if document.footer:
        body.append(_w_paragraph(document.footer, style="Footer"))
    section_properties = (
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1080" w:right="1080" '
        'w:bottom="1080" w:left="1080" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'
    )
    main = (
        XML_HEAD
        + f'<w:document xmlns:w="{W_NS}"><w:body>'
        + "".join(body)
        + section_properties
        + "</w:body></w:document>"
    )
    return _zip(
        [
            (
                "[Content_Types].xml",
                XML_HEAD
                + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                '<Override PartName="/word/styles.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                f'<Override PartName="/docProps/core.xml" ContentType="{CORE_TYPE}"/></Types>',
            ),
            (
                "_rels/.rels",
                XML_HEAD + f'<Relationships xmlns="{REL_NS}">'
                f'<Relationship Id="rId1" Type="{OFFICE_REL}/officeDocument" '
                'Target="word/document.xml"/>'
                f'<Relationship Id="rId2" Type="{CORE_REL}" Target="docProps/core.xml"/>'
                "</Relationships>",
            ),
            (
                "word/_rels/document.xml.rels",
                XML_HEAD + f'<Relationships xmlns="{REL_NS}">'
                f'<Relationship Id="rId1" Type="{OFFICE_REL}/styles" Target="styles.xml"/>'
                "</Relationships>",
            ),
            ("word/document.xml", main),
            ("word/styles.xml", DOCX_STYLES),
            ("docProps/core.xml", _core_properties(document.title)),
        ]
    )


# --- ODT -------------------------------------------------------------------------------

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.3"'
)
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"

ODT_STYLES = (
    XML_HEAD + f"<office:document-styles {ODF_NAMESPACES}>"
    "<office:font-face-decls>"
    '<style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>'
    "</office:font-face-decls>"
    "<office:styles>"
    '<style:default-style style:family="paragraph"><style:paragraph-properties '
    'fo:margin-bottom="0.08in"/><style:text-properties style:font-name="Liberation Sans" '
    'fo:font-size="11pt" fo:language="en" fo:country="US"/></style:default-style>'
    '<style:style style:name="Standard" style:family="paragraph"/>'
    '<style:style style:name="Title" style:family="paragraph" style:parent-style-name='
    '"Standard"><style:paragraph-properties fo:margin-bottom="0.17in"/>'
    '<style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" '
    'style:family="paragraph" style:parent-style-name="Standard" '
    'style:default-outline-level="1"><style:paragraph-properties fo:margin-top="0.17in" '
    'fo:margin-bottom="0.08in" fo:keep-with-next="always"/>'
    '<style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="List_20_item" style:display-name="List item" '
    'style:family="paragraph" style:parent-style-name="Standard">'
    '<style:paragraph-properties fo:margin-left="0.3in" fo:text-indent="-0.3in">'
    '<style:tab-stops><style:tab-stop style:position="0in"/></style:tab-stops>'
    "</style:paragraph-properties></style:style>"
    '<style:style style:name="Footer" style:family="paragraph" style:parent-style-name='
    '"Standard"><style:text-properties fo:font-size="9pt" fo:font-style="italic"/>'
    "</style:style>"
    "</office:styles>"
    "<office:automatic-styles>"
    '<style:page-layout style:name="Letter"><style:page-layout-properties '
    'fo:page-width="8.5in" fo:page-height="11in" fo:margin-top="0.75in" '
    'fo:margin-bottom="0.75in" fo:margin-left="0.75in" fo:margin-right="0.75in"/>'
    "</style:page-layout></office:automatic-styles>"
    '<office:master-styles><style:master-page style:name="Standard" '
    'style:page-layout-name="Letter"/></office:master-styles>'
    "</office:document-styles>"
)


def _odt_paragraph(text: str, style: str = "Standard", marker: str = "") -> str:
    lead = f"{marker}<text:tab/>" if marker else ""
    return f'<text:p text:style-name="{style}">{lead}{_x(text)}</text:p>'


def odt(document: TextDocument) -> bytes:
    body = [_odt_paragraph(document.title, "Title")]
    body += [_odt_paragraph(text) for text in document.intro]
    body += [_odt_paragraph(_blank(label)) for label in document.fields]
    for section in document.sections:
        body.append(
            '<text:h text:style-name="Heading_20_1" text:outline-level="1">'
            f"{_x(section.heading)}</text:h>"
        )
        marker = CHECKBOX if section.checkboxes else BULLET
        body += [_odt_paragraph(item, "List_20_item", marker) for item in section.items]
    if document.signatures:
        body.append(
            '<text:h text:style-name="Heading_20_1" text:outline-level="1">Signatures</text:h>'
        )
        body += [
            _odt_paragraph(f"{_blank(label, 32)}   Date: ________") for label in document.signatures
        ]
    if document.footer:
        body.append(_odt_paragraph(document.footer, "Footer"))
    content = (
        XML_HEAD
        + f"<office:document-content {ODF_NAMESPACES}><office:body><office:text>"
        + "".join(body)
        + "</office:text></office:body></office:document-content>"
    )
    meta = (
        XML_HEAD + f"<office:document-meta {ODF_NAMESPACES}><office:meta>"
        f"<dc:title>{_x(document.title)}</dc:title>"
        "<meta:generator>Canvass</meta:generator></office:meta></office:document-meta>"
    )
    manifest = (
        XML_HEAD + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
        'manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        f'manifest:media-type="{ODT_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _zip(
        [
            ("mimetype", ODT_MIMETYPE),  # first and uncompressed, as ODF requires
            ("content.xml", content),
            ("styles.xml", ODT_STYLES),
            ("meta.xml", meta),
            ("META-INF/manifest.xml", manifest),
        ],
        stored_first=True,
    )


# --- XLSX ------------------------------------------------------------------------------

S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# Cell formats, by position in XLSX_STYLES' cellXfs.
PLAIN, TITLE, HEADER, BOX, WRAPPED = range(5)

XLSX_STYLES = (
    XML_HEAD + f'<styleSheet xmlns="{S_NS}">'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9E8F6"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/>'
    '</right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/>'
    "</bottom><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
    'applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" '
    'wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(ref: str, style: int, text: str | None = None) -> str:
    if text is None:
        return f'<c r="{ref}" s="{style}"/>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{_x(text)}</t></is></c>'


def _row(number: int, cells: str, height: float | None = None) -> str:
    size = f' ht="{height}" customHeight="1"' if height else ""
    return f'<row r="{number}"{size}>{cells}</row>'


def _worksheet(
    rows: list[str],
    *,
    widths: list[int],
    last_ref: str,
    frozen_rows: int = 0,
    validations: str = "",
    landscape: bool = False,
) -> str:
    view = '<sheetView workbookViewId="0"'
    if frozen_rows:
        view += (
            f'><pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" '
            'activePane="bottomLeft" state="frozen"/></sheetView>'
        )
    else:
        view += "/>"
    columns = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
        for n, width in enumerate(widths, start=1)
    )
    orientation = "landscape" if landscape else "portrait"
    return (
        XML_HEAD + f'<worksheet xmlns="{S_NS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last_ref}"/>'
        f"<sheetViews>{view}</sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{columns}</cols>"
        f"<sheetData>{''.join(rows)}</sheetData>"
        f"{validations}"
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
        'footer="0.3"/>'
        f'<pageSetup paperSize="1" orientation="{orientation}" fitToWidth="1" '
        'fitToHeight="0"/>'
        "</worksheet>"
    )


def xlsx(log: LogTemplate) -> bytes:
    """A workbook with the blank log (header row frozen and repeated on every printed page,
    drop-down lists where the template offers choices) and a sheet of instructions."""
    last_column = _column_letter(len(log.columns))
    header_row = 3 + (1 if log.fields else 0)
    rows = [_row(1, _cell("A1", TITLE, log.title), 21)]
    rows.append(
        _row(2, _cell("A2", PLAIN, "Instructions are on the sheet \u201cHow to use\u201d."))
    )
    if log.fields:
        rows.append(_row(3, _cell("A3", PLAIN, "     ".join(_blank(f, 20) for f in log.fields))))
    rows.append(
        _row(
            header_row,
            "".join(
                _cell(f"{_column_letter(n)}{header_row}", HEADER, column.name)
                for n, column in enumerate(log.columns, start=1)
            ),
            48,
        )
    )
    first, last = header_row + 1, header_row + log.rows
    for number in range(first, last + 1):
        cells = "".join(
            _cell(f"{_column_letter(n)}{number}", BOX) for n in range(1, len(log.columns) + 1)
        )
        rows.append(_row(number, cells, 30))
    validations = ""
    lists = []
    for n, column in enumerate(log.columns, start=1):
        if column.name in log.choices:
            letter = _column_letter(n)
            values = ",".join(log.choices[column.name])
            if len(values) > 255:
                raise ValueError(f"The choices for {column.name!r} exceed Excel's 255 characters.")
            lists.append(
                '<dataValidation type="list" allowBlank="1" showErrorMessage="0" '
                f'sqref="{letter}{first}:{letter}{last}"><formula1>"{_x(values)}"</formula1>'
                "</dataValidation>"
            )
    if lists:
        validations = f'<dataValidations count="{len(lists)}">{"".join(lists)}</dataValidations>'
    log_sheet = _worksheet(
        rows,
        widths=[column.width for column in log.columns],
        last_ref=f"{last_column}{last}",
        frozen_rows=header_row,
        validations=validations,
        landscape=True,
    )
    help_rows = [_row(1, _cell("A1", TITLE, f"{log.title}: how to use it"), 21)]
    for number, text in enumerate(log.instructions, start=2):
        help_rows.append(_row(number, _cell(f"A{number}", WRAPPED, text), 45))
    if log.footer:
        number = len(log.instructions) + 3
        help_rows.append(_row(number, _cell(f"A{number}", WRAPPED, log.footer), 30))
    help_sheet = _worksheet(help_rows, widths=[72], last_ref=f"A{len(help_rows) + 2}")
    workbook = (
        XML_HEAD + f'<workbook xmlns="{S_NS}" xmlns:r="{OFFICE_REL}">'
        '<sheets><sheet name="Log" sheetId="1" r:id="rId1"/>'
        '<sheet name="How to use" sheetId="2" r:id="rId2"/></sheets>'
        '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
        f"Log!${header_row}:${header_row}</definedName></definedNames></workbook>"
    )
    return _zip(
        [
            (
                "[Content_Types].xml",
                XML_HEAD
                + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
                f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{SHEET_TYPE}"/>'
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                f'<Override PartName="/docProps/core.xml" ContentType="{CORE_TYPE}"/></Types>',
            ),
            (
                "_rels/.rels",
                XML_HEAD + f'<Relationships xmlns="{REL_NS}">'
                f'<Relationship Id="rId1" Type="{OFFICE_REL}/officeDocument" '
                'Target="xl/workbook.xml"/>'
                f'<Relationship Id="rId2" Type="{CORE_REL}" Target="docProps/core.xml"/>'
                "</Relationships>",
            ),
            (
                "xl/_rels/workbook.xml.rels",
                XML_HEAD + f'<Relationships xmlns="{REL_NS}">'
                f'<Relationship Id="rId1" Type="{OFFICE_REL}/worksheet" '
                'Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{OFFICE_REL}/worksheet" '
                'Target="worksheets/sheet2.xml"/>'
                f'<Relationship Id="rId3" Type="{OFFICE_REL}/styles" Target="styles.xml"/>'
                "</Relationships>",
            ),
            ("xl/workbook.xml", workbook),
            ("xl/worksheets/sheet1.xml", log_sheet),
            ("xl/worksheets/sheet2.xml", help_sheet),
            ("xl/styles.xml", XLSX_STYLES),
            ("docProps/core.xml", _core_properties(log.title)),
        ]
    )


# --- PDF -------------------------------------------------------------------------------

# Advance widths (1/1000 em) of the standard Helvetica and Helvetica-Bold fonts for the
# printable ASCII characters, from Adobe's font metrics; used to wrap lines.
HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip
HELVETICA_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
]  # fmt: skip
LETTER = (612, 792)
MARGIN = 54


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    widths = HELVETICA_BOLD if bold else HELVETICA
    return sum(widths[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in text) * size / 1000


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold=bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


class _Pages:
    """Drawing on PDF pages, top to bottom, in points from the bottom-left corner."""

    def __init__(self, size: tuple[int, int], footer: str):
        self.width, self.height = size
        self.footer = footer
        self.pages: list[list[bytes]] = []
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.height - MARGIN

    def need(self, height: float) -> None:
        if self.y - height < MARGIN + 18:
            self.new_page()

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False) -> None:
        font = b"/F2" if bold else b"/F1"
        self.pages[-1].append(
            b"BT " + font + b" %.1f Tf %.2f %.2f Td " % (size, x, y) + _pdf_string(text) + b" Tj ET"
        )

    def rect(self, x: float, y: float, w: float, h: float, *, fill: float | None = None) -> None:
        if fill is None:
            self.pages[-1].append(b"0.8 w %.2f %.2f %.2f %.2f re S" % (x, y, w, h))
        else:
            self.pages[-1].append(
                b"%.2f g %.2f %.2f %.2f %.2f re f 0 g" % (fill, x, y, w, h)
                + b" 0.8 w %.2f %.2f %.2f %.2f re S" % (x, y, w, h)
            )

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.pages[-1].append(b"0.6 w %.2f %.2f m %.2f %.2f l S" % (x1, y1, x2, y2))

    def paragraph(self, text: str, size: float, *, bold: bool = False, x: float = MARGIN) -> None:
        leading = size * 1.3
        for line in wrap(text, self.width - MARGIN - x, size, bold=bold):
            self.need(leading)
            self.y -= leading
            self.text(x, self.y, line, size, bold=bold)

    def build(self, title: str) -> bytes:
        count = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            footer = f"{self.footer}  Page {number} of {count}".strip()
            for row, line in enumerate(reversed(wrap(footer, self.width - 2 * MARGIN, 7.5))):
                page.append(
                    b"BT /F1 7.5 Tf %.2f %.2f Td " % (MARGIN, MARGIN - 18 + row * 9.5)
                    + _pdf_string(line)
                    + b" Tj ET"
                )
        return _pdf_file([b"\n".join(page) for page in self.pages], title, self.width, self.height)


def _pdf_file(streams: list[bytes], title: str, width: int, height: int) -> bytes:
    """Objects 1-5: catalog, page tree, the two fonts, document information; then a page
    and its compressed content stream per page."""
    first_page = 6
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(len(streams)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(streams),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _pdf_string(title) + b" /Producer (Canvass) >>",
    ]
    for number, stream in enumerate(streams):
        content = first_page + 2 * number + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (width, height)
            + b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % content
        )
        packed = zlib.compress(stream, 9)
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf(document: TextDocument) -> bytes:
    pages = _Pages(LETTER, document.footer)
    pages.paragraph(document.title, 18, bold=True)
    pages.y -= 6
    for text in document.intro:
        pages.paragraph(text, 10.5)
        pages.y -= 4
    for label in document.fields:
        pages.need(24)
        pages.y -= 22
        pages.text(MARGIN, pages.y, f"{label}:", 10.5)
        start = MARGIN + text_width(f"{label}: ", 10.5) + 4
        pages.line(start, pages.y - 2, pages.width - MARGIN, pages.y - 2)
    for section in document.sections:
        pages.need(40)
        pages.y -= 12
        pages.paragraph(section.heading, 13, bold=True)
        pages.y -= 2
        for item in section.items:
            lines = wrap(item, pages.width - 2 * MARGIN - 20, 10.5)
            pages.need(len(lines) * 13.7 + 4)
            pages.y -= 4
            for number, line in enumerate(lines):
                pages.y -= 13.7
                pages.text(MARGIN + 20, pages.y, line, 10.5)
                if number == 0 and section.checkboxes:
                    pages.rect(MARGIN + 2, pages.y - 1, 9, 9)
                elif number == 0:
                    pages.text(MARGIN + 5, pages.y, BULLET, 10.5)
    if document.signatures:
        pages.need(30 + 34 * len(document.signatures))
        pages.y -= 12
        pages.paragraph("Signatures", 13, bold=True)
        for label in document.signatures:
            pages.y -= 34
            pages.line(MARGIN, pages.y, MARGIN + 300, pages.y)
            pages.line(MARGIN + 330, pages.y, pages.width - MARGIN, pages.y)
            pages.text(MARGIN, pages.y - 11, label, 9)
            pages.text(MARGIN + 330, pages.y - 11, "Date", 9)
    return pages.build(document.title)


def log_pdf(log: LogTemplate) -> bytes:
    """The log as a printable form: landscape, the header row and as many blank rows as fit
    on one page; print as many copies as needed."""
    pages = _Pages((LETTER[1], LETTER[0]), log.footer)
    pages.paragraph(log.title, 16, bold=True)
    for text in log.instructions[:3]:
        pages.paragraph(text, 8.5)
    if log.fields:
        pages.y -= 18
        x = MARGIN
        step = (pages.width - 2 * MARGIN) / len(log.fields)
        for label in log.fields:
            pages.text(x, pages.y, f"{label}:" if "_" not in label else label, 9)
            if "_" not in label:
                start = x + text_width(f"{label}: ", 9) + 2
                pages.line(start, pages.y - 2, x + step - 12, pages.y - 2)
            x += step
    total = sum(column.width for column in log.columns)
    scale = (pages.width - 2 * MARGIN) / total
    size = 7
    header_lines = [
        wrap(column.name, column.width * scale - 6, size, bold=True) for column in log.columns
    ]
    header_height = max(len(lines) for lines in header_lines) * size * 1.2 + 8
    pages.y -= 10 + header_height
    x = MARGIN
    for column, lines in zip(log.columns, header_lines, strict=True):
        width = column.width * scale
        pages.rect(x, pages.y, width, header_height, fill=0.88)
        for number, line in enumerate(lines):
            pages.text(
                x + 3,
                pages.y + header_height - 4 - (number + 1) * size * 1.2,
                line,
                size,
                bold=True,
            )
        x += width
    row_height = 24
    while pages.y - row_height >= MARGIN + 20:
        pages.y -= row_height
        x = MARGIN
        for column in log.columns:
            pages.rect(x, pages.y, column.width * scale, row_height)
            x += column.width * scale
    return pages.build(log.title)
