"""Models of the reviews app; filled in by its own issue."""
