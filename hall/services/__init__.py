"""State changes of the hall: each service takes the acting user, runs in one transaction, locks what it changes and
writes what happened (``TicketEvent``). Bookings and consultations have their own modules."""
