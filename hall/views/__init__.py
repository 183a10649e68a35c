from .caller import accept_view, act_view, caller_view, windows_view
from .hall import display_json_view, display_view, figures_view, index_view, kiosk_ticket_view, kiosk_view
from .manage import manage_view, window_edit_view

__all__ = [
    "accept_view",
    "act_view",
    "caller_view",
    "display_json_view",
    "display_view",
    "figures_view",
    "index_view",
    "kiosk_ticket_view",
    "kiosk_view",
    "manage_view",
    "window_edit_view",
    "windows_view",
]
