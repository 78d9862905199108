"""Start and stop the local federation's two processes (spid/localfed/__init__.py)."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Federation:
    ta: str
    spid_op: str
    cie_op: str
    processes: list


def _env(role: str, ta: str, cie_op: str, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="spid.localfed.settings",
        LOCALFED_ROLE=role,
        LOCALFED_TA=ta,
        LOCALFED_CIE_OP=cie_op,
        LOCALFED_DB=str(workdir / f"{role}.sqlite3"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _wait(url: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode})")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


def start(*, rp: str, ta_port: int, cie_port: int, workdir: str | Path) -> Federation:
    """
    Prepare both databases afresh and serve them on 127.0.0.1 (Django's threaded development
    server: the provider asks its own trust anchor while it answers), logging to
    workdir/<role>.log. The relying party at `rp` must already serve its entity configuration:
    the trust anchor reads its keys there.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    ta, cie_op = f"http://127.0.0.1:{ta_port}", f"http://127.0.0.1:{cie_port}/oidc/op"
    processes = []
    try:
        for role, port in (("ta", ta_port), ("cie", cie_port)):
            env = _env(role, ta, cie_op, workdir)
            (workdir / f"{role}.sqlite3").unlink(missing_ok=True)
            subprocess.run(
                [sys.executable, "-m", "django", "localfed_prepare", "--rp", rp],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            with open(workdir / f"{role}.log", "w") as log:  # the child keeps its own handle
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                        env={**env, "LOCALFED_LOG_LEVEL": "INFO"},
                        cwd=ROOT,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        _wait(f"{ta}/.well-known/openid-federation", processes[0])
        _wait(f"{cie_op}/.well-known/openid-federation", processes[1])
    except BaseException:
        stop(Federation(ta, f"{ta}/oidc/op", cie_op, processes))
        raise
    return Federation(ta=ta, spid_op=f"{ta}/oidc/op", cie_op=cie_op, processes=processes)


def stop(federation: Federation) -> None:
    """Stop the processes this module started, by their ids."""
    for process in federation.processes:
        if process.poll() is None:
            process.terminate()
    for process in federation.processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
