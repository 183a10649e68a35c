"""A change record is read by the staff of the lists it changed and of the lists below the catalogue it changed —
never by another county's staff, whose list page hides it and whose detail page does not exist for them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue import access
from tests.catalogue.conftest import apply_change


@pytest.fixture
def county_change(general, geo, people, locals_):
    return apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])


@pytest.fixture
def province_change(general, geo, people):
    return apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])


@pytest.mark.parametrize("who", ["compliance", "clerk", "supervisor", "province"])
def test_the_countys_own_and_the_staff_above_read_its_change(client, people, county_change, who):
    client.force_login(people[who])
    assert client.get(reverse("catalogue:change_detail", args=[county_change.pk])).status_code == 200
    assert access.can_see_change(people[who], county_change)


def test_another_countys_staff_get_no_change_record_of_qingcheng(client, people, county_change):
    client.force_login(people["qx_compliance"])
    response = client.get(reverse("catalogue:change_detail", args=[county_change.pk]))
    assert response.status_code == 404
    assert not access.can_see_change(people["qx_compliance"], county_change)
    assert client.get(reverse("catalogue:change_list"), {"division": "441802"}).status_code == 404
    for division in ("441803",):
        listing = client.get(reverse("catalogue:change_list"), {"division": division})
        assert listing.status_code == 200
        assert reverse("catalogue:change_detail", args=[county_change.pk]) not in listing.content.decode()


def test_a_change_of_the_province_catalogue_is_read_in_every_county(client, people, province_change):
    client.force_login(people["qx_compliance"])
    assert client.get(reverse("catalogue:change_detail", args=[province_change.pk])).status_code == 200
    listing = client.get(reverse("catalogue:change_list"), {"division": "441803"})
    assert reverse("catalogue:change_detail", args=[province_change.pk]) in listing.content.decode()
