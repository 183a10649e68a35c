"""Chinese by default, English on request, and no UI string left untranslated in the English catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_pages_speak_chinese_by_default_and_english_on_request(client, db):
    chinese = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "工作人员登录" in chinese and "用户名" in chinese
    english = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff login" in english and "Username" in english
    assert "工作人员登录" not in english


def test_language_switch_keeps_the_choice(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/public/"})
    assert "Public Catalogue" in client.get("/public/").content.decode()


def test_every_source_string_has_an_english_translation():
    text = PO.read_text(encoding="utf-8")
    entries = re.findall(r'^msgid "(.+)"\nmsgstr ""\n(?!")', text, flags=re.M)
    assert entries == [], f"untranslated: {entries[:10]}"
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], "fuzzy entries show the Chinese source in English"
