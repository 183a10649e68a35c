"""Pieces every app's REST API shares: the error shape, throttling, pagination, conditional requests and the schema
class. Apps keep their own endpoints in their ``api/`` packages."""
