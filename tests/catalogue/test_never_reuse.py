"""The database guarantees of migration 0002: every code of a general or local item is registered in
``catalogue_issuedcode`` on insert, whatever path the insert takes, so a code is never issued twice — also after
its item is cancelled or its row removed — and a stored code cannot be changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from catalogue.models import CatalogChange, Claim, GeneralItem, IssuedCode, ItemStatus, LocalItem, LocalItemStatus
from catalogue.services import ItemSpec, claims_create
from tests.catalogue.conftest import apply_change
from tests.factories import add_general


def _general_values(template: GeneralItem, code: str, **overrides) -> dict:
    """Fields of a general item like ``template`` with another code, as an import or the admin would write it."""
    return {
        "province_id": template.province_id,
        "code": code,
        "name": "绕过服务写入的事项",
        "item_type": template.item_type,
        "sector_id": template.sector_id,
        "node_kind": "main",
        "main_seq": 900,
        "sub_seq": 0,
        "levels": "34",
        **overrides,
    }


def _general_row(template: GeneralItem, code: str, **overrides) -> GeneralItem:
    return GeneralItem(**_general_values(template, code, **overrides))


def _local_row(template: LocalItem, code: str, **overrides) -> LocalItem:
    values = {
        "general_item_id": template.general_item_id,
        "division_id": template.division_id,
        "organization_id": template.organization_id,
        "name": template.name,
        "item_type": template.item_type,
        "level": template.level,
        **overrides,
    }
    return LocalItem(code=code, **values)


def _raw_delete(table: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
        assert cursor.rowcount == 1


@pytest.fixture
def fresh_general(general, geo, sector, people):
    """A main item nothing refers to but its own add change."""
    (item,) = add_general(
        people["province"], geo["gd"], ItemSpec(name="临时事项", item_type="01", sector=sector, levels="34")
    )
    return item


def _remove_general_row(item: GeneralItem) -> None:
    CatalogChange.general_items.through.objects.filter(generalitem_id=item.pk).delete()
    _raw_delete("catalogue_generalitem", item.pk)
    assert not GeneralItem.objects.filter(pk=item.pk).exists()


# --- the registry ------------------------------------------------------------------------------------------------


def test_every_inserted_code_is_registered(general, orgs, people):
    general_codes = set(GeneralItem.objects.values_list("code", flat=True))
    assert general_codes == set(IssuedCode.objects.filter(kind="general").values_list("code", flat=True))
    assert "44010200100Y" in general_codes
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    registered = IssuedCode.objects.get(code=claim.local_item.code)
    assert registered.kind == "local"
    assert registered.issued_at is not None


def test_an_orm_insert_of_a_new_code_is_registered_too(general):
    item = _general_row(general["plain"], "440102900000")
    item.save()
    assert IssuedCode.objects.filter(code="440102900000", kind="general").exists()
    GeneralItem.objects.bulk_create([_general_row(general["plain"], "440102901000", main_seq=901)])
    assert IssuedCode.objects.filter(code="440102901000", kind="general").exists()


# --- a cancelled code stays taken --------------------------------------------------------------------------------


def test_code_of_a_cancelled_general_item_cannot_be_inserted_again(general, geo, people):
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    assert GeneralItem.objects.get(code="440102002000").status == ItemStatus.CANCELLED
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneralItem.objects.create(**_general_values(general["plain"], "440102002000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneralItem.objects.bulk_create([_general_row(general["plain"], "440102002000")])
    assert GeneralItem.objects.filter(code="440102002000").count() == 1


def test_code_of_a_cancelled_local_item_cannot_be_inserted_again(general, geo, people, locals_):
    old = locals_["qc_plain"]
    apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[old])
    assert LocalItem.objects.get(pk=old.pk).status == LocalItemStatus.CANCELLED
    with pytest.raises(IntegrityError), transaction.atomic():
        _local_row(old, old.code).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalItem.objects.bulk_create([_local_row(old, old.code, general_item_id=general["township"].pk)])
    assert LocalItem.objects.filter(code=old.code).count() == 1


# --- the code stays taken after its row is removed ---------------------------------------------------------------


def test_general_code_stays_taken_after_its_row_is_deleted(fresh_general):
    code = fresh_general.code
    _remove_general_row(fresh_general)
    assert IssuedCode.objects.filter(code=code).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        _general_row(fresh_general, code).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneralItem.objects.bulk_create([_general_row(fresh_general, code)])
    assert not GeneralItem.objects.filter(code=code).exists()
    # A code never issued still goes in: the refusal is about reuse, not about inserting.
    _general_row(fresh_general, "440102950000").save()


def test_raw_sql_insert_is_refused_too(fresh_general):
    code = fresh_general.code
    _remove_general_row(fresh_general)
    row = _general_row(fresh_general, code)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalogue_generalitem (province_id, code, name, name_initials, item_type, sector_id, "
            "node_kind, has_sub_items, main_seq, sub_seq, levels, bases, central_guiding_dept, status, needs_review, "
            "created_at, updated_at) VALUES (%s, %s, %s, '', %s, %s, 'main', %s, %s, %s, %s, '[]', '', 'active', "
            "%s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            [row.province_id, code, row.name, row.item_type, row.sector_id, False, 900, 0, "34", False],
        )
    assert not GeneralItem.objects.filter(code=code).exists()


def test_local_code_stays_taken_after_its_row_is_deleted(general, orgs, people):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    local = claim.local_item
    Claim.objects.filter(pk=claim.pk).delete()
    _raw_delete("catalogue_localitem", local.pk)
    assert not LocalItem.objects.filter(pk=local.pk).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        _local_row(local, local.code).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalItem.objects.bulk_create([_local_row(local, local.code)])
    assert not LocalItem.objects.filter(code=local.code).exists()


# --- a stored code cannot change ---------------------------------------------------------------------------------


def test_general_code_cannot_be_updated(general):
    plain = general["plain"]
    with pytest.raises(DatabaseError), transaction.atomic():
        GeneralItem.objects.filter(pk=plain.pk).update(code="440102099000")
    plain.code = "440102099000"
    with pytest.raises(DatabaseError), transaction.atomic():
        plain.save()
    assert GeneralItem.objects.get(pk=plain.pk).code == "440102002000"
    assert not IssuedCode.objects.filter(code="440102099000").exists()


def test_local_code_cannot_be_updated(general, locals_):
    local = locals_["qc_plain"]
    original = local.code
    with pytest.raises(DatabaseError), transaction.atomic():
        LocalItem.objects.filter(pk=local.pk).update(code=original[:-1] + "9")
    assert LocalItem.objects.get(pk=local.pk).code == original


def test_other_fields_may_still_be_saved(general, locals_):
    plain = GeneralItem.objects.get(pk=general["plain"].pk)
    plain.central_guiding_dept = "教育部"
    plain.save()  # writes the unchanged code column as well
    assert GeneralItem.objects.get(pk=plain.pk).central_guiding_dept == "教育部"
    LocalItem.objects.filter(pk=locals_["qc_plain"].pk).update(needs_adjustment=True)
    assert LocalItem.objects.get(pk=locals_["qc_plain"].pk).needs_adjustment


# --- items are never deleted -------------------------------------------------------------------------------------


def test_general_item_delete_is_refused(general):
    with pytest.raises(ValidationError, match="不得删除"):
        general["plain"].delete()
    assert GeneralItem.objects.filter(pk=general["plain"].pk).exists()


def test_local_item_delete_is_refused(general, locals_):
    with pytest.raises(ValidationError, match="不得删除"):
        locals_["qc_plain"].delete()
    assert LocalItem.objects.filter(pk=locals_["qc_plain"].pk).exists()
