"""A release folder works with ``datasette package`` and ``datasette publish`` unchanged.

Docker and the cloud command-line tools are not installed here, so stand-ins named
``docker``, ``gcloud`` and ``heroku`` keep what Datasette hands them: the build context
(``docker build .``, ``gcloud builds submit``) or the generated app (``heroku
--generate-dir``). Each generated directory is then run the way its platform would run it -
the Dockerfile's ``RUN datasette inspect`` and ``CMD``, Heroku's ``bin/post_compile`` and
``Procfile`` - on 127.0.0.1, and a journalist's search page and CSV are fetched from it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from test_publish import SECRETS, build_internal_db

from crawler.publish.release import (
    PUBLIC_SETTINGS,
    RELEASE_DB,
    deploy_arguments,
    deploy_commands,
    publish,
    setting_options,
)
from tests.conftest import free_port, running_server

pytestmark = pytest.mark.slow  # real crawls, servers and timed delays: not in make test-fast

STAND_IN = """#!/bin/sh
# Stand-in for {name}: keeps the build context Datasette hands over, deploys nothing.
echo "{name} $*" >> "$CAPTURE/calls.txt"
case "$*" in
  "config get-value project") echo test-project ;;
  "plugins") echo "heroku-builds 1.0.0" ;;
  build*|"builds submit"*) cp -R . "$CAPTURE/context" ;;
esac
exit 0
"""


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("deploy")
    db_path = build_internal_db(root / "internal.db")
    return publish(db_path, root / "public", key=bytes(range(32)))


@pytest.fixture
def stand_ins(tmp_path):
    bin_dir, capture = tmp_path / "bin", tmp_path / "capture"
    bin_dir.mkdir()
    capture.mkdir()
    for name in ("docker", "gcloud", "heroku"):
        path = bin_dir / name
        path.write_text(STAND_IN.format(name=name))
        path.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CAPTURE": str(capture),
    }
    return env, capture


def _datasette(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "datasette", *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        input="",
    )
    assert result.returncode == 0, result.stdout[-800:] + result.stderr[-800:]
    return result


def _run_app(app: Path, setup: str, command: str) -> None:
    """Run the platform's set-up line, then serve ``command`` on 127.0.0.1 and check it."""
    datasette = [sys.executable, "-m", "datasette"]
    setup_args = shlex.split(setup)
    assert setup_args[:2] == ["datasette", "inspect"], setup
    subprocess.run(datasette + setup_args[1:], cwd=app, check=True, timeout=120)
    port = free_port()
    args = shlex.split(command.replace("$PORT", str(port)))
    assert args[:2] == ["datasette", "serve"], command
    args[args.index("0.0.0.0")] = "127.0.0.1"
    with running_server(datasette + args[1:], port, cwd=app) as base:
        _check_served(base)


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        return response.read().decode("utf-8")


def _check_served(base: str) -> None:
    page = _fetch(f"{base}/wildcrawl-public/listings?_search=netsuke")
    assert "White plastic netsuke" in page and "/item/" not in page and "1 row" in page
    assert "CC BY 4.0" in page  # the release's metadata
    assert re.search(r'data-column="taxon_group"', page) and "elephants" in page  # its facets
    csv_text = _fetch(f"{base}/wildcrawl-public/listings.csv?_search=ivory&_size=max")
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("id,marketplace,") and "seller_id" in header and rows
    assert not [s for s in SECRETS if s in page or s in csv_text]
    settings = json.loads(_fetch(f"{base}/-/settings.json"))
    for key in ("sql_time_limit_ms", "max_returned_rows", "facet_time_limit_ms"):
        assert settings[key] == PUBLIC_SETTINGS[key], key
    assert settings["suggest_facets"] is False
    plugins = json.loads(_fetch(f"{base}/-/plugins.json"))
    assert "wildcrawl_public.py" in {p["name"] for p in plugins}
    databases = json.loads(_fetch(f"{base}/-/databases.json"))
    assert [d["is_mutable"] for d in databases if d["name"] == "wildcrawl-public"] == [False]


def _cmd_line(dockerfile: str) -> tuple[str, str]:
    run = [
        line[len("RUN ") :]
        for line in dockerfile.splitlines()
        if line.startswith("RUN datasette inspect")
    ]
    cmd = [line[len("CMD ") :] for line in dockerfile.splitlines() if line.startswith("CMD ")]
    assert len(run) == 1 and len(cmd) == 1, dockerfile
    return run[0], cmd[0]


def test_datasette_package_builds_the_release_folder_unchanged(release, stand_ins):
    env, capture = stand_ins
    before = {p: p.stat().st_mtime_ns for p in release.out_dir.rglob("*")}
    _datasette(
        ["package", *deploy_arguments(), "--tag", "wildcrawl-public"], cwd=release.out_dir, env=env
    )
    assert {p: p.stat().st_mtime_ns for p in release.out_dir.rglob("*")} == before
    app = capture / "context"
    assert sorted(p.name for p in app.iterdir()) == [
        "Dockerfile",
        "metadata.json",
        "plugins",
        "templates",
        RELEASE_DB,
    ]
    dockerfile = (app / "Dockerfile").read_text()
    assert "docker build -t wildcrawl-public ." in (capture / "calls.txt").read_text()
    _run_app(app, *_cmd_line(dockerfile))


def test_datasette_publish_cloudrun_builds_the_same_image(release, stand_ins):
    env, capture = stand_ins
    _datasette(
        [
            "publish",
            "cloudrun",
            *deploy_arguments(release.out_dir),
            "--service",
            "wildcrawl-public",
        ],
        cwd=release.out_dir.parent,
        env=env,
    )
    calls = (capture / "calls.txt").read_text()
    assert "gcloud builds submit --tag" in calls and "gcloud run deploy" in calls
    run, cmd = _cmd_line((capture / "context" / "Dockerfile").read_text())
    assert "force_https_urls" in cmd  # Cloud Run's own addition
    _run_app(capture / "context", run, cmd.replace("--setting force_https_urls on", ""))


def test_datasette_publish_heroku_generates_a_working_app(release, stand_ins, tmp_path):
    env, _ = stand_ins
    app = tmp_path / "heroku-app"
    _datasette(
        ["publish", "heroku", *deploy_arguments(), "--generate-dir", str(app)],
        cwd=release.out_dir,
        env=env,
    )
    post_compile = (app / "bin" / "post_compile").read_text().strip()
    procfile = (app / "Procfile").read_text().strip()
    assert procfile.startswith("web: ") and (app / RELEASE_DB).is_file()
    _run_app(app, post_compile, procfile[len("web: ") :])


def test_release_readme_gives_the_commands_tested_here(release):
    readme = (release.out_dir / "README.md").read_text(encoding="utf-8")
    for command in deploy_commands().values():
        assert command in readme
    assert shlex.join(deploy_arguments()) in deploy_commands()["docker image"]
    project_readme = (Path(__file__).resolve().parents[1] / "docs" / "publish.md").read_text(
        "utf-8"
    )
    assert f'SETTINGS="{" ".join(setting_options())}"' in project_readme
