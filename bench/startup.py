"""Server start time, and (with --fresh-clone) the time from a fresh clone to a first answer.

Default: spawn the action server and the Rasa server with `Servers`, as `make run` does,
and time until both answer (`Servers.start()`), three times on fresh temporary state;
then the first reply through the REST channel, which pays for what loads lazily.

--fresh-clone (minutes): `git clone` this repository into a temporary directory and do
what a newcomer's `make run` does there, one make target at a time so that each part is
timed: install (.venv from the pinned requirements, which pip fills from the local wheel
cache), the spaCy pipeline build, training, then `make run` until both servers answer,
and a real question until it is answered. Then Ctrl-C to `make run` and the clone is
deleted. It clones the committed HEAD: uncommitted changes are not measured.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    START_TIMEOUT_SECONDS,
    RestClient,
    heading,
    log_tail,
    machine_summary,
    model_missing,
    ms,
    new_port_pair,
    new_servers,
    progress,
    table,
)
from bench.latency import QUESTIONS
from bot.commands.serve import VENV_BIN, Servers
from bot.shared.settings import PROJECT_DIR

RUNS = 3
FIRST_QUESTION = QUESTIONS[1]  # "Når er søknadsfristen til Samordna opptak?"
FRESH_TOKEN = "bench-fresh-clone-token"
POLL_SECONDS = 0.5
# Bounds for the fresh clone; each is several times what the step takes on 2 cores.
STEP_TIMEOUTS = {"clone": 120, "install": 1800, "build": 600, "train": 900}
RUN_READY_TIMEOUT = 300
FIRST_ANSWER_TIMEOUT = 120
STOP_TIMEOUT = 60


# --- start on this checkout ---------------------------------------------------------------

@dataclass(frozen=True)
class StartRun:
    ready_seconds: float | None  # None: did not start
    first_reply_seconds: float | None


def first_reply_seconds(servers: Servers) -> float | None:
    client = RestClient(servers.host, servers.rasa_port)
    try:
        reply = client.send("bench-startup", FIRST_QUESTION)
    finally:
        client.close()
    return reply.seconds if reply.status == 200 and reply.messages else None


def start_once() -> StartRun:
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-start-") as workdir:
        servers = new_servers(Path(workdir))
        started = time.monotonic()
        try:
            servers.start(timeout=START_TIMEOUT_SECONDS)
            ready = time.monotonic() - started
            return StartRun(ready, first_reply_seconds(servers))
        except (RuntimeError, TimeoutError, OSError) as error:
            print(f"The servers did not start ({error}). Their log:\n"
                  f"{log_tail(servers.log_path)}", file=sys.stderr)
            return StartRun(None, None)
        finally:
            servers.stop()


def measure(runs: int = RUNS) -> list[StartRun]:
    results = []
    for index in range(runs):
        progress(f"server start {index + 1} of {runs}")
        results.append(start_once())
    return results


def report(runs: list[StartRun]) -> None:
    heading("Server start (spawn both servers until both answer, `Servers.start()`)")
    rows: list[list[object]] = []
    for index, run in enumerate(runs):
        ready = "failed" if run.ready_seconds is None else f"{run.ready_seconds:.1f}"
        first = "-" if run.first_reply_seconds is None else ms(run.first_reply_seconds)
        rows.append([f"run {index + 1}", ready, first])
    ready_times = [run.ready_seconds for run in runs if run.ready_seconds is not None]
    firsts = [run.first_reply_seconds for run in runs if run.first_reply_seconds is not None]
    rows.append([
        "median",
        f"{statistics.median(ready_times):.1f}" if ready_times else "-",
        ms(statistics.median(firsts)) if firsts else "-",
    ])
    print(table(["start", "ready s", "first reply ms"], rows))
    print("From a fresh clone to the first answer (minutes): "
          "python -m bench.startup --fresh-clone")


# --- from a fresh clone -------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    ok: bool


def fresh_env(rasa_port: int, action_port: int) -> dict[str, str]:
    """A newcomer's shell: none of our venv or settings, only the ports and a token."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("VEIVALG_")
           and key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    ours = VENV_BIN.resolve()
    env["PATH"] = os.pathsep.join(
        entry for entry in env.get("PATH", "").split(os.pathsep)
        if entry and Path(entry).resolve() != ours
    )
    env.update(
        VEIVALG_RASA_PORT=str(rasa_port),
        VEIVALG_ACTION_PORT=str(action_port),
        VEIVALG_API_TOKEN=FRESH_TOKEN,
    )
    return env


def run_step(name: str, command: list[str], cwd: Path, env: dict[str, str],
             log_path: Path) -> Step:
    progress(f"{name}: {' '.join(command)}")
    started = time.monotonic()
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n### {name}: {' '.join(command)}\n")
        log.flush()
        try:
            completed = subprocess.run(command, cwd=cwd, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, timeout=STEP_TIMEOUTS[name],
                                       check=False)
            ok = completed.returncode == 0
        except subprocess.TimeoutExpired:
            ok = False
    return Step(name, time.monotonic() - started, ok)


def poll(condition: Callable[[], bool], timeout: float, alive: Callable[[], bool]) -> bool:
    """True once condition() holds; False at the timeout or when the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if not alive():
            return False
        time.sleep(POLL_SECONDS)
    return False


def answered(client: RestClient) -> bool:
    try:
        reply = client.send("bench-fresh-clone", FIRST_QUESTION)
    except (OSError, http.client.HTTPException):
        client.close()  # not listening yet: the next try opens a new connection
        return False
    return reply.status == 200 and bool(reply.messages)


def stop_make_run(process: subprocess.Popen, clone: Path) -> Step:
    """Ctrl-C to `make run`'s process group, as a person would; harder only if ignored.

    The step is ok when Ctrl-C alone stopped everything within STOP_TIMEOUT.
    """
    progress("stop: Ctrl-C to make run")
    started = time.monotonic()
    by_ctrl_c = True
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(STOP_TIMEOUT)
            break
        except subprocess.TimeoutExpired:
            by_ctrl_c = False
    seconds = time.monotonic() - started
    left_none = stop_leftovers(clone)
    return Step("stop", seconds, by_ctrl_c and left_none)


def _default_sigint() -> None:
    # A shell that runs us in the background starts us with SIGINT ignored, and children
    # inherit that; a person's `make run` in a terminal has the default, so give it that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pids_in(directory: Path) -> list[int]:
    """Processes working in a directory; in our fresh temporary clone, only ours."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = (proc / "cwd").resolve()
        except OSError:
            continue
        if cwd == directory or directory in cwd.parents:
            pids.append(int(proc.name))
    return pids


def stop_leftovers(clone: Path) -> bool:
    """The servers run in their own sessions: if `make run` left any, end them by pid.

    True when there were none.
    """
    for sig in (signal.SIGTERM, signal.SIGKILL):
        leftovers = pids_in(clone)
        if not leftovers:
            return sig == signal.SIGTERM
        print(f"note: ending {len(leftovers)} process(es) left in the clone", file=sys.stderr)
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        time.sleep(5)
    return False


def start_from_clone(clone: Path, env: dict[str, str], log_path: Path,
                     rasa_port: int, action_port: int) -> list[Step]:
    """`make run` until both servers answer, then until a real question is answered."""
    # Servers' readiness checks, used as probes only: `make run` starts the real ones.
    probe = Servers(rasa_port, action_port, FRESH_TOKEN, database_url="")
    client = RestClient(probe.host, rasa_port)
    progress("start: make run")
    with log_path.open("a", encoding="utf-8") as log:
        log.write("\n### start: make run\n")
        log.flush()
        started = time.monotonic()
        process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=_default_sigint)

        def alive() -> bool:
            return process.poll() is None

        steps: list[Step] = []
        try:
            ready = poll(lambda: probe.actions_ready() and probe.rasa_ready(),
                         RUN_READY_TIMEOUT, alive)
            ready_at = time.monotonic()
            steps.append(Step("start", ready_at - started, ready))
            if ready:
                progress("first answer")
                ok = poll(lambda: answered(client), FIRST_ANSWER_TIMEOUT, alive)
                steps.append(Step("first answer", time.monotonic() - ready_at, ok))
        finally:
            client.close()
            steps.append(stop_make_run(process, clone))
        return steps


def measure_fresh_clone() -> list[Step]:
    rasa_port, action_port = new_port_pair()
    env = fresh_env(rasa_port, action_port)
    workdir = Path(tempfile.mkdtemp(prefix="veivalg-bench-clone-"))
    clone = workdir / "veivalg"
    log_path = workdir / "fresh-clone.log"
    steps: list[Step] = []
    try:
        plan = [
            ("clone", ["git", "clone", "--quiet", str(PROJECT_DIR), str(clone)], workdir),
            ("install", ["make", "install"], clone),
            ("build", ["make", "spacy-model"], clone),
            ("train", ["make", "model"], clone),
        ]
        for name, command, cwd in plan:
            steps.append(run_step(name, command, cwd, env, log_path))
            if not steps[-1].ok:
                break
        else:
            steps += start_from_clone(clone, env, log_path, rasa_port, action_port)
        if not all(step.ok for step in steps):
            print(f"The fresh clone failed. Its log:\n{log_tail(log_path)}", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return steps


def report_fresh_clone(steps: list[Step]) -> None:
    heading("From a fresh clone to the first answer (`make run` split by target)")
    what = {
        "clone": "git clone",
        "install": "make install: .venv, pinned requirements",
        "build": "make spacy-model: Norwegian spaCy pipeline",
        "train": "make model: rasa train",
        "start": "make run: until both servers answer",
        "first answer": "first question answered via REST",
    }
    timed = [step for step in steps if step.name != "stop"]
    rows = [[step.name, f"{step.seconds:.1f}", "ok" if step.ok else "FAILED",
             what.get(step.name, "")] for step in timed]
    after_clone = sum(step.seconds for step in timed if step.name != "clone")
    rows.append(["total", f"{after_clone:.1f}", "",
                 "`make run` on a fresh clone to the first answer"])
    rows.append(["total + clone", f"{sum(step.seconds for step in timed):.1f}", "", ""])
    rows += [[step.name, f"{step.seconds:.1f}", "ok" if step.ok else "FORCED",
              "Ctrl-C to `make run` until it exited (not in the totals)"]
             for step in steps if step.name == "stop"]
    print(table(["step", "wall s", "result", "what"], rows, left=(0, 3)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh-clone", action="store_true",
                        help="time a fresh clone's `make run` to a first answer (minutes)")
    args = parser.parse_args(argv)
    print(machine_summary())
    if args.fresh_clone:
        steps = measure_fresh_clone()
        report_fresh_clone(steps)
        return 0 if steps and all(step.ok for step in steps) else 1
    if model_missing():
        return 1
    runs = measure()
    report(runs)
    return 0 if all(run.ready_seconds is not None for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
