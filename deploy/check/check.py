"""`make deploy-check`: are the Kubernetes manifests and the Dockerfiles valid?

Renders the kustomize base and every overlay with ``kubectl kustomize``, validates each
object against Kubernetes KUBERNETES_VERSION's schemas with kubernetes-validate (strict:
an unknown field is an error), checks what Veivalg's deployment promises (probes,
resources, non-root, secrets only from Secrets, settings that exist, no private route in
an Ingress), and lints the Dockerfiles with hadolint. Runs in build/deploy-tools' own
Python (deploy/check/install.sh); exits 1 on any problem, naming each.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.33.0"  # deploy/README.md names it; kubectl is v1.33 too
ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "build" / "deploy-tools" / "bin"
K8S = ROOT / "deploy" / "k8s"
DOCKERFILES = sorted((ROOT / "deploy" / "docker").glob("*.Dockerfile"))
SECRET_SETTINGS = {
    "VEIVALG_DATABASE_URL", "VEIVALG_REDIS_URL", "VEIVALG_REDIS_PASSWORD", "VEIVALG_API_TOKEN",
    "VEIVALG_ACTION_TOKEN",
    "VEIVALG_TELEGRAM_TOKEN", "VEIVALG_TELEGRAM_SECRET", "VEIVALG_MESSENGER_VERIFY",
    "VEIVALG_MESSENGER_SECRET", "VEIVALG_MESSENGER_PAGE_TOKEN",
}
# Operators' and the action server's routes, which the public must not reach.
PRIVATE_PATHS = ("/desk/internal", "/conversations", "/model", "/status", "/ops", "/version")
PROBES = {  # container: (readiness path, liveness path)
    "rasa": ("/ops/ready", "/ops/health"),
    "actions": ("/health", "/health"),
}


def render(directory: Path) -> list[dict]:
    done = subprocess.run([str(TOOLS / "kubectl"), "kustomize", str(directory)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"kubectl kustomize failed:\n{done.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def documented_settings() -> set[str]:
    """The settings docs/configuration.md and deploy/README.md document: a ConfigMap key
    that is none of them is a typo the servers would silently ignore."""
    text = "".join((ROOT / doc).read_text(encoding="utf-8")
                   for doc in ("docs/configuration.md", "deploy/README.md"))
    return set(re.findall(r"`(VEIVALG_[A-Z0-9_]+)`", text))


def name_of(obj: dict) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def pod_spec(obj: dict) -> dict | None:
    if obj.get("kind") in ("Deployment", "Job"):
        return obj["spec"]["template"]["spec"]
    return None


def container_problems(obj: dict, pod: dict) -> list[str]:
    problems = []
    if not pod.get("securityContext", {}).get("runAsNonRoot"):
        problems.append("pods must run as non-root (securityContext.runAsNonRoot)")
    for container in pod.get("containers", []):
        where = f"container {container['name']}"
        resources = container.get("resources", {})
        for part in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in resources.get(part, {}):
                    problems.append(f"{where}: no {part}.{resource}")
        for env in container.get("env", []):
            if env["name"] in SECRET_SETTINGS and "secretKeyRef" not in env.get("valueFrom", {}):
                problems.append(f"{where}: {env['name']} must come from a Secret")
        if obj["kind"] == "Deployment":
            expected = PROBES.get(container["name"])
            if expected is None:
                problems.append(f"{where}: unknown container (probes to check: {sorted(PROBES)})")
                continue
            for probe, path in zip(("readinessProbe", "livenessProbe"), expected, strict=True):
                got = container.get(probe, {}).get("httpGet", {}).get("path")
                if got != path:
                    problems.append(f"{where}: {probe} on {got}, expected {path}")
            grace = pod.get("terminationGracePeriodSeconds", 30)
            if container.get("lifecycle", {}).get("preStop") is None or grace < 30:
                problems.append(f"{where}: needs a preStop pause and a grace period of "
                                "30 s or more to finish answers in progress")
    return problems


def exposes(path: str, path_type: str, private: str) -> bool:
    """Whether an Ingress path sends requests for `private` (or below it) to a backend; a
    Prefix path (ImplementationSpecific taken as one) sends everything under it."""
    route = path.rstrip("/")
    if route == private or route.startswith(private + "/"):
        return True
    return path_type != "Exact" and (not route or private.startswith(route + "/"))


def object_problems(obj: dict, settings: set[str]) -> list[str]:
    problems = []
    if obj.get("kind") == "Secret":
        problems.append("secrets are never in the repository: create them (deploy/README.md)")
    if obj.get("kind") == "ConfigMap" and obj["metadata"]["name"].startswith("veivalg-config"):
        for key in obj.get("data", {}):
            if key in SECRET_SETTINGS:
                problems.append(f"{key} is a secret, not a ConfigMap setting")
            elif key not in settings:
                problems.append(f"{key} is no setting documented in docs/configuration.md "
                                "or deploy/README.md")
    if obj.get("kind") == "Ingress":
        for rule in obj["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                if any(exposes(path["path"], path["pathType"], private)
                       for private in PRIVATE_PATHS):
                    problems.append(f"routes {path['path']}, which only operators and the "
                                    "action server may reach")
    pod = pod_spec(obj)
    if pod is not None:
        problems += container_problems(obj, pod)
    return problems


def check_manifests() -> list[str]:
    problems = []
    settings = documented_settings()
    directories = [K8S / "base", *sorted(p for p in (K8S / "overlays").iterdir() if p.is_dir())]
    for directory in directories:
        label = directory.relative_to(ROOT)
        try:
            objects = render(directory)
        except (ValueError, yaml.YAMLError) as error:
            problems.append(f"{label}: {error}")
            continue
        if not objects:
            problems.append(f"{label}: renders no objects")
        kinds = {obj.get("kind") for obj in objects}
        for needed in ("Deployment", "Service", "HorizontalPodAutoscaler",
                       "PodDisruptionBudget", "Job", "Ingress", "NetworkPolicy", "ConfigMap"):
            if needed not in kinds:
                problems.append(f"{label}: no {needed}")
        for obj in objects:
            try:
                kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
            except kubernetes_validate.ValidationError as error:
                path = "/".join(str(p) for p in error.path)
                problems.append(f"{label}: {name_of(obj)}: {path}: {error.message}")
            except (kubernetes_validate.SchemaNotFoundError,
                    kubernetes_validate.InvalidSchemaError) as error:
                problems.append(f"{label}: {name_of(obj)}: {error}")
            problems += [f"{label}: {name_of(obj)}: {p}" for p in object_problems(obj, settings)]
        print(f"{label}: {len(objects)} objects rendered and validated against "
              f"Kubernetes {KUBERNETES_VERSION}")
    return problems


def check_dockerfiles() -> list[str]:
    problems = []
    if not DOCKERFILES:
        problems.append("deploy/docker: no *.Dockerfile")
    for dockerfile in DOCKERFILES:
        label = dockerfile.relative_to(ROOT)
        done = subprocess.run([str(TOOLS / "hadolint"), "--no-color", "--failure-threshold",
                               "style", str(dockerfile)], capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(f"{label}: hadolint:\n{(done.stdout + done.stderr).strip()}")
        text = dockerfile.read_text(encoding="utf-8")
        bases = re.findall(r"^ARG PYTHON_IMAGE=(\S+)", text, re.MULTILINE)
        if not bases or any("@sha256:" not in base for base in bases):
            problems.append(f"{label}: the base image (ARG PYTHON_IMAGE) must be pinned by digest")
        users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
        if not users or users[-1].split(":")[0] in ("root", "0"):
            problems.append(f"{label}: the image must run as a user other than root")
        if not re.search(r"^HEALTHCHECK\s+--", text, re.MULTILINE):
            problems.append(f"{label}: no HEALTHCHECK")
        instructions = re.sub(r"\\\n", " ", text).splitlines()  # continuation lines joined
        if any(re.match(r"(ENV|ARG)\s.*(TOKEN|SECRET|PASSWORD)\w*[= ]", line)
               for line in instructions):
            problems.append(f"{label}: a secret in ENV or ARG would be in the image")
        print(f"{label}: hadolint and Veivalg's image rules checked")
    return problems


def main() -> int:
    problems = check_manifests() + check_dockerfiles()
    for problem in problems:
        print(f"deploy-check: {problem}", file=sys.stderr)
    if problems:
        print(f"deploy-check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("deploy-check: manifests and Dockerfiles are valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
