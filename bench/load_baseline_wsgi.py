"""The load benchmark's baseline (``python -m bench load``): a WSGI app with no project code and no Django, served by
the same gunicorn with the same workers, so a page's figure can be read as a multiple of what the server, the
loopback and the client cost by themselves."""

BODY = b'{"ok": true}'


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
