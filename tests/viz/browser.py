"""Headless Chromium for the page tests: load a page with checks injected from outside.

The pages users get carry no test code; a test copies the page, adds its own ``<script>`` at
the end of ``<body>`` (and an error collector at the start of ``<head>``), and reads what the
script wrote into ``<pre id="test-result">`` from the dumped DOM.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                    "(apt-get install chromium); CI installs it")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")

_COLLECT = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
</script>"""


def chromium(tmp_path: Path, *args: str, width: int = 1300, height: int = 900
             ) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    assert CHROMIUM is not None
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
           "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


def run_checks(tmp_path: Path, page: Path, script: str, *, width: int = 1300,
               height: int = 900) -> tuple[str, str]:
    """Load a copy of ``page`` with ``script`` appended; the script calls ``report(text)``.
    Returns ``(reported text, the dumped DOM)``."""
    html = page.read_text(encoding="utf-8")
    check = ("<script>\nfunction report(text) { var p = document.createElement('pre');"
             " p.id = 'test-result'; p.textContent = text + (window.__errors.length ?"
             " ' ERRORS: ' + window.__errors.join('; ') : ''); document.body.appendChild(p);"
             " }\n" + script + "\n</script>")
    html = html.replace("<head>", "<head>" + _COLLECT, 1)
    head, sep, tail = html.rpartition("</body>")
    assert sep, "the page has no </body>"
    copy = tmp_path / f"checked-{page.name}"
    copy.write_text(head + check + sep + tail, encoding="utf-8")
    proc = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", copy.resolve().as_uri(),
                    width=width, height=height)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<pre id="test-result">([^<]*)</pre>', proc.stdout)
    assert m, "the injected checks did not run:\n" + proc.stdout[-2000:]
    return m.group(1), proc.stdout
