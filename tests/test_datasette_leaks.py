"""Issue 20 on the Datasette side: 404s, Content-Security-Policy, SIGTERM, the demo account."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from test_datasette import internal_datasette
from test_publish import build_internal_db

from crawler.publish.datasette import accounts
from crawler.publish.release import publish
from tests.conftest import ROOT, free_port


@pytest.fixture(scope="module")
def internal(tmp_path_factory):
    return internal_datasette(tmp_path_factory.mktemp("internal-leaks"))


def run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize("path", ["/wc/nothing", "/wc/listings", "/-/nope", "/nope/x"])
def test_anonymous_post_to_an_unknown_route_is_404(internal, path):
    ds, _, _ = internal
    response = run(ds.client.post(path, data={"x": "1"}))
    assert response.status_code in (403, 404, 302), response.status_code
    assert response.status_code != 500


@pytest.mark.parametrize("evidence", ["99", "99999999999999999999999"])
def test_logged_in_get_of_missing_evidence_is_404(internal, evidence):
    ds, cookies, _ = internal
    response = run(ds.client.get(f"/-/evidence/wc/{evidence}", cookies=cookies))
    assert response.status_code == 404


def test_post_to_a_table_is_404_not_500(internal):
    ds, cookies, _ = internal
    assert run(ds.client.post("/wc/nothing", cookies=cookies)).status_code != 500
    assert run(ds.client.post("/wc/nothing")).status_code == 404


def test_internal_pages_send_a_content_security_policy(internal):
    ds, cookies, _ = internal
    for path in ("/-/login", "/wc/listings", "/wc/listings/demo-bazaar~3A1001"):
        response = run(ds.client.get(path, cookies=cookies))
        csp = response.headers["content-security-policy"]
        assert (
            "script-src 'self' 'sha256-" in csp
            and "unsafe-inline" not in csp.split("script-src")[1]
        )
    evidence = run(ds.client.get("/-/evidence/wc/1", cookies=cookies))
    assert evidence.status_code == 200


def test_public_release_sends_a_content_security_policy_and_404s(tmp_path):
    release = publish(build_internal_db(tmp_path / "w.db"), tmp_path / "public", key=bytes(32))
    ds = Datasette(
        immutables=[str(release.db_path)],
        plugins_dir=str(release.out_dir / "plugins"),
    )
    page = run(ds.client.get("/"))
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert run(ds.client.post("/wildcrawl-public/nothing")).status_code == 404


# --- processes ------------------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _start_and_terminate(args: list[str], env: dict, port: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 60
        while not _port_open(port):
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.time() < deadline, "server did not start"
            time.sleep(0.2)
        children = _children(proc.pid)
        assert children
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        time.sleep(0.3)
        assert not _port_open(port), "the Datasette child still listens"
        for child in children:
            assert (
                not Path(f"/proc/{child}").exists()
                or "zombie" in Path(f"/proc/{child}/status").read_text()
            )
    finally:
        for child in _children(proc.pid):
            os.kill(child, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


def test_serve_stopped_with_sigterm_stops_datasette(tmp_path):
    db_path = build_internal_db(tmp_path / "w.db")
    accounts.create_user("anna", "correct horse battery", tmp_path / "acc")
    port = free_port()
    env = {**os.environ, "WILDCRAWL_ACCOUNTS_DIR": str(tmp_path / "acc")}
    _start_and_terminate(["serve", "--db", str(db_path), "--port", str(port)], env, port)


def test_publish_serve_stopped_with_sigterm_stops_datasette(tmp_path):
    db_path = build_internal_db(tmp_path / "w.db")
    port = free_port()
    args = ["publish", "--db", str(db_path), "--out", str(tmp_path / "pub"), "--serve"]
    _start_and_terminate([*args, "--port", str(port)], dict(os.environ), port)


def test_the_demo_account_exists_only_for_the_demo(tmp_path, monkeypatch):
    import crawler.cli.demo_cmd as demo_cmd
    import crawler.publish.datasette as ds_module
    from crawler.cli.app import cli

    shared = tmp_path / "shared-accounts"
    monkeypatch.setenv("WILDCRAWL_ACCOUNTS_DIR", str(shared))
    seen = {}

    def fake_serve(db_path, host, port, accounts_dir=None, evidence_dir=None, output=None):
        seen["dir"] = accounts_dir
        seen["users"] = accounts.users(accounts_dir)
        seen["hash_there"] = accounts_dir is not None and (accounts_dir / "demo.hash").is_file()
        return 0

    monkeypatch.setattr(demo_cmd, "_crawl_and_report", lambda *a: None)
    monkeypatch.setattr(ds_module, "serve", fake_serve)
    ports = [f"--site-port={n}=0" for n in demo_cmd.DEMO_MARKETPLACES]
    result = CliRunner().invoke(
        cli, ["demo", "--db", str(tmp_path / "d.db"), "--port", str(free_port()), *ports]
    )
    assert result.exit_code == 0, result.output
    assert seen["hash_there"] and "demo" in seen["users"]
    assert Path(seen["dir"]).resolve() != shared.resolve()
    assert not Path(seen["dir"]).exists()  # removed when the demo stopped
    assert "demo" not in accounts.users()  # the shared folder, read by `wildcrawl serve`
    assert not (shared / "demo.hash").exists()
