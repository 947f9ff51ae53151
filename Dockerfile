# Reclaim's container image: the site (`reclaim serve`) and its other commands (`reclaim
# migrate`, `reclaim worker`, ...). Build: docker build -t reclaim .  Run: see compose.yaml and
# README, "Running in production".

# Build the wheels (the project's and its dependencies') where the build tools are.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY kernel ./kernel
COPY moderation ./moderation
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
# WeasyPrint (the PDF summaries of responses) needs Pango, HarfBuzz and fonts; everything else
# comes as wheels.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels reclaim && rm -rf /wheels
# A user of its own: the site never runs as root.
RUN useradd --system --uid 10001 --user-group --home-dir /srv/reclaim --create-home reclaim
ENV RECLAIM_ENVIRONMENT=production \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2
USER reclaim
WORKDIR /srv/reclaim
EXPOSE 8000
# /healthz only says the process answers; a load balancer asks /readyz (database, schema, keys).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["reclaim", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
