# The portal's image: web (gunicorn), worker and beat all run it (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=young_in_progress.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN pip install --no-cache-dir . \
    && python scripts/compile_messages.py \
    && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --system --home /app portal && mkdir -p var && chown -R portal var
USER portal
EXPOSE 8000
CMD ["gunicorn", "young_in_progress.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
