"""The compendium's Word document: it opens in python-docx, has a cover, a table of contents field and a plain list,
one heading per item in order, each with its guide and manual; and LibreOffice converts it to PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from reporting.compendium import services
from reporting.models import CompendiumKind, CompendiumStatus
from tests.services import need

from .compendium_helpers import published_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(people, geo, sector, orgs, admin_user):
    return published_items(people, geo, sector, orgs["edu"], 3, writer=admin_user)


def _built(actor, **kwargs):
    compendium = services.compendium_create(actor=actor, **kwargs)
    return services.compendium_build(compendium_id=compendium.pk)


def _document(compendium):
    with compendium.file.open("rb") as f:
        return Document(io.BytesIO(f.read()))


def test_the_docx_has_a_cover_a_toc_and_one_section_per_item_in_order(three, people, orgs):
    compendium = _built(people["supervisor"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"])
    assert compendium.status == CompendiumStatus.READY and compendium.percent == 100
    document = _document(compendium)
    texts = [p.text for p in document.paragraphs]
    # Cover: the title, the department, the issuing office, the date.
    assert compendium.title in texts[:12]
    assert any("清城区教育局" in t for t in texts[:20])
    assert any("清远市编办" in t for t in texts[:20])
    assert any("年" in t and "月" in t and "日" in t for t in texts[:20])
    # A real TOC field.
    with compendium.file.open("rb") as f:
        xml = zipfile.ZipFile(io.BytesIO(f.read())).read("word/document.xml").decode()
    assert 'TOC \\o "1-1"' in xml
    # One Heading 1 per item, numbered, in print order (department, then implementation code).
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    names = [s.local_item.name for s in sorted(three, key=lambda s: s.local_item.code)]
    assert headings == [f"{n}. {name}" for n, name in enumerate(names, start=1)]
    # The plain list reads the same before Word updates the field.
    listed = [t for t in texts if t.endswith("（清城区教育局）")]
    assert listed == [f"{h}（清城区教育局）" for h in headings]


def test_each_section_carries_its_guide_fields_materials_and_manual_steps(three, people, orgs):
    compendium = _built(people["supervisor"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"])
    document = _document(compendium)
    texts = [p.text for p in document.paragraphs]
    assert texts.count("一、办事指南") == 3 and texts.count("二、业务手册") == 3
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    # Guide fields labelled by the model, choices shown as their labels.
    assert "受理机构" in cells and "清城区教育局" in cells
    assert "承诺办结时限" in cells and "10个工作日" in cells
    # The materials table and the manual's steps with their posts and limits.
    assert "材料名称" in cells
    assert "窗口受理岗" in cells and "2个工作日" in cells
    # The flowchart: start, a box per step, end.
    assert "申请" in cells and "办结" in cells and "受理" in cells
    assert texts.count("↓") >= 3 * 4


def test_a_picked_list_keeps_only_the_picked_items(three, people):
    picked = [three[2].local_item_id, three[0].local_item_id]
    compendium = _built(people["depthead"], kind=CompendiumKind.PICKED, item_ids=picked)
    headings = [p.text for p in _document(compendium).paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 2
    assert {h.split(". ", 1)[1] for h in headings} == {three[0].local_item.name, three[2].local_item.name}
    assert compendium.organization_id == three[0].local_item.organization_id


def test_libreoffice_converts_the_compendium_to_pdf(three, people, orgs, tmp_path):
    soffice = shutil.which("soffice")
    need(soffice is not None, "needs LibreOffice: apt-get install libreoffice-writer-nogui")
    compendium = _built(people["supervisor"], kind=CompendiumKind.DEPARTMENT, organization=orgs["edu"])
    source = tmp_path / "compendium.docx"
    with compendium.file.open("rb") as f:
        source.write_bytes(f.read())
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = Path(tmp_path / "compendium.pdf")
    assert pdf.exists()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
