"""Pages of the standards app: the public service guide, the staff-only business manual and file downloads."""
