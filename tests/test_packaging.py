"""What pyproject.toml promises a fresh install."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def _dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        d.split(">")[0].split("=")[0].split("[")[0].strip().lower() for d in project["dependencies"]
    }


def test_lxml_html_clean_is_a_direct_dependency():
    # trafilatura imports lxml.html.clean; pip 23 drops the lxml[html_clean] extra it relies on.
    assert "lxml_html_clean" in _dependencies()
