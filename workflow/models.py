"""Models of the workflow app; filled in by its own issue."""
