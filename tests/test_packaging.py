"""`pip install .` (a wheel, not the checkout) gives a working `frikommune`, rules included."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_an_installed_wheel_runs_with_its_own_rules(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True)
    [wheel] = wheels.glob("frikommune-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The dependencies come from the test environment (no network needed); the package itself
    # only from the wheel.
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Tønder og Aabenraa kommuner søger om frikommuneforsøg den 3. maj 2021.\n",
                               encoding="utf-8")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    exe = venv / "bin" / "frikommune"
    # the checkout's package must not be what runs: no repository on the path, another cwd
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    version = subprocess.run([str(exe), "--version"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("frikommune ")
    done = subprocess.run([str(exe), "run", "--sources", str(src), "--out", str(tmp_path / "out")],
                          cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "municipality 2" in done.stdout
    located = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import pipeline, pipeline.rules as r; print(pipeline.__file__); print(r.DEFAULT_RULES_DIR)"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert str(REPO) not in located[0] and "share/frikommune/rules" in located[1]
