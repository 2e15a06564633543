# Mojaz HTTP service: docker build -t mojaz . && docker run -p 8000:8000 mojaz
# Bake a model in at build time:  docker build --build-arg MOJAZ_MODEL_ID=<hub id> -t mojaz .
# or mount one at run time:       docker run -p 8000:8000 -v "$PWD/models:/srv/mojaz/models:ro" mojaz
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/mojaz

# Dependencies first so a code change reuses this layer. requirements.txt pins torch==2.13.0; the extra
# index offers 2.13.0+cpu, which pip prefers over PyPI's CUDA build of the same version (GBs smaller).
COPY requirements.txt ./
RUN pip install --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt

# A numeric USER below: the runtime can tell it is not root without reading the image's /etc/passwd.
RUN groupadd --system --gid 10001 mojaz \
    && useradd --system --uid 10001 --gid 10001 --create-home mojaz \
    && mkdir -p models var \
    && chown mojaz:mojaz models var

COPY app ./app
COPY prompts ./prompts
COPY scripts ./scripts
COPY models/README.md ./models/README.md
COPY gunicorn.conf.py ./

USER 10001:10001

# Set: the model is downloaded into models/arabart-summ (MOJAZ_MODEL's default) and baked in.
# Empty: models/ is a mount point; the service runs extractive-only until a model is there, and says so
# in /readyz and in every briefing.
ARG MOJAZ_MODEL_ID=""
RUN if [ -n "$MOJAZ_MODEL_ID" ]; then \
        python scripts/download_model.py "$MOJAZ_MODEL_ID" --dest models/arabart-summ; \
    fi

# The hub is never called at run time.
ENV HF_HUB_OFFLINE=1 \
    PORT=8000 \
    WEB_CONCURRENCY=2

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

# Exec form: gunicorn is PID 1 and gets docker stop's SIGTERM (graceful shutdown, gunicorn.conf.py).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "app.service.asgi:create_asgi_app()"]
