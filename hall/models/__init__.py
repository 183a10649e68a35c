from .booking import Booking, BookingStatus, HalfDay
from .consultation import Consultation, ConsultationChannel, ConsultationHandoff, ConsultationStatus
from .hall import Hall, ServiceGroup, StaffRole, Window, WindowKind, WindowStaff
from .queue import Priority, Ticket, TicketEvent, TicketEventKind, TicketStatus

__all__ = [
    "Booking",
    "BookingStatus",
    "Consultation",
    "ConsultationChannel",
    "ConsultationHandoff",
    "ConsultationStatus",
    "HalfDay",
    "Hall",
    "Priority",
    "ServiceGroup",
    "StaffRole",
    "Ticket",
    "TicketEvent",
    "TicketEventKind",
    "TicketStatus",
    "Window",
    "WindowKind",
    "WindowStaff",
]
