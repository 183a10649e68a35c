"""Messages that are kept and shown later, perhaps to a reader of another language.

A message written in a background task (an import's rejected rows, a task's progress) is read on a page long after,
in the reader's language, not the task's. ``Message`` is the text in the language active when it was made, so it
reads, compares and formats as that text, and it also keeps its source text and parameters: ``message_data`` turns
it into JSON to store, and ``render_message`` shows the stored form again in the language active then.

The source text must be marked for ``makemessages``: ``Message(gettext_noop("第%(row)s行"), row=3)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext, gettext_noop

# How several messages about one thing read as one (the rejections of one row), and how a list reads inside one.
SEPARATOR = gettext_noop("；")
ENUMERATION = gettext_noop("、")


def enumeration(items: Iterable[Any]) -> str:
    """Names listed in a sentence (甲、乙、丙), with the separator of the active language."""
    return gettext(ENUMERATION).join(str(item) for item in items)


def sentences(parts: Iterable[Any]) -> str:
    """Several messages as one text, with the separator of the active language."""
    return gettext(SEPARATOR).join(str(part) for part in parts)


def _format(msgid: str, params: dict[str, Any]) -> str:
    text = gettext(msgid)
    return text % params if params else text


def _shown(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return enumeration(value)
    return str(value) if isinstance(value, Message) else value


class Message(str):
    """A translated message that remembers its source text and parameters. A parameter may be a message itself, or
    a list (shown as an enumeration)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Message:
        text = super().__new__(cls, _format(msgid, {key: _shown(value) for key, value in params.items()}))
        text.msgid, text.params = msgid, params
        return text

    def __reduce__(self):
        return _rebuild, (self.msgid, self.params)


def _rebuild(msgid: str, params: dict[str, Any]) -> Message:
    return Message(msgid, **params)


def message_data(value: Any) -> Any:
    """What a message is made of, as JSON: ``{"msgid": ..., "params": {...}}`` for a ``Message``, a list for several
    messages, plain text for a text that was never a message (kept as it was written)."""
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": {key: message_data(v) for key, v in value.params.items()}}
    if isinstance(value, list | tuple):
        return [message_data(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def render_message(data: Any) -> str:
    """The stored form of a message (``message_data``), in the language active now; a list is several messages."""
    if isinstance(data, dict) and "msgid" in data:
        params = {key: _param(value) for key, value in (data.get("params") or {}).items()}
        return _format(data["msgid"], params)
    if isinstance(data, list):
        return gettext(SEPARATOR).join(render_message(part) for part in data)
    return "" if data is None else str(data)


def _param(value: Any) -> Any:
    if isinstance(value, list):
        return enumeration(render_message(v) for v in value)
    if isinstance(value, dict):
        return render_message(value)
    return value


def error_message(exc: BaseException) -> str:
    """An exception's message as it was raised, a ``Message`` keeping its source (``str(exc)`` is plain text)."""
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


def join_messages(parts: list[str]) -> str:
    """Several messages about one thing as one text that keeps each part's source (see ``message_data``)."""
    if len(parts) == 1:
        return parts[0]
    return Message(
        "%(first)s%(separator)s%(rest)s", first=parts[0], separator=Message(SEPARATOR), rest=join_messages(parts[1:])
    )


def choice_message(label: Any) -> str:
    """A model choice's label (``gettext_lazy``) as a ``Message``, so a stored message shows it in the reader's
    language too."""
    source = getattr(label, "_args", None)
    if source and isinstance(source[0], str):
        return Message(source[0])
    return str(label)


def join_lines(parts: list[str]) -> str:
    """Lines of a text (a notification's body) as one message that keeps each line's source."""
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return Message("%(first)s\n%(rest)s", first=parts[0], rest=join_lines(parts[1:]))
