"""A typo in a profile names the key it most likely meant; a missing key says what stood in its place."""

from core.profile_keys import missing_key_error, nearest_key, unknown_key_errors


def test_unknown_key_names_the_nearest_known_key():
    errors = unknown_key_errors({"colum": "x", "pattern": "y"}, ("column", "pattern", "value"), "general.code")
    assert [str(e) for e in errors] == ["未知的键“general.code.colum”，是否应为“column”？"]


def test_unknown_key_far_from_all_lists_the_known_keys():
    errors = unknown_key_errors({"zzz": 1}, ("column", "value"), "")
    assert len(errors) == 1
    assert "zzz" in errors[0] and "column" in errors[0] and "value" in errors[0]


def test_known_keys_give_no_error():
    assert unknown_key_errors({"column": "a"}, ("column", "value"), "x") == []


def test_missing_key_says_what_was_found_instead():
    assert str(missing_key_error({"nmae": "a", "code": "b"}, "name", "department")) == (
        "缺少“department.name”；找到的是“nmae”，是否拼写有误？"
    )
    assert "只有" in missing_key_error({"code": "b"}, "name", "department")
    assert str(missing_key_error({}, "name", "")) == "缺少“name”"


def test_nearest_key_is_empty_when_nothing_is_close():
    assert nearest_key("abc", ["department", "general"]) == ""
