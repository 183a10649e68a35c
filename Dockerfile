# 行政审批标准化门户 — one image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them. pyproject.toml declares
# `packages = []`: this installs the dependencies only, and the application runs from /app.
COPY pyproject.toml /tmp/build/pyproject.toml
RUN pip install /tmp/build && rm -rf /tmp/build

COPY . .

# Production settings insist on SECRET_KEY and ALLOWED_HOSTS; these throwaway values exist only for this one command
# and are not kept in the image. The real ones come from the container's environment at run time.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app

EXPOSE 8000

# gunicorn answering on the port is the signal; an HTTP probe would need a host in ALLOWED_HOSTS and HTTPS.
# worker and beat reuse this image and switch the check off in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), timeout=3).close()"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
