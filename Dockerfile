# Production image: one image for web (ASGI), Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 JUMELAGE_VAR_DIR=/var/lib/jumelage
WORKDIR /app

COPY pyproject.toml README.md ./
COPY config ./config
COPY exchanges ./exchanges
COPY matching ./matching
RUN pip install --no-cache-dir .

COPY . .
# The matching engine's exact search: a shim over LEMON's blossom algorithm (its headers
# vendored in matching/native/third_party; the compiler is removed again once it is built).
RUN apt-get update && apt-get install -y --no-install-recommends g++ \
    && g++ -O2 -std=c++17 -pthread -shared -fPIC -isystem matching/native/third_party \
       -o matching/native/liblemon_matching.so \
       matching/native/*.cpp \
    && apt-get purge -y g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
# The .mo catalogues are build output (not in git): compiled here, in pure Python.
RUN DJANGO_DEBUG=1 python manage.py compile_catalogues \
    && DJANGO_DEBUG=1 python manage.py collectstatic --noinput \
    && useradd --system --home /app jumelage \
    && mkdir -p /var/lib/jumelage/media && chown -R jumelage /var/lib/jumelage
USER jumelage

EXPOSE 8000
# Forwarded headers are believed from loopback only (uvicorn's default); compose passes
# JUMELAGE_TRUSTED_PROXIES. No "server: uvicorn" banner. No permessage-deflate: chat frames
# are small JSON, and compressing each one once per socket cost more CPU than it saved.
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--no-server-header", "--ws-max-size", "65536", "--ws-per-message-deflate", "false", "--workers", "2"]
