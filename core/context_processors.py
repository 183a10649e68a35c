"""The navigation bar depends on who is signed in; it is built once per request here."""

from django.http import HttpRequest

from catalogue.access import navigation_for


def navigation(request: HttpRequest) -> dict:
    return {"nav_items": navigation_for(request.user)}
