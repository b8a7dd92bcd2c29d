#!/bin/sh
# Starts the Rasa server as deploy/README.md describes. The API token comes from the
# environment (a Secret), so that it is in no image layer and no manifest.
set -eu
if [ -z "${VEIVALG_API_TOKEN:-}" ]; then
  echo "VEIVALG_API_TOKEN must be set: it protects Rasa's HTTP API and the desk's internal API" >&2
  exit 2
fi
exec python -m bot.server.rasa_server run --enable-api --auth-token "$VEIVALG_API_TOKEN" \
  --interface "${VEIVALG_HOST:-0.0.0.0}" --port "${VEIVALG_RASA_PORT:-5005}" \
  --model models/veivalg.tar.gz --endpoints deploy/endpoints.yml \
  --credentials credentials.yml "$@"
