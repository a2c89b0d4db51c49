"""``make publish`` refuses before uploading: a dirty tree, a missing token, a drifting generated/, failing tests.

Each test runs the working tree's Makefile and scripts/publish.sh in a scratch git repository (a copy, so that
uncommitted changes to them are what is tested), with every step replaced by a command that records that it ran:
nothing is built, tested or uploaded for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or shutil.which("git") is None, reason="needs make and git"
)


class Repo:
    def __init__(self, path: Path, log: Path) -> None:
        self.path = path
        self.log = log

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.path, check=True, capture_output=True)

    def make(
        self, *targets: str, password: str | None = "pypi-dummy-token", **variables: str
    ) -> subprocess.CompletedProcess[str]:
        """``make TARGET`` with each step recording itself in ``log``; ``variables`` override steps."""
        steps = {
            "CHECK_GENERATED_CMD": f"echo check-generated >> {self.log}",
            "TEST_CMD": f"echo test >> {self.log}",
            "BUILD_CMD": f"echo build >> {self.log}",
            "UPLOAD_CMD": f"echo upload >> {self.log} && printenv > {self.log}.upload-env",
        }
        steps.update(variables)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS", "TWINE_"))}
        if password is not None:
            full_env["TWINE_PASSWORD"] = password
        return subprocess.run(
            ["make", "--no-print-directory", *targets, *(f"{name}={value}" for name, value in steps.items())],
            cwd=self.path,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def steps(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def upload_env(self) -> dict[str, str]:
        lines = Path(f"{self.log}.upload-env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    path = tmp_path / "repo"
    (path / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "Makefile", path / "Makefile")
    shutil.copy2(ROOT / "scripts" / "publish.sh", path / "scripts" / "publish.sh")
    (path / "README.md").write_text("scratch copy\n")
    (path / ".gitignore").write_text("/dist/\n")
    repo = Repo(path, tmp_path / "steps.log")
    repo.git("init", "--quiet")
    repo.git("add", "-A")
    repo.git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "scratch")
    return repo


def test_a_clean_tree_publishes_after_every_check(repo: Repo) -> None:
    result = repo.make("publish")
    assert result.returncode == 0, result.stderr
    assert repo.steps() == ["check-generated", "test", "build", "upload"]
    env = repo.upload_env()
    assert env["TWINE_REPOSITORY_URL"] == "https://upload.pypi.org/legacy/"
    assert env["TWINE_USERNAME"] == "__token__"
    assert env["TWINE_PASSWORD"] == "pypi-dummy-token"
    assert env["TWINE_NON_INTERACTIVE"] == "1"


def test_testpypi_is_chosen_with_repository(repo: Repo) -> None:
    result = repo.make("publish", REPOSITORY="testpypi")
    assert result.returncode == 0, result.stderr
    assert repo.upload_env()["TWINE_REPOSITORY_URL"] == "https://test.pypi.org/legacy/"


def test_an_unknown_repository_is_refused(repo: Repo) -> None:
    result = repo.make("publish", REPOSITORY="https://example.com/upload")
    assert result.returncode != 0
    assert "unknown REPOSITORY" in result.stderr
    assert repo.steps() == []


@pytest.mark.parametrize("change", ["modified", "untracked", "staged"])
def test_a_dirty_tree_is_refused_before_anything_runs(repo: Repo, change: str) -> None:
    if change == "modified":
        (repo.path / "README.md").write_text("changed\n")
    elif change == "untracked":
        (repo.path / "notes.txt").write_text("new\n")
    else:
        (repo.path / "staged.txt").write_text("new\n")
        repo.git("add", "staged.txt")
    result = repo.make("publish")
    assert result.returncode != 0
    assert "dirty" in result.stderr
    assert repo.steps() == []


def test_guard_clean_target(repo: Repo) -> None:
    assert repo.make("guard-clean").returncode == 0
    (repo.path / "README.md").write_text("changed\n")
    result = repo.make("guard-clean")
    assert result.returncode != 0
    assert "refusing to publish: the work tree is dirty" in result.stderr
    assert "README.md" in result.stderr


def test_ignored_files_do_not_count_as_dirty(repo: Repo) -> None:
    (repo.path / "dist").mkdir()
    (repo.path / "dist" / "orq_images-1.0.0.tar.gz").write_text("old build\n")
    assert repo.make("guard-clean").returncode == 0


def test_a_missing_token_is_refused(repo: Repo) -> None:
    result = repo.make("publish", password=None)
    assert result.returncode != 0
    assert "TWINE_PASSWORD" in result.stderr
    assert repo.steps() == []


def test_drift_in_generated_blocks_the_upload(repo: Repo) -> None:
    result = repo.make("publish", CHECK_GENERATED_CMD="false")
    assert result.returncode != 0
    assert "refusing to publish: generated/ differs" in result.stderr
    assert repo.steps() == []


def test_failing_tests_block_the_upload(repo: Repo) -> None:
    result = repo.make("publish", TEST_CMD="false")
    assert result.returncode != 0
    assert "refusing to publish: the tests failed" in result.stderr
    assert repo.steps() == ["check-generated"]


def test_a_failed_build_blocks_the_upload(repo: Repo) -> None:
    result = repo.make("publish", BUILD_CMD="false")
    assert result.returncode != 0
    assert "the build failed" in result.stderr
    assert repo.steps() == ["check-generated", "test"]


def test_a_tree_dirtied_by_the_checks_blocks_the_upload(repo: Repo) -> None:
    result = repo.make("publish", BUILD_CMD=f"touch {repo.path}/stray.txt")
    assert result.returncode != 0
    assert "dirty" in result.stderr
    assert "upload" not in repo.steps()


def test_a_failed_upload_is_reported(repo: Repo) -> None:
    result = repo.make("publish", UPLOAD_CMD="false")
    assert result.returncode != 0
    assert "twine upload failed" in result.stderr


def test_the_real_steps_are_the_make_targets_and_the_locked_twine() -> None:
    """Without overrides, publish runs check-generated, test, build and twine from uv.lock's release group."""
    result = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "publish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))},
    )
    command = result.stdout
    assert "CHECK_GENERATED_CMD='make --no-print-directory check-generated'" in command
    assert "TEST_CMD='make --no-print-directory test'" in command
    assert "BUILD_CMD='make --no-print-directory build'" in command
    assert "--only-group release" in command
    assert "twine upload --non-interactive dist/*" in command
    assert "--repository " not in command  # the URL comes from REPOSITORY, never from a .pypirc
