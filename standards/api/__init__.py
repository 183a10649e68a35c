"""The published catalogue over REST: local items with their published service guide, the change feed, streamed
exports and the CPSV-AP open-data export (``/api/v1/``)."""
