"""Models of the standards app; filled in by its own issue."""
