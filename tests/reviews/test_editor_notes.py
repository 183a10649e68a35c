"""A returned version shows the reviewer's reasons beside the fields they concern, in the editor the author uses."""

from __future__ import annotations

from django.urls import reverse

from reviews.models import ReturnReason, ReviewTask
from reviews.services import CommentInput, review_task_decide


def test_the_editor_shows_the_return_reasons_beside_their_fields(client, at_compliance, cast):
    task = ReviewTask.objects.get(standard=at_compliance, closed_at__isnull=True)
    review_task_decide(
        actor=cast["compliance"],
        task=task,
        decision="return",
        reasons=[ReturnReason.objects.get(code="C01")],
        comments=[
            CommentInput(ReturnReason.objects.get(code="F02"), "guide.promised_limit", "承诺时限须写明工作日"),
            CommentInput(ReturnReason.objects.get(code="F03"), "materials[0]", "材料名称应与法规一致"),
        ],
    )
    client.force_login(cast["clerk"])
    page = client.get(reverse("standards:edit", args=[at_compliance.pk]))
    assert page.status_code == 200
    by_path = {note.field_path: note for note in page.context["notes"]}
    assert by_path["guide.promised_limit"].code == "F02"
    assert "承诺时限须写明工作日" in by_path["guide.promised_limit"].message
    assert by_path[""].code == "C01"  # ticked without a comment: about the version as a whole
    placed = page.context["placed"]["guide"]["promised_limit"]
    assert any(getattr(f, "code", "") == "F02" for f in placed)
    materials = page.context["editor"].formsets["materials"][2]
    assert [n.code for n in materials.forms[0].findings if n.severity == "return"] == ["F03"]
    body = page.content.decode()
    assert "退回修改意见" in body and "finding-return" in body


def test_no_return_notes_while_a_version_is_not_returned(client, version, cast):
    client.force_login(cast["clerk"])
    page = client.get(reverse("standards:edit", args=[version.pk]))
    assert page.context["notes"] == [] and "退回修改意见" not in page.content.decode()
