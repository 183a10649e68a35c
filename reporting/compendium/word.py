"""Word documents (python-docx): the compendium, written section by section, and the shared pieces (fonts, cover,
table of contents field, tables) the acceptance file uses too.

Offices edit and print Word, so the document uses Word's own heading styles (the table of contents field lists
``Heading 1``), asks Word to refresh its fields on opening, and also carries a plain numbered list of its items so
it reads right before any field is updated (or in LibreOffice, which does not refresh on opening).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from standards.models import ManualStep, Material

from .content import MANUAL_STEP_COLUMNS, MATERIAL_COLUMNS, Section, columns

FONT = "宋体"
HEADING_FONT = "黑体"


def _east_asian(style_or_run, name: str) -> None:
    """python-docx sets only the Latin font name; Chinese text needs ``w:eastAsia`` too."""
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def new_document(title: str) -> DocumentObject:
    document = Document()
    document.core_properties.title = title
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    _east_asian(normal, FONT)
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
        style = document.styles[name]
        style.font.name, style.font.size = HEADING_FONT, Pt(size)
        _east_asian(style, HEADING_FONT)
    # Word refreshes the table of contents when the document is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    return document


def cover(document: DocumentObject, title: str, lines: Sequence[str]) -> None:
    """A cover page: the title in the middle of the page, then division, date and issuing office."""
    for _i in range(6):
        document.add_paragraph()
    heading = document.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _i in range(4):
        document.add_paragraph()
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.font.size = Pt(15)
    page_break(document)


def page_break(document: DocumentObject) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def toc_field(document: DocumentObject) -> None:
    """A real Word table-of-contents field over ``Heading 1`` (Word fills in the page numbers)."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-1" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = _("（打开文档时更新域即可生成带页码的目录）")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)


def table(document: DocumentObject, header: Sequence[str] | None, rows: Iterable[Sequence[str]], widths=None):
    """A bordered table; ``header`` in bold on the first row (repeated on each page)."""
    rows = [list(r) for r in rows]
    ncols = len(header) if header else (len(rows[0]) if rows else 1)
    grid = document.add_table(rows=0, cols=ncols)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        cells = grid.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text) if text not in (None, "") else "—"
    if widths:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = width
    document.add_paragraph()
    return grid


def fields_table(document: DocumentObject, rows: Sequence[tuple[str, str]]) -> None:
    if rows:
        table(document, None, rows, widths=(Cm(4), Cm(12.6)))
    else:
        document.add_paragraph(_("无。"))


def flowchart(document: DocumentObject, boxes: Sequence[tuple[str, str]]) -> None:
    """A simple top-down flowchart: 申请 → one box per step (name, post and limit) → 办结, arrows between."""
    shapes = [(_("申请"), ""), *boxes, (_("办结"), "")]
    for index, (name, detail) in enumerate(shapes):
        box = document.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        box.alignment = WD_TABLE_ALIGNMENT.CENTER
        box.autofit = False
        box.columns[0].width = Cm(7)
        cell = box.rows[0].cells[0]
        cell.width = Cm(7)
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(name).bold = True
        if detail:
            small = cell.add_paragraph()
            small.alignment = WD_ALIGN_PARAGRAPH.CENTER
            small.add_run(detail).font.size = Pt(9)
        if index < len(shapes) - 1:
            arrow = document.add_paragraph("↓")
            arrow.alignment = WD_ALIGN_PARAGRAPH.CENTER
            arrow.paragraph_format.space_after = Pt(0)
    document.add_paragraph()


def write_section(document: DocumentObject, section: Section) -> None:
    """One item: its heading (listed in the table of contents), its guide and its manual."""
    item = section.item
    document.add_heading(section.title, level=1)
    meta = document.add_paragraph()
    meta.add_run(
        _("实施编码：%(code)s　实施主体：%(org)s　第%(version)s版　发布日期：%(date)s")
        % {
            "code": item.code,
            "org": item.organization.name,
            "version": section.standard.version,
            "date": f"{section.standard.published_at:%Y-%m-%d}" if section.standard.published_at else "—",
        }
    ).font.size = Pt(9)

    document.add_heading(_("一、办事指南"), level=2)
    fields_table(document, section.guide_rows)
    document.add_heading(_("申请材料"), level=3)
    material_header = [_("序号"), *columns(Material, MATERIAL_COLUMNS)]
    if not section.material_groups:
        document.add_paragraph(_("无需提交申请材料。"))
    for situation, materials in section.material_groups:
        document.add_paragraph(_("业务情形：%(situation)s") % {"situation": situation})
        table(
            document,
            material_header,
            [
                [
                    str(n),
                    m.name,
                    m.get_material_type_display(),
                    m.get_material_form_display(),
                    m.get_source_channel_display(),
                    m.get_necessity_display(),
                    m.paper_spec,
                    m.remark,
                ]
                for n, m in enumerate(materials, start=1)
            ],
        )

    document.add_heading(_("二、业务手册"), level=2)
    fields_table(document, section.manual_rows)
    document.add_heading(_("内部办理流程"), level=3)
    if not section.step_groups:
        document.add_paragraph(_("暂无。"))
    step_header = [_("序号"), *columns(ManualStep, MANUAL_STEP_COLUMNS)]
    for group in section.step_groups:
        label = _("业务类型：%(kind)s") % {"kind": group.label}
        if group.total:
            label += "　" + _("计入时限的环节合计 %(total)s") % {"total": group.total}
        document.add_paragraph(label)
        table(
            document,
            step_header,
            [
                [
                    str(n),
                    s.get_step_display(),
                    s.description,
                    s.responsible_post,
                    s.limit_display,
                    _("计入") if s.counted_in_limit else _("不计入"),
                    s.opinion_rule,
                ]
                for n, s in enumerate(group.rows, start=1)
            ],
        )
        document.add_paragraph(_("流程图（%(kind)s）") % {"kind": group.label}).runs[0].bold = True
        flowchart(document, section.flow_boxes(group))


Progress = Callable[[int, int], None]


def write_compendium(
    out: BinaryIO,
    *,
    title: str,
    cover_lines: Sequence[str],
    sections: Iterable[Section],
    count: int,
    progress: Progress | None = None,
) -> int:
    """Write the whole compendium to ``out``: cover, contents, one section per item with a page break between.
    ``sections`` is consumed one at a time; ``progress(done, count)`` is told after each. Returns the items written."""
    document = new_document(title)
    cover(document, title, cover_lines)
    document.add_paragraph(_("目录"), style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    toc_field(document)
    page_break(document)
    # The plain list, numbered like the headings, reads right before Word updates the field.
    listing = document.add_paragraph()
    listing.add_run(_("收录事项一览")).bold = True
    done = 0
    # The listing is written after the sections are known; a placeholder paragraph keeps its place.
    anchor = document.add_paragraph()
    titles: list[tuple[str, str]] = []
    page_break(document)
    first = True
    for section in sections:
        if not first:
            page_break(document)
        first = False
        write_section(document, section)
        titles.append((section.title, section.item.organization.name))
        done += 1
        if progress:
            progress(done, count)
    for text, organization in titles:
        line = anchor.insert_paragraph_before(f"{text}（{organization}）")
        line.paragraph_format.left_indent = Cm(0.5)
    anchor._p.getparent().remove(anchor._p)
    if not titles:
        listing.add_run("　" + _("（无已发布的标准）"))
    document.save(out)
    return done


def today_line(day: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}
