"""Factories that build valid catalogue data by default: real division codes, credit codes with a correct check
character, general items with codes assigned by the catalogue services."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import User

from catalogue.codes import make_uscc
from catalogue.models import Division, Membership, Organization, OrganizationKind
from catalogue.services import ChangeDocument, ItemSpec, catalog_change_apply

_serial = itertools.count(100)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.django.Password("pass-word-123")


def division(code: str, name: str, level: str, parent: Division | None = None) -> Division:
    """A division with its ancestor codes filled as the loader fills them."""
    codes = {"province_code": "", "city_code": "", "county_code": "", "township_code": ""}
    if parent is not None:
        codes.update(
            province_code=parent.province_code,
            city_code=parent.city_code,
            county_code=parent.county_code,
        )
    codes[f"{level}_code"] = code
    full = (parent.full_name if parent else "") + name
    obj, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "full_name": full, **codes}
    )
    return obj


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = OrganizationKind.DEPARTMENT
    uscc = factory.LazyAttribute(lambda o: make_uscc(division_code=o.division.code, serial=next(_serial)))


def member(user: User, organization: Organization, role: str) -> User:
    Membership.objects.get_or_create(user=user, organization=organization, role=role)
    user.__dict__.pop("_catalogue_scope", None)
    return user


def document(number: str = "粤编办发〔2026〕1号") -> ChangeDocument:
    return ChangeDocument(number, "关于调整行政审批事项的通知", dt.date(2026, 3, 1))


def add_general(actor: User, province: Division, *specs: ItemSpec, number: str | None = None):
    """Add general items through the change service, as the province's office would."""
    change = catalog_change_apply(
        actor=actor,
        kind="add",
        scope=province,
        document=document(number or f"测试〔2026〕{next(_serial)}号"),
        effective_date=dt.date(2026, 3, 1),
        reason="新增事项",
        new_items=list(specs),
    )
    return list(change.general_items.order_by("pk"))
