"""The package as users get it: built from the sdist, installed into a fresh virtual environment with its
dependencies from PyPI, and used with the seed call of the official SDK's docs (only the import changed).

Needs PyPI (dependencies, and hatchling for the build); takes a few seconds with a warm uv cache.
"""

from __future__ import annotations

import base64
import email.parser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.client.conftest import SEED_ARGS
from tests.support.server import LocalServer

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "generated" / "orq_images"
TIMEOUT = 120  # per command; the whole module normally takes well under 60 s

RESPONSE = {"created": 1700000000, "data": [{"url": "https://example.com/a.png"}]}

# The seed call as users copy it (only the import changed, `server_url` from ORQ_SERVER_URL), and what the
# server must receive: exactly what the call set. Shared with the client tests, which check the two agree.
SEED_SCRIPT = ROOT / "tests" / "client" / "seed_call.py"


def _uv() -> str:
    pinned = ROOT / ".tools" / "bin" / "uv"
    found = str(pinned) if pinned.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed (run `make setup`)")
    return found


def _run(
    args: list[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a command outside this test run's virtual environment; fail the test when ``check`` and it fails."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHON", "UV_"))}
    clean["UV_PYTHON_DOWNLOADS"] = "never"
    clean.update(env or {})
    command = [str(arg) for arg in args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=clean, cwd=cwd, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def _generated_version() -> str:
    """``__version__`` of generated/orq_images/_version.py, read without importing the package."""
    spec = importlib.util.spec_from_file_location("_orq_images_version", PACKAGE_DIR / "_version.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.__version__)


def _typed(value: Any) -> Any:
    """``value`` with every scalar tagged by its type, so that 1 and 1.0 (and True and 1) compare unequal."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``uv build`` of the working tree: the sdist, and the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    _run([_uv(), "build", "--quiet", "--python", sys.executable, "--out-dir", out, ROOT])
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("orq_images-*-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
def sdist(dist: Path) -> Path:
    (found,) = dist.glob("orq_images-*.tar.gz")
    return found


def _venv_with(wheel: Path, directory: Path, *requirements: str) -> Path:
    """A fresh virtual environment (``python -m venv``) with the wheel and its dependencies from PyPI."""
    _run([sys.executable, "-m", "venv", "--without-pip", directory])
    python = directory / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([_uv(), "pip", "install", "--quiet", "--python", python, wheel, *requirements])
    return python


@pytest.fixture(scope="module")
def venv_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _venv_with(wheel, tmp_path_factory.mktemp("venv") / "env")


def test_wheel_holds_the_generated_package_and_nothing_else(wheel: Path) -> None:
    version = _project_version()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    dist_info = f"orq_images-{version}.dist-info/"
    package = {name for name in names if not name.startswith(dist_info)}
    expected = {
        "orq_images/" + path.relative_to(PACKAGE_DIR).as_posix()
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert package == expected
    assert {"orq_images/py.typed", "orq_images/__init__.py", "orq_images/_version.py", "orq_images/sdk.py"} <= names
    assert {name for name in names if name.startswith(dist_info)} == {
        f"{dist_info}METADATA",
        f"{dist_info}WHEEL",
        f"{dist_info}RECORD",
        f"{dist_info}entry_points.txt",
        f"{dist_info}licenses/LICENSE",
    }
    for unwanted in ("tests/", "generator/", "overlays/", "openapi/", "bench/", "scripts/", "docs/", "fixtures"):
        assert not any(unwanted in name for name in names), unwanted
    assert not any(name.endswith(("openapi.effective.yaml", ".pyc")) for name in names)


def test_sdist_holds_what_rebuilds_the_wheel(sdist: Path) -> None:
    version = _project_version()
    prefix = f"orq_images-{version}/"
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(prefix) for name in archive.getnames() if name != prefix.rstrip("/")}
    package = {
        "generated/orq_images/" + path.relative_to(PACKAGE_DIR).as_posix()
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert package <= names
    assert {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "PKG-INFO"} <= names
    rest = names - package - {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "PKG-INFO", ".gitignore"}
    assert rest == set(), f"unexpected files in the sdist: {sorted(rest)}"
    # (the `dist` fixture built the wheel from this sdist: that it exists proves the sdist is enough)


def test_metadata(wheel: Path) -> None:
    version = _project_version()
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.parser.Parser().parsestr(archive.read(f"orq_images-{version}.dist-info/METADATA").decode())
    assert metadata["Name"] == "orq-images"
    assert metadata["Version"] == version == _generated_version()
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip()
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    runtime = sorted(requirement.name for requirement in requirements if requirement.marker is None)
    assert runtime == ["attrs", "h11", "httpx2"]  # h11 comes with httpx2 (its httpcore2) in any case
    aiohttp_extra = sorted(
        (requirement.name, sorted(requirement.extras))
        for requirement in requirements
        if requirement.marker is not None and requirement.marker.evaluate({"extra": "aiohttp"})
    )
    assert aiohttp_extra == [("aiohttp", []), ("httpx-aiohttp", ["httpx2"])]
    assert metadata.get_all("Provides-Extra") == ["aiohttp"]
    assert "Typing :: Typed" in (metadata.get_all("Classifier") or [])
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Source", "Changelog", "Issues"} <= set(urls)


def test_version_is_single_sourced() -> None:
    assert _generated_version() == _project_version()


def test_installed_package_is_the_wheel(venv_python: Path, tmp_path: Path) -> None:
    script = "import orq_images, orq_images._version as v; print(orq_images.__file__); print(v.__version__)"
    result = _run([venv_python, "-I", "-c", script], cwd=tmp_path)
    location, version = result.stdout.split()
    assert Path(location).is_relative_to(venv_python.parent.parent)
    assert version == _project_version()


def test_aiohttp_client_without_the_extra_says_how_to_install_it(venv_python: Path, tmp_path: Path) -> None:
    script = "import orq_images\ntry:\n    orq_images.aiohttp_client()\nexcept ImportError as exc:\n    print(exc)\n"
    result = _run([venv_python, "-I", "-c", script], cwd=tmp_path)
    assert result.stdout.strip() == "aiohttp_client() needs the aiohttp extra: pip install 'orq-images[aiohttp]'"


def test_the_aiohttp_extra_installs_what_aiohttp_client_needs(
    wheel: Path, server: LocalServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``pip install 'orq-images[aiohttp]'`` into a fresh environment: the seed call, async, through aiohttp."""
    directory = tmp_path_factory.mktemp("venv-aiohttp") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", directory])
    python = directory / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([_uv(), "pip", "install", "--quiet", "--python", python, f"orq-images[aiohttp] @ {wheel.as_uri()}"])
    server.enqueue(200, json=RESPONSE)
    script = (
        "import asyncio, sys\n"
        "from orq_images import Orq, aiohttp_client\n"
        "async def main():\n"
        f"    async with Orq(api_key='test-key', server_url={server.url!r}, async_client=aiohttp_client()) as orq:\n"
        "        res = await orq.router.images.generations.create_async(prompt='p', model='m')\n"
        "    print(res.created, 'aiohttp' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    result = _run([python, "-I", "-c", script], cwd=tmp_path_factory.mktemp("run"))
    assert result.stdout.split() == ["1700000000", "True"]
    (request,) = server.requests
    assert request.headers["user-agent"].startswith(f"orq-images/{_project_version()} ")


def _run_seed(python: Path, server: LocalServer, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    server.enqueue(200, json=RESPONSE)
    script = tmp_path / "seed.py"
    shutil.copyfile(SEED_SCRIPT, script)
    return _run(
        [python, "-I", "-W", "error::DeprecationWarning:__main__", script],
        cwd=tmp_path,
        env={"ORQ_API_KEY": "test-key", "ORQ_SERVER_URL": server.url},
        check=False,
    )


def _check_seed(result: subprocess.CompletedProcess[str], server: LocalServer) -> None:
    assert result.returncode == 0, f"the seed call failed:\n{result.stdout}\n{result.stderr}"
    assert "https://example.com/a.png" in result.stdout
    assert "1700000000" in result.stdout
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == "/v2/router/images/generations"
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.headers["content-type"].startswith("application/json")
    assert request.headers["user-agent"].startswith(f"orq-images/{_project_version()} ")
    assert _typed(json.loads(request.body)) == _typed(SEED_ARGS)


def test_seed_call_in_fresh_venv(venv_python: Path, server: LocalServer, tmp_path: Path) -> None:
    _check_seed(_run_seed(venv_python, server, tmp_path), server)


def _lower_bounds(wheel: Path) -> dict[str, Version]:
    """The ``>=`` bound of each requirement in the wheel's metadata."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(name).decode())
    bounds = {}
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is not None:  # an extra's requirement
            continue
        (lowest,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        bounds[requirement.name] = Version(lowest)
    return bounds


@pytest.fixture(scope="module")
def lowest_venv_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel with the oldest httpx2, attrs and h11 its requirements allow: the lower bounds must be real."""
    pins = [f"{name}=={version}" for name, version in sorted(_lower_bounds(wheel).items())]
    return _venv_with(wheel, tmp_path_factory.mktemp("venv-lowest") / "env", *pins)


def test_seed_call_with_lowest_dependencies(
    lowest_venv_python: Path, wheel: Path, server: LocalServer, tmp_path: Path
) -> None:
    bounds = _lower_bounds(wheel)
    assert sorted(bounds) == ["attrs", "h11", "httpx2"]
    script = "import httpx2, attrs, h11; print(httpx2.__version__, attrs.__version__, h11.__version__)"
    versions = _run([lowest_venv_python, "-I", "-c", script], cwd=tmp_path).stdout.split()
    assert [Version(version) for version in versions] == [bounds["httpx2"], bounds["attrs"], bounds["h11"]]
    _check_seed(_run_seed(lowest_venv_python, server, tmp_path), server)


def test_the_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(f"orq_images-{_project_version()}.dist-info/entry_points.txt").decode()
    assert entry_points.split() == ["[console_scripts]", "orq-images", "=", "orq_images.__main__:main"]


def test_console_script_in_fresh_venv(venv_python: Path, server: LocalServer, tmp_path: Path) -> None:
    """The issue's "done when": `orq-images generate ... -o fox.png` writes the PNG from a clean install."""
    script = venv_python.parent / ("orq-images.exe" if os.name == "nt" else "orq-images")
    shown = _run([script, "generate", "--help"], cwd=tmp_path)
    assert "usage: orq-images generate prompt -m TEXT [options]" in shown.stdout
    assert "--orq.retry.count NUMBER" in shown.stdout

    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    server.enqueue(200, json={"created": 1, "data": [{"b64_json": base64.b64encode(png).decode()}]})
    argv = [script, "generate", "a red fox", "-m", "openai/gpt-image-1", "-o", "fox.png", "--server-url", server.url]
    result = _run(argv, cwd=tmp_path, env={"ORQ_API_KEY": "test-key-0123456789"})
    assert (result.stdout, result.stderr) == ("fox.png\n", "")
    assert (tmp_path / "fox.png").read_bytes() == png
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer test-key-0123456789"
    assert json.loads(request.body) == {"prompt": "a red fox", "model": "openai/gpt-image-1"}
