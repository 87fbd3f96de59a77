"""Audit every pin in uv.lock (runtime and test tools, transitive ones included) with pip-audit.

Exit status: 0 audited and clean, 1 a known vulnerability (printed), 3 not audited because the
vulnerability database could not be reached (these machines may see only a package index).
scripts/test.sh turns 3 into a loud "dependencies NOT audited" line in its summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_AUDITED = 3
UNREACHABLE_SIGNS = ("ConnectionError", "Max retries", "NameResolution", "timed out")


def locked_requirements() -> str:
    uv = ROOT / ".tools" / "bin" / "uv"
    result = subprocess.run(  # noqa: S603 - our pinned uv, fixed arguments
        [
            str(uv),
            "export",
            "--locked",
            "--format",
            "requirements-txt",
            "--all-groups",
            "--no-emit-project",
            "--no-hashes",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(ROOT / ".venv")},
    )
    return result.stdout


def main() -> int:
    requirements = locked_requirements()
    pins = [line for line in requirements.splitlines() if "==" in line]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(requirements)
    try:
        result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "pip_audit",
                "-r",
                handle.name,
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print(f"pip-audit: no answer in 180 s; {len(pins)} of {len(pins)} pins NOT audited")
        return NOT_AUDITED
    finally:
        Path(handle.name).unlink()
    output = result.stdout + result.stderr
    if result.returncode != 0 and "Found" in output and "vulnerabilit" in output:
        print(output)
        return 1
    unaudited = output.count("could not be audited")
    if any(sign in output for sign in UNREACHABLE_SIGNS):
        unaudited = len(pins)
    if unaudited:
        # pip-audit says "Dependency not found on PyPI" when PyPI's JSON API (where the
        # advisories come from) does not answer: one such pin is one pin nobody checked.
        print(f"pip-audit: {unaudited} of {len(pins)} pins NOT audited (advisories unreachable)")
        return NOT_AUDITED
    if result.returncode != 0:
        print(output)
        return 1
    print(output.strip() or f"pip-audit: {len(pins)} pins, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
