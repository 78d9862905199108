# The portal's image: web (gunicorn), worker, beat and the one-off migrate all run it
# (docker-compose.yml). Dependencies come from the committed locks, in layers of their own,
# so a change of code rebuilds in seconds.
FROM node:24-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=young_in_progress.settings.production \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH PORT=8000
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# 1. the Python dependencies, from uv.lock (uv itself pinned with hashes), without dev tools
COPY requirements/uv.txt requirements/uv.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/uv.txt
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-cache --python "$(command -v python3.11)"
# 2. the code and the built assets
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN python scripts/compile_messages.py \
    && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --system --home /app portal && mkdir -p var/media && chown -R portal var
USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
