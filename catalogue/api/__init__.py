"""The catalogue over REST: divisions, organizations and the general catalogue (``/api/v1/``)."""
