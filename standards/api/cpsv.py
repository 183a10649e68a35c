"""Open data: the published services of a division in the EU's Core Public Service Vocabulary Application Profile
(CPSV-AP 3) as JSON-LD, so tools made for that vocabulary read the catalogue without knowing this portal.

Each local item with a published guide is a ``cpsv:PublicService``: its implementation code, name and scope; its
body as the competent ``cv:PublicOrganisation``; its division as ``dct:spatial``; legal bases as
``eli:LegalResource``; materials as ``cv:Evidence`` inputs; the result as ``cv:Output``; fees as ``cv:Cost``;
channels, contact point and processing time. Streamed in chunks like the other exports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema

from catalogue.models import ItemType
from core.downloads import attachment
from standards import selectors
from standards.models import HandleForm, ItemStandard, LimitUnit

from .exports import CHUNK, ExportView

CONTEXT = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
}
CNY = "http://publications.europa.eu/resource/authority/currency/CNY"
ZH = "http://publications.europa.eu/resource/authority/language/ZHO"
# ISO 8601 durations where the unit is a calendar unit; working days have none, so they go to a description.
ISO_UNIT = {LimitUnit.NATURAL_DAY: "D", LimitUnit.MONTH: "M", LimitUnit.YEAR: "Y"}


def text(value: str) -> dict:
    return {"@value": value, "@language": "zh"}


def label(value: str) -> dict:
    """A text the portal writes itself, in the language of the request (the data stays tagged Chinese)."""
    language = get_language() or settings.LANGUAGE_CODE
    return {"@value": value, "@language": "zh" if language.startswith("zh") else language}


def processing_time(limit: int | None, unit: str) -> dict | None:
    if unit == LimitUnit.INSTANT:
        return {"@value": "PT0S", "@type": "xsd:duration"}
    if limit is None or unit not in ISO_UNIT:
        return None
    return {"@value": f"P{limit}{ISO_UNIT[unit]}", "@type": "xsd:duration"}


def public_service(standard: ItemStandard, base: str) -> dict:
    item, guide = standard.local_item, standard.guide
    organization, division = item.organization, item.division
    page = base + reverse("guides:guide", kwargs={"code": item.code})
    place = {"@id": f"urn:gb2260:{division.code}", "@type": "dct:Location", "skos:prefLabel": text(division.name)}
    node: dict = {
        "@id": page,
        "@type": "cpsv:PublicService",
        "dct:identifier": item.code,
        "dct:title": text(item.name),  # the catalogue's name, as on the public pages
        "dct:description": text(guide.scope or item.name),
        "dct:type": {
            "@type": "skos:Concept",
            "skos:notation": item.item_type,
            "skos:prefLabel": text(str(ItemType(item.item_type).label) if item.item_type in ItemType.values else ""),
        },
        "dct:spatial": place,
        "dct:language": {"@id": ZH},
        "adms:status": {"@type": "skos:Concept", "skos:notation": item.status},
        "dcat:landingPage": {"@id": page},
        "dct:modified": {"@value": standard.published_at.isoformat(), "@type": "xsd:dateTime"},
        "cv:hasCompetentAuthority": {
            "@id": f"urn:uscc:{organization.uscc}",
            "@type": "cv:PublicOrganisation",
            "dct:identifier": organization.uscc,
            "skos:prefLabel": text(organization.name),
            "cv:spatial": place,
        },
        "cv:hasLegalResource": [
            {
                "@type": "eli:LegalResource",
                "dct:title": text(c.law_name),
                "eli:id_local": c.doc_number,
                "dct:description": text(c.article_ref),
            }
            for c in standard.citations.all()
        ],
        "cpsv:hasInput": [
            {"@type": "cv:Evidence", "dct:identifier": str(m.uid), "dct:title": text(m.name)}
            for m in standard.materials.all()
        ],
        "cv:hasCost": [
            {
                "@type": "cv:Cost",
                "dct:description": text(f"{f.name}：{f.standard_text}"),
                "cv:currency": {"@id": CNY},
                "cv:isDefinedBy": text(f.basis),
            }
            for f in standard.fees.all()
        ]
        or ([] if guide.is_charged else [{"@type": "cv:Cost", "cv:value": 0, "cv:currency": {"@id": CNY}}]),
        "cv:hasChannel": [
            {"@type": "cv:Channel", "dct:type": {"@type": "skos:Concept", "skos:notation": form}}
            for form in guide.handle_forms or []
            if form in HandleForm.values
        ],
        "cv:hasContactPoint": {
            "@type": "cv:ContactPoint",
            "cv:telephone": guide.consult_phone,
            "cv:openingHours": text(guide.office_hours),
            "locn:address": text(guide.address),
        },
    }
    if guide.online_url:
        node["cv:hasChannel"].append({"@type": "cv:Channel", "schema:url": guide.online_url})
    if guide.result_name:
        node["cpsv:produces"] = {"@type": "cv:Output", "dct:title": text(guide.result_name)}
    duration = processing_time(guide.promised_limit, guide.promised_limit_unit)
    if duration:
        node["cv:processingTime"] = duration
    elif guide.promised_limit is not None:
        unit = str(LimitUnit(guide.promised_limit_unit).label) if guide.promised_limit_unit in LimitUnit.values else ""
        node["dct:temporal"] = label(
            _("承诺办结时限 %(limit)s %(unit)s") % {"limit": guide.promised_limit, "unit": unit}
        )
    return node


@extend_schema(
    summary=gettext_lazy("开放数据：区划已发布的服务（CPSV-AP JSON-LD，流式）"),
    tags=[gettext_lazy("导出与开放数据")],
    filters=True,
    responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
)
class CpsvExportView(ExportView):
    extension = "jsonld"

    def get(self, request):
        division, items = self.filtered(request)
        standards = (
            selectors.published_guides_in(division)
            .filter(local_item__in=items.values("pk"))
            .prefetch_related("citations", "materials", "fees")
        )
        base = request.build_absolute_uri("/").rstrip("/")

        def chunks() -> Iterator[str]:
            head = {
                "@context": CONTEXT,
                "@id": request.build_absolute_uri(),
                "dct:title": label(_("%(division)s政务服务事项（已发布办事指南）") % {"division": division.name}),
                "dct:issued": {"@value": timezone.now().isoformat(), "@type": "xsd:dateTime"},
            }
            yield json.dumps(head, ensure_ascii=False)[:-1] + ', "@graph": ['
            for index, standard in enumerate(standards.iterator(chunk_size=CHUNK // 4)):
                yield ("," if index else "") + json.dumps(public_service(standard, base), ensure_ascii=False)
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/ld+json; charset=utf-8")
        return attachment(response, self.filename(division))
