"""The staff pages of cases: the list, the window, the case page and its actions, printable notices, and the
extension queue."""

from .accept import accept_view
from .detail import case_detail_view, personal_data_view
from .lists import case_list_view, extension_queue_view
from .notices import notice_view

__all__ = [
    "accept_view",
    "case_detail_view",
    "case_list_view",
    "extension_queue_view",
    "notice_view",
    "personal_data_view",
]
