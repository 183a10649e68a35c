"""Importing provinces' data as they publish it: type schemes (Guangdong's 20/21), conflicts with established items
decided in the preview, one code with several names, a file imported twice, and Excel's numbers in code columns.

No public Guangdong list with type codes 20/21 could be found for the fixtures, so the scheme tests take real rows
of the Zhongshan list (real bodies, credit codes and names, all 行政许可 ``01``) and give some of them the type
digits 20 and 21 in both the type column and the codes, as a Guangdong export of such items carries them. Those
rows are adapted, not published ones; the rows left at ``01`` are as published."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.codes import make_uscc
from catalogue.imports import load_profile
from catalogue.models import (
    CatalogueImport,
    GeneralItem,
    ImportConflict,
    ImportState,
    LocalItem,
    Organization,
    TypeScheme,
)
from tests.catalogue.import_helpers import ZHONGSHAN, _csv, _history_rows, _run, _zhongshan_rows

PROFILE = load_profile("gd_zhongshan").source


def _with_type(row: list[str], header: list[str], digits: str) -> list[str]:
    """A Zhongshan row given the type digits ``digits`` in its type column and its implementation code."""
    row = list(row)
    code = header.index("task_code")
    row[code] = row[code][:21] + digits + row[code][23:]
    row[header.index("task_type_code")] = digits
    return row


def _guangdong_rows() -> list[list[str]]:
    rows = _zhongshan_rows(6)
    header = rows[0]
    return [header, _with_type(rows[1], header, "20"), _with_type(rows[2], header, "21"), *rows[3:]]


def _profile_file(tmp_path, replace: str) -> str:
    text = PROFILE.read_text(encoding="utf-8").replace('type_scheme = "guangdong"', replace)
    path = tmp_path / "gd_own_map.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


OWN_MAP = '[general.types]\n"01" = "01"\n"20" = "10"\n"21" = "20"'
WRONG_MAP = '[general.types]\n"01" = "01"\n"20" = "20"\n"21" = "20"'


# --- type schemes ---------------------------------------------------------------------------------------------------


def test_guangdong_20_and_21_import_as_other_power_and_public_service_through_the_shipped_scheme(
    zhongshan, admin_user, tmp_path
):
    rows = _guangdong_rows()
    report = _run(admin_user, _csv(tmp_path / "gd.csv", rows), "gd_zhongshan")
    assert not report.rejections and report.counts == {"create": 6}
    header = rows[0]
    expected = {"20": "10", "21": "20", "01": "01"}
    for row in rows[1:]:
        local = LocalItem.objects.select_related("general_item").get(code=row[header.index("task_code")])
        digits = row[header.index("task_type_code")]
        # The code keeps the digits as issued; the type is the national one the scheme maps them to.
        assert local.general_item.code[2:4] == digits
        assert local.item_type == local.general_item.item_type == expected[digits]
        assert local.general_item.type_scheme == TypeScheme.GUANGDONG
        parent = local.general_item.parent
        assert parent is None or (parent.item_type, parent.code[2:4]) == (expected[digits], digits)


def test_a_profile_s_own_map_20_to_10_works_through_the_scheme(zhongshan, admin_user, tmp_path):
    report = _run(admin_user, _csv(tmp_path / "gd.csv", _guangdong_rows()), _profile_file(tmp_path, OWN_MAP))
    assert not report.rejections and report.counts == {"create": 6}
    assert sorted(GeneralItem.objects.filter(node_kind="sub").values_list("item_type", flat=True)) == [
        "01",
        "01",
        "01",
        "01",
        "10",
        "20",
    ]


def test_a_row_whose_type_contradicts_its_code_names_both(zhongshan, admin_user, tmp_path):
    rows = _zhongshan_rows(1)
    rows[1][rows[0].index("task_type_code")] = "21"
    report = _run(admin_user, _csv(tmp_path / "gd.csv", rows), "gd_zhongshan")
    (rejection,) = report.rejections
    assert "事项类型“21”对应国家类型“20”" in rejection.reason and "类型位“01”" in rejection.reason


def test_a_corrected_map_retypes_on_reimport_shown_as_updates_with_before_and_after(zhongshan, admin_user, tmp_path):
    path = _csv(tmp_path / "gd.csv", _guangdong_rows())
    _run(admin_user, path, _profile_file(tmp_path, WRONG_MAP))
    wrong = GeneralItem.objects.get(code__startswith="4420", node_kind="sub")
    assert wrong.item_type == "20" and wrong.parent.item_type == "20"

    preview = _run(admin_user, path, "gd_zhongshan", dry_run=True)
    assert preview.counts == {"update": 1, "unchanged": 5}
    (sample,) = preview.samples["update"]
    assert {(c["code"], c["before"], c["after"]) for c in sample["changes"]} == {
        (wrong.code, "20", "10"),
        (wrong.parent.code, "20", "10"),
    }
    wrong.refresh_from_db()
    assert wrong.item_type == "20"  # a preview changes nothing

    _run(admin_user, path, "gd_zhongshan")
    wrong.refresh_from_db()
    assert (wrong.item_type, wrong.type_scheme, wrong.parent.item_type) == ("10", "guangdong", "10")
    assert LocalItem.objects.get(general_item=wrong).item_type == "10"
    assert _run(admin_user, path, "gd_zhongshan").changes == 0


def test_stored_21_becomes_20_and_codes_with_21_follow_the_guangdong_scheme(zhongshan, admin_user, tmp_path):
    _run(admin_user, _csv(tmp_path / "gd.csv", _guangdong_rows()), "gd_zhongshan")
    item = GeneralItem.objects.get(code__startswith="4421", node_kind="sub")
    GeneralItem.objects.filter(pk=item.pk).update(item_type="21", type_scheme="national")
    LocalItem.objects.filter(general_item=item).update(item_type="21")
    history = GeneralItem.history.count()
    migration = importlib.import_module("catalogue.migrations.0007_type_schemes")
    migration.national_21_to_20(django_apps, None)
    item.refresh_from_db()
    assert (item.item_type, item.type_scheme) == ("20", "guangdong")
    assert LocalItem.objects.get(general_item=item).item_type == "20"
    assert GeneralItem.history.count() == history


# --- one code, several names; the same file twice -------------------------------------------------------------


def _two_names_rows() -> list[list[str]]:
    """The first Zhongshan rows and one more: the first row's general item exercised by a second body under
    another name (as a handling item used by two bodies for different situations)."""
    rows = _zhongshan_rows(3)
    header = rows[0]
    extra = list(rows[1])
    uscc = make_uscc(division_code="442000", serial=987654)
    code = header.index("task_code")
    extra[code] = uscc + extra[code][18:]
    extra[header.index("task_name")] = "中外合作开办学前教育机构审批（第二主体）"
    extra[header.index("dept_name")] = "中山市另一个局"
    return [*rows, extra]


def test_one_code_with_two_names_gets_the_first_name_and_a_second_import_changes_nothing(
    zhongshan, admin_user, tmp_path
):
    path = _csv(tmp_path / "two.csv", _two_names_rows())
    first = _run(admin_user, path, "gd_zhongshan")
    assert not first.rejections and first.counts == {"create": 4}
    general = GeneralItem.objects.get(code="440102001001")
    assert general.name == "中外合作开办学前教育机构审批"
    assert first.name_choices == {
        "440102001001": {
            "names": ["中外合作开办学前教育机构审批", "中外合作开办学前教育机构审批（第二主体）"],
            "chosen": "中外合作开办学前教育机构审批",
        }
    }
    # Local items keep their rows' names.
    assert sorted(general.local_items.values_list("name", flat=True)) == [
        "中外合作开办学前教育机构审批",
        "中外合作开办学前教育机构审批（第二主体）",
    ]
    counts = (_history_rows(), GeneralItem.history.count(), LocalItem.history.count(), Organization.history.count())
    second = _run(admin_user, path, "gd_zhongshan")
    assert second.changes == 0 and second.counts == {"unchanged": 4}
    third = _run(admin_user, path, "gd_zhongshan")
    assert third.changes == 0
    assert (
        _history_rows(),
        GeneralItem.history.count(),
        LocalItem.history.count(),
        Organization.history.count(),
    ) == counts


def test_the_real_zhongshan_file_twice_reports_no_change_and_writes_no_history(zhongshan, admin_user):
    _run(admin_user, ZHONGSHAN, "gd_zhongshan")
    before = _history_rows()
    report = _run(admin_user, ZHONGSHAN, "gd_zhongshan")
    assert report.changes == 0 and report.counts == {"unchanged": 40} and _history_rows() == before


# --- conflicts -------------------------------------------------------------------------------------------------


def _renamed(tmp_path):
    rows = _zhongshan_rows(2)
    rows[1][1] = "另一个名称"
    return _csv(tmp_path / "renamed.csv", rows)


@pytest.mark.parametrize(
    ("decision", "general_name", "locals_"),
    [
        ("keep", "中外合作开办学前教育机构审批", 2),
        ("take", "另一个名称", 2),
        ("skip", "中外合作开办学前教育机构审批", 1),
    ],
)
def test_each_decision_on_a_conflict_is_applied(
    zhongshan, admin_user, general, tmp_path, decision, general_name, locals_
):
    path = _renamed(tmp_path)
    report = _run(admin_user, path, "gd_zhongshan", decisions={"440102001001": decision})
    assert not report.conflicts and not report.rejections
    general["sub1"].refresh_from_db()
    assert general["sub1"].name == general_name and LocalItem.objects.count() == locals_
    if decision == "take":
        assert general["sub1"].history.first().history_change_reason == "批量导入：renamed.csv"


def test_all_or_nothing_saves_nothing_while_a_conflict_is_open(zhongshan, admin_user, general, tmp_path):
    report = _run(admin_user, _renamed(tmp_path), "gd_zhongshan", all_or_nothing=True)
    assert report.counts == {"conflict": 1, "create": 1} and not report.saved
    assert not LocalItem.objects.exists()


def test_conflicts_show_side_by_side_in_the_preview_and_are_decided_there(
    client, people, zhongshan, general, tmp_path, django_assert_max_num_queries
):
    client.force_login(people["province"])
    content = _renamed(tmp_path).read_bytes()
    client.post(
        reverse("catalogue:import_list"),
        {"file": SimpleUploadedFile("renamed.csv", content), "profile": "gd_zhongshan", "division": ""},
    )
    record = CatalogueImport.objects.get()
    assert record.state == ImportState.PREVIEWED and record.preview_counts["conflict"] == 1
    conflict = ImportConflict.objects.get(catalogue_import=record)
    assert (conflict.code, conflict.rows, conflict.decision) == ("440102001001", [2], "")
    url = reverse("catalogue:import_detail", args=[record.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "编码冲突" in page and "中外合作开办学前教育机构审批" in page and "<mark>另一个名称</mark>" in page
    assert f'name="decision-{conflict.pk}"' in page and "全部冲突：采用文件中的" in page

    # All-or-nothing is refused while the conflict is open, with the reason.
    response = client.post(reverse("catalogue:import_confirm", args=[record.pk]), {"all_or_nothing": "on"}, follow=True)
    assert "还有 1 处编码冲突未决定" in response.content.decode()
    record.refresh_from_db()
    assert record.state == ImportState.PREVIEWED

    # A decision that is no choice, or a conflict of another import, changes nothing.
    decide = reverse("catalogue:import_decide", args=[record.pk])
    for data in (
        {f"decision-{conflict.pk}": "drop"},
        {"decision-999999": "keep"},
        {"decision-x": "keep"},
        {"all": "x"},
    ):
        client.post(decide, data)
        conflict.refresh_from_db()
        assert conflict.decision == ""

    client.post(decide, {"all": "take"})
    conflict.refresh_from_db()
    assert (conflict.decision, conflict.decided_by) == ("take", people["province"])
    client.post(reverse("catalogue:import_confirm", args=[record.pk]), {"all_or_nothing": "on"})
    record.refresh_from_db()
    assert record.state == ImportState.IMPORTED and record.counts["create"] == 2
    general["sub1"].refresh_from_db()
    assert general["sub1"].name == "另一个名称"


def test_only_the_uploader_decides_conflicts(client, people, zhongshan, general, tmp_path):
    client.force_login(people["province"])
    client.post(
        reverse("catalogue:import_list"),
        {"file": SimpleUploadedFile("renamed.csv", _renamed(tmp_path).read_bytes()), "profile": "gd_zhongshan"},
    )
    record = CatalogueImport.objects.get()
    client.force_login(people["compliance"])
    response = client.post(reverse("catalogue:import_decide", args=[record.pk]), {"all": "take"})
    assert response.status_code in (403, 404)
    assert ImportConflict.objects.get().decision == ""


def test_a_rejection_names_the_row_s_own_item(zhongshan, admin_user, general, tmp_path):
    rows = _zhongshan_rows(1)
    _run(admin_user, _csv(tmp_path / "a.csv", rows), "gd_zhongshan")
    GeneralItem.objects.filter(code="440102001001").update(status="cancelled", cancel_date="2026-01-01")
    rows[1][1] = "本行自己的名称"
    report = _run(admin_user, _csv(tmp_path / "b.csv", rows), "gd_zhongshan")
    (rejection,) = report.rejections
    assert "本行自己的名称" in rejection.reason


# --- the demo catalogue -------------------------------------------------------------------------------------------


def test_the_demo_uses_real_codes_only_for_real_names_and_a_block_no_province_issues_for_the_rest():
    from catalogue.demo.data import DEMO_MAIN_BASE, demo_main_code, real_catalogue_entries

    entries = real_catalogue_entries()
    with ZHONGSHAN.open(encoding="utf-8") as fh:
        import csv

        published = {row["parent_catalog_id"]: row["parent_catalog_name"] for row in csv.DictReader(fh)}
    taken: dict = {}
    codes = set()
    for entry in entries:
        if entry.code:
            assert published[entry.code] == entry.name
            continue
        code, main = demo_main_code("440000", entry, taken)
        assert DEMO_MAIN_BASE <= main <= 999 and code[6:9] == f"{main:03d}" and code not in published
        assert code.endswith("00Y") == bool(entry.subs)
        codes.add(code)
    assert len(codes) == sum(1 for e in entries if not e.code)


def test_a_row_kept_under_an_established_item_it_cannot_use_is_rejected_under_its_own_name(
    zhongshan, admin_user, general, tmp_path
):
    GeneralItem.objects.filter(pk=general["sub1"].pk).update(levels="4")
    report = _run(admin_user, _renamed(tmp_path), "gd_zhongshan", decisions={"440102001001": "keep"})
    rejection = next(r for r in report.rejections if r.row == 2)
    assert rejection.reason.startswith("本行事项“另一个名称”：") and "市级" in rejection.reason


def test_a_guangdong_item_s_given_code_is_checked_through_its_scheme_and_its_sub_items_keep_its_digits(
    geo, sector, admin_user
):
    from django.core.exceptions import ValidationError

    from catalogue.services.items import ItemSpec, general_item_prepare

    def prepare(**kw):
        spec = ItemSpec(name="某公共服务", item_type="20", sector=sector, levels="34", **kw)
        return general_item_prepare(spec=spec, province=geo["gd"], actor=admin_user, effective_date=None, parent=None)

    main = prepare(code="44210280000Y", has_sub_items=True, type_scheme="guangdong")
    assert (main.item_type, main.type_scheme) == ("20", "guangdong")
    with pytest.raises(ValidationError, match="类型位“21”按国家编码与事项类型不符"):
        prepare(code="442102801000")
    main.save()
    sub = general_item_prepare(
        spec=ItemSpec(name="某子项", node_kind="sub", parent=main, levels="34"),
        province=geo["gd"],
        actor=admin_user,
        effective_date=None,
        parent=main,
    )
    assert (sub.code, sub.item_type, sub.type_scheme) == ("442102800001", "20", "guangdong")


def test_the_command_decides_every_conflict_and_reports_them(zhongshan, admin_user, general, tmp_path):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_catalogue", str(_renamed(tmp_path)), profile="gd_zhongshan", user=admin_user.username,
                 dry_run=True, stdout=out)  # fmt: skip
    assert "编码冲突 440102001001（第2行）：目录中为“中外合作开办学前教育机构审批”" in out.getvalue()
    assert "编码冲突待决定 1" in out.getvalue()
    call_command("import_catalogue", str(_renamed(tmp_path)), profile="gd_zhongshan", user=admin_user.username,
                 conflicts="take", stdout=io.StringIO())  # fmt: skip
    general["sub1"].refresh_from_db()
    assert general["sub1"].name == "另一个名称" and LocalItem.objects.count() == 2


def test_the_preview_page_shows_a_retyped_item_before_and_after(client, admin_user, zhongshan, tmp_path):
    path = _csv(tmp_path / "gd.csv", _guangdong_rows())
    _run(admin_user, path, _profile_file(tmp_path, WRONG_MAP))
    client.force_login(admin_user)
    client.post(
        reverse("catalogue:import_list"),
        {"file": SimpleUploadedFile("gd.csv", path.read_bytes()), "profile": "gd_zhongshan", "division": ""},
    )
    record = CatalogueImport.objects.get()
    assert record.preview_counts["update"] == 1
    page = client.get(reverse("catalogue:import_detail", args=[record.pk])).content.decode()
    assert "改动（原 → 新）" in page and "公共服务 → 其他行政权力" in page


def test_a_foreign_sub_item_the_file_puts_under_another_main_item_is_a_conflict_then_moved(
    guangan, admin_user, tmp_path
):
    import csv

    from tests.catalogue.import_helpers import GUANGAN, GUANGAN_PROFILE

    with GUANGAN.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, row = rows[0], rows[65]  # a 户口登记（包括注销、恢复、变更） sub item of 区公安分局, under its main by name
    _run(admin_user, _csv(tmp_path / "a.csv", [header, row]), str(GUANGAN_PROFILE))
    sub = GeneralItem.objects.get(code=row[header.index("basic_code")])
    GeneralItem.objects.filter(pk=sub.pk).update(needs_review=False)  # established by the province office
    old_parent = sub.parent.code
    moved = list(row)
    moved[header.index("main_item")] = "户口迁移"
    path = _csv(tmp_path / "b.csv", [header, moved])

    report = _run(admin_user, path, str(GUANGAN_PROFILE))
    conflict = report.conflicts[sub.code]
    assert conflict["existing"]["parent"] == old_parent and conflict["incoming"]["parent"] not in ("", old_parent)
    report = _run(admin_user, path, str(GUANGAN_PROFILE), decisions={sub.code: "take"})
    assert report.counts == {"update": 1}
    (change,) = report.samples["update"][0]["changes"]
    assert (change["field"], change["before"], change["after"]) == (
        "parent",
        old_parent,
        conflict["incoming"]["parent"],
    )
    sub.refresh_from_db()
    assert sub.parent.code == conflict["incoming"]["parent"] and sub.parent.name == moved[header.index("main_item")]


def test_an_established_parent_is_retyped_only_by_a_decision_on_its_own_code(zhongshan, admin_user, tmp_path):
    """A wrong map corrected later re-types what the import made, but a parent the catalogue has established is the
    catalogue's: its type changing is a conflict on its own code, and keep leaves the whole family as it is."""
    path = _csv(tmp_path / "gd.csv", _guangdong_rows())
    _run(admin_user, path, _profile_file(tmp_path, WRONG_MAP))
    wrong = GeneralItem.objects.get(code__startswith="4420", node_kind="sub")
    parent = wrong.parent
    GeneralItem.objects.filter(pk=parent.pk).update(needs_review=False)  # the province office confirmed the parent

    preview = _run(admin_user, path, "gd_zhongshan", dry_run=True)
    assert list(preview.conflicts) == [parent.code]
    assert preview.conflicts[parent.code]["incoming"]["item_type"] == "10"

    _run(admin_user, path, "gd_zhongshan", decisions={parent.code: "keep"})
    wrong.refresh_from_db()
    parent.refresh_from_db()
    assert (wrong.item_type, parent.item_type) == ("20", "20")  # kept: nobody decided otherwise

    _run(admin_user, path, "gd_zhongshan", decisions={parent.code: "take"})
    wrong.refresh_from_db()
    parent.refresh_from_db()
    assert (wrong.item_type, parent.item_type) == ("10", "10")
