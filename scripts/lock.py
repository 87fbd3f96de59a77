"""Refresh every pin from pyproject.toml: `bash scripts/lock.sh` (or `.tools/bin/python ...`).

Three files hold the pins, and this is the one command that rewrites them together:

- uv.lock: every runtime and test dependency, transitive ones included, with hashes;
- pyproject.toml's [tool.uv] build-constraint-dependencies: what builds the package
  (uv.lock does not cover the build-system tree);
- requirements/uv.txt: the uv that the set-up scripts bootstrap, with hashes, at the
  version that [tool.uv] required-version names.

`--check` rewrites nothing and exits 1 when any of the three disagrees with pyproject.toml;
the test command runs it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS_BLOCK = re.compile(r"(build-constraint-dependencies = \[\n)(.*?)(\n\])", re.DOTALL)


def _uv() -> str:
    found = shutil.which("uv", path=str(ROOT / ".tools" / "bin")) or shutil.which("uv")
    if not found:
        sys.exit("uv not found: run `bash scripts/test.sh` or `bash scripts/demo.sh` first")
    return found


def _run(*args: str, stdin: str | None = None) -> str:
    result = subprocess.run(  # noqa: S603 - uv with arguments of our own
        [_uv(), *args], input=stdin, capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)
    return result.stdout


def build_constraints(pyproject: dict, *, upgrade: bool) -> list[str]:
    """The whole tree that pyproject's [build-system] requires, pinned.

    Without `upgrade` the current pins constrain the resolution, so a new release upstream
    changes nothing, while a pin that is missing or no longer needed still shows.
    """
    requires = "\n".join(pyproject["build-system"]["requires"]) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as current:
        if not upgrade:
            current.write("\n".join(pyproject["tool"]["uv"]["build-constraint-dependencies"]))
            current.flush()
        compiled = _run(
            "pip",
            "compile",
            "--universal",
            "--no-header",
            "--no-annotate",
            *(["--constraint", current.name] if not upgrade else []),
            "-",
            stdin=requires,
        )
    return [line.strip() for line in compiled.splitlines() if line.strip()]


def uv_requirements(pyproject: dict) -> str:
    version = pyproject["tool"]["uv"]["required-version"].removeprefix("==")
    header = "# The uv that scripts/bootstrap.sh installs in .tools/; written by scripts/lock.py.\n"
    compiled = _run(
        "pip",
        "compile",
        "--universal",
        "--generate-hashes",
        "--no-header",
        "--no-annotate",
        "-",
        stdin=f"uv=={version}\n",
    )
    return header + compiled


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout (default: this)")
    args = parser.parse_args()
    project = args.project.resolve()
    pyproject_path = project / "pyproject.toml"
    uv_requirements_path = project / "requirements" / "uv.txt"

    text = pyproject_path.read_text(encoding="utf-8")
    pyproject = tomllib.loads(text)
    wanted_constraints = build_constraints(pyproject, upgrade=args.upgrade)
    wanted_uv = uv_requirements(pyproject)

    if args.check:
        problems = []
        if _lock_is_stale(project):
            problems.append("uv.lock does not match pyproject.toml")
        current = [c.lower() for c in pyproject["tool"]["uv"]["build-constraint-dependencies"]]
        if current != wanted_constraints:
            problems.append(
                "[tool.uv] build-constraint-dependencies is not the build tree: "
                f"{current} != {wanted_constraints}"
            )
        current_uv = uv_requirements_path.read_text() if uv_requirements_path.exists() else ""
        if current_uv != wanted_uv:
            problems.append("requirements/uv.txt does not pin the required uv")
        for problem in problems:
            print(f"lock check: {problem}; run `bash scripts/lock.sh`", file=sys.stderr)
        if not problems:
            print("lock check: uv.lock, build constraints and requirements/uv.txt are current")
        return 1 if problems else 0

    # The build constraints are an input of the lock, so they are written first.
    body = "\n".join(f'  "{pin}",' for pin in wanted_constraints)
    pyproject_path.write_text(CONSTRAINTS_BLOCK.sub(rf"\g<1>{body}\g<3>", text), encoding="utf-8")
    _run("lock", "--project", str(project), *(["--upgrade"] if args.upgrade else []))
    uv_requirements_path.parent.mkdir(exist_ok=True)
    uv_requirements_path.write_text(wanted_uv, encoding="utf-8")
    print("wrote uv.lock, [tool.uv] build-constraint-dependencies and requirements/uv.txt")
    return 0


def _lock_is_stale(project: Path) -> bool:
    result = subprocess.run(  # noqa: S603 - uv with arguments of our own
        [_uv(), "lock", "--check", "--project", str(project)],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
    return result.returncode != 0


if __name__ == "__main__":
    sys.exit(main())
