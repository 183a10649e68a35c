"""A NUL byte anywhere in a request is refused with a 400 before a view or the database sees it (PostgreSQL refuses
text containing 0x00, which used to be a server error on public and staff pages alike)."""

from __future__ import annotations

import pytest

from reviews.models import ReviewTask


@pytest.mark.parametrize(
    "url",
    [
        "/public/%00/",
        "/guides/%00/",
        "/public/441802/?q=%00",
        "/standards/?q=%00",
        "/catalogue/?division=%00",
        "/reviews/?%00=1",
    ],
)
def test_a_nul_byte_in_the_address_or_query_is_a_400_page(client, people, url):
    assert client.get(url).status_code == 400
    client.force_login(people["clerk"])
    response = client.get(url)
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()


def test_the_api_answers_in_its_error_shape(client, db):
    response = client.get("/api/v1/items/?q=%00")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and "NUL" in body["detail"] and list(body["errors"]) == ["q"]


def test_a_nul_byte_in_a_form_changes_nothing(client, people):
    client.force_login(people["clerk"])
    before = ReviewTask.objects.count()
    response = client.post("/reviews/bulk-pass/", {"task": "1\x00"})
    assert response.status_code == 400
    assert ReviewTask.objects.count() == before


def test_ordinary_input_passes(client, db):
    assert client.get("/public/?q=教育").status_code == 200
