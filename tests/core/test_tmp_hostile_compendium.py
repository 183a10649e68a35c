import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.api.conftest import items  # noqa: F401
from tests.core.test_hostile_input import PATHS, _queries, _server_errors, callers  # noqa: F401

MINE = [p for p in PATHS if "compendium" in p or "acceptance" in p]


@pytest.mark.django_db
@pytest.mark.usefixtures("items")
@pytest.mark.parametrize("who", ["anonymous", "admin", "clerk", "compliance"])
def test_mine(callers, who):  # noqa: F811
    assert len(MINE) > 10
    cache.clear()
    with override_settings(API_THROTTLE_RATES={}, PROGRESS_TRIES=100000):
        errors = _server_errors(callers[who], MINE, _queries())
    assert errors == [], "\n".join(errors[:40])
