"""Cases over REST: the events other systems send (``POST /api/v1/case-events/``) and the staff's read-only case
lists (``/api/v1/cases/``)."""
