"""``make setup`` (crawler.browser.setup) installs the fonts evidence needs (issue 20 item 3)."""

from __future__ import annotations

import subprocess

from crawler.browser import setup


class _Done:
    def __init__(self, stdout=""):
        self.stdout = stdout
        self.returncode = 0


def test_setup_installs_the_missing_fonts_as_root(monkeypatch, capsys):
    calls = []
    installed = set()

    def run(cmd, **kwargs):
        calls.append(cmd)
        if cmd[0] == "apt-get" and cmd[1] == "install":
            installed.update(cmd[4:])
        if cmd[0] == "dpkg-query":
            return _Done("install ok installed" if cmd[-1] in installed else "")
        return _Done("")

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(setup.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(setup.os, "geteuid", lambda: 0)
    assert setup.ensure_fonts() is True
    apt = [c for c in calls if c[:2] == ["apt-get", "install"]]
    assert apt and set(apt[0][4:]) == {
        "fonts-noto-cjk",
        "fonts-noto-color-emoji",
        "fonts-noto-core",
    }
    assert "fonts: installed" in capsys.readouterr().out


def test_setup_without_root_says_what_to_install(monkeypatch, capsys):
    def run(cmd, **kwargs):
        assert cmd[0] != "apt-get"
        return _Done("")

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(setup.os, "geteuid", lambda: 1000)
    assert setup.ensure_fonts() is False
    err = capsys.readouterr().err
    assert "sudo apt-get install fonts-noto-cjk fonts-noto-color-emoji fonts-noto-core" in err


def test_a_font_already_present_is_not_installed_again(monkeypatch):
    def run(cmd, **kwargs):
        assert cmd[0] != "apt-get"
        return _Done("install ok installed")

    monkeypatch.setattr(subprocess, "run", run)
    assert setup.missing_font_packages() == []


def test_ci_installs_the_same_fonts():
    from tests.conftest import ROOT

    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in setup.FONT_PACKAGES:
        assert package in ci, package
