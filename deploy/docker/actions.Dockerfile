# The action server image: Veivalg's custom actions (rasa_sdk), answering only the Rasa
# servers (bot/action_server.py: the shared secret VEIVALG_ACTION_TOKEN, from the
# environment).
#
#   docker build -f deploy/docker/actions.Dockerfile -t veivalg-actions:<version> .
#
# The actions use Veivalg's own modules (the crisis net, language detection, knowledge),
# which need the same pinned requirements as the Rasa server; no model is needed.
ARG PYTHON_IMAGE=python:3.10.13-slim-bookworm@sha256:ef44c53813f71871130462fcd1cf77df9a3a468ed7730b402e1216e21ed8fe4f

FROM ${PYTHON_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
COPY requirements.txt constraints.txt /src/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir "pip==24.0" \
    && /opt/venv/bin/pip install --no-cache-dir -r /src/requirements.txt -c /src/constraints.txt

FROM ${PYTHON_IMAGE} AS actions
RUN groupadd --system --gid 10001 veivalg \
    && useradd --system --uid 10001 --gid veivalg --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin veivalg
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY bot/ bot/
COPY actions/ actions/
COPY data/ data/
COPY domain.yml opening_hours.yml ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    VEIVALG_ACTION_HOST=0.0.0.0 \
    VEIVALG_ACTION_PORT=5055 \
    PYTHONWARNINGS=ignore::DeprecationWarning \
    OMP_NUM_THREADS=1 \
    OPENBLAS_NUM_THREADS=1 \
    MKL_NUM_THREADS=1 \
    OMP_WAIT_POLICY=PASSIVE
USER 10001:10001
EXPOSE 5055
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]
ENTRYPOINT ["python", "-m", "bot.action_server"]
