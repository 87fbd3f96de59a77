"""The set-up scripts: the lock check catches drift, and the checks survive `pipefail`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = ROOT / ".tools" / "bin" / "uv"

needs_uv = pytest.mark.skipif(not UV.exists(), reason="uv is bootstrapped by scripts/test.sh")


def _checkout_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "checkout"
    (copy / "requirements").mkdir(parents=True)
    for name in ("pyproject.toml", "uv.lock", "requirements/uv.txt", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    (copy / "noticeboard").mkdir()
    shutil.copy(ROOT / "noticeboard" / "version.py", copy / "noticeboard" / "version.py")
    return copy


def _lock_check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock.py"), "--check", "--project", str(project)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@needs_uv
def test_lock_check_passes_on_this_checkout_and_fails_when_pyproject_drifts(
    tmp_path: Path,
) -> None:
    copy = _checkout_copy(tmp_path)
    assert _lock_check(copy).returncode == 0

    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace('  "segno>=1.6.6",\n', '  "segno>=1.6.6",\n  "six",\n'))
    drifted = _lock_check(copy)
    assert drifted.returncode == 1
    assert "uv.lock does not match pyproject.toml" in drifted.stderr


def test_the_bootstrapped_uv_is_the_required_version() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    required = pyproject["tool"]["uv"]["required-version"].removeprefix("==")
    pins = (ROOT / "requirements" / "uv.txt").read_text()
    assert f"uv=={required} \\" in pins
    assert pins.count("--hash=sha256:") > 5, "a hash for each platform's wheel"


def test_build_constraints_pin_what_build_system_requires() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    constraints = {c.lower() for c in pyproject["tool"]["uv"]["build-constraint-dependencies"]}
    for requirement in pyproject["build-system"]["requires"]:
        assert requirement.lower() in constraints


def _missing_packages_with(tmp_path: Path, fc_list_body: str) -> str:
    """Run bootstrap.sh's check under `set -euo pipefail` with stand-in fc-list and chromium."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "fc-list").write_text(f"#!/bin/sh\n{fc_list_body}\n")
    (bin_dir / "chromium").write_text("#!/bin/sh\nexit 0\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    script = "set -euo pipefail; source scripts/bootstrap.sh; missing_system_packages; echo done"
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_font_check_survives_a_long_font_list_under_pipefail(tmp_path: Path) -> None:
    # The old `fc-list | grep -q` returned 141 when grep stopped at the first match and
    # fc-list died of SIGPIPE writing the rest; a long list after the match provokes it.
    body = 'echo "Noto Sans CJK SC"; i=0; while [ $i -lt 20000 ]; do echo "F$i"; i=$((i+1)); done'
    output = _missing_packages_with(tmp_path, body)
    assert output.split() == ["done"]


def test_font_check_names_the_missing_fonts(tmp_path: Path) -> None:
    output = _missing_packages_with(tmp_path, 'echo "DejaVu Sans"')
    assert output.split() == ["fonts-noto-cjk", "done"]
