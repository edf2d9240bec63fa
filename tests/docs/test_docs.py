"""The docs cannot rot: every page's code runs with its printed output checked, the course map
covers the course's outline, and the site builds with warnings as errors."""

from __future__ import annotations

import doctest
import itertools
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest
from loading import load_by_path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TOOLS = DOCS / "_tools"


def _load(name: str) -> ModuleType:
    """A module of docs/_tools (it is not part of the package)."""
    return load_by_path(TOOLS / f"{name}.py", name)


pytest.importorskip("sybil", reason="Sybil runs the pages' code blocks; it comes with the docs "
                                    "extra: pip install -e '.[docs]'")
docrun = _load("docrun")
PAGES = sorted(p for p in DOCS.rglob("*.md") if TOOLS not in p.parents)


# --- every page's code -------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_page_code_runs_and_prints_its_output(page: Path, tmp_path: Path) -> None:
    try:
        result = docrun.run_page(page, tmp_path, ROOT)
    except docrun.NeedsGraphviz as e:
        pytest.skip(f"Graphviz's dot is not installed (apt-get install graphviz): {e}")
    except docrun.DocsError as e:
        failure = str(e)  # reported below, outside the except: one clean report
    else:
        failure = ""
    if failure:
        pytest.fail(failure, pytrace=False)
    # Every block Sybil found ran (or, for an excerpt, was checked against its file).
    assert result.ran == len(docrun.parse(page.read_text(encoding="utf-8"), str(page)))


def _checked(page: Path) -> list[str]:
    return [r.kind for r in docrun.parse(page.read_text(encoding="utf-8"))]


def test_every_page_has_code() -> None:
    """A page without a single checked block is a page nothing keeps honest."""
    empty = [p.relative_to(DOCS).as_posix() for p in PAGES
             if not set(_checked(p)) & {"script", "doctest", "excerpt"}]
    # The API reference is generated from docstrings; the course map is a table of links.
    assert set(empty) <= {"api.md", "course/index.md"}, f"pages without code: {empty}"


def test_an_elided_output_is_asserted_by_its_block() -> None:
    """`...` in an output block matches anything, so it may only stand for what the block
    above checks with an ``assert`` (a timing whose claim is asserted, a number pinned by a
    test): a claim shown as ``...`` that nothing asserts could silently turn false."""
    loose = []
    for page in PAGES:
        regions = docrun.parse(page.read_text(encoding="utf-8"))
        for code, out in itertools.pairwise(regions):
            if out.kind == "output" and "..." in str(out.parsed):
                if code.kind != "script" or not re.search(r"^\s*assert ", str(code.parsed),
                                                          re.M):
                    loose.append(f"{page.relative_to(DOCS)}: {str(out.parsed).strip()[:60]!r}")
    assert not loose, "output blocks that elide with '...' what nothing asserts:\n" + \
        "\n".join(loose)


# --- the course map ----------------------------------------------------------------------------

# Every section of the course notes for weeks 1-4 -> (page, heading that covers it).
COURSE = {
    "what is a neural network": ("week1.md", "What is a neural network?"),
    "supervised learning": ("week1.md", "Supervised learning with neural networks"),
    "why is deep learning taking off": ("week1.md", "Why is deep learning taking off?"),
    "a quick tour of Jupyter": ("week2.md", "A quick tour of Jupyter notebooks"),
    "neural networks overview": ("week3.md", "Neural networks overview"),
    "why deep representations": ("week4.md", "Why deep representations?"),
    "what does this have to do with the brain":
        ("week4.md", "What does this have to do with the brain?"),
    "binary classification": ("week2.md", "Binary classification"),
    "logistic regression": ("week2.md", "Logistic regression"),
    "logistic regression's cost": ("week2.md", "Logistic regression cost function"),
    "gradient descent": ("week2.md", "Gradient descent"),
    "derivatives": ("week2.md", "Derivatives"),
    "computation graph": ("week2.md", "Computation graph"),
    "derivatives with a computation graph": ("week2.md", "Derivatives with a computation graph"),
    "logistic regression gradient descent": ("week2.md", "Logistic regression gradient descent"),
    "gradient descent on m examples": ("week2.md", "Gradient descent on m examples"),
    "derivation of dL/dz": ("week2.md", "Derivation of dL/dz"),
    "vectorization": ("week2.md", "Vectorization"),
    "broadcasting": ("week2.md", "Broadcasting"),
    "rank-1 arrays": ("week2.md", "Rank-1 arrays"),
    "the cost function's maximum-likelihood explanation":
        ("week2.md", "Explanation of the logistic regression cost function"),
    "neural network representation": ("week3.md", "Neural network representation"),
    "computing the output": ("week3.md", "Computing a neural network's output"),
    "vectorizing across examples": ("week3.md", "Vectorizing across multiple examples"),
    "activation functions": ("week3.md", "Activation functions"),
    "why non-linear": ("week3.md", "Why do you need non-linear activation functions?"),
    "their derivatives": ("week3.md", "Derivatives of activation functions"),
    "gradient descent for neural networks": ("week3.md", "Gradient descent for neural networks"),
    "random initialization": ("week3.md", "Random initialization"),
    "deep L-layer networks": ("week4.md", "Deep L-layer neural network"),
    "forward propagation": ("week4.md", "Forward propagation in a deep network"),
    "getting matrix dimensions right": ("week4.md", "Getting your matrix dimensions right"),
    "building blocks with caches": ("week4.md", "Building blocks of deep neural networks"),
    "parameters vs hyperparameters": ("week4.md", "Parameters vs hyperparameters"),
}
# Lectures without a formula to run: their sections say so in prose (code is optional).
NARRATIVE = {"what does this have to do with the brain"}
# The sections where the course compares a for-loop with a vectorized version.
LOOP_VS_VECTORIZED = [("week2.md", "Gradient descent on m examples"),
                      ("week2.md", "Vectorization"),
                      ("week3.md", "Vectorizing across multiple examples")]


def _sections(page: str) -> dict[str, str]:
    """``## heading`` -> the Markdown up to the next ``## `` heading."""
    text = (DOCS / "course" / page).read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _slug(heading: str) -> str:
    """MkDocs' default anchor for a heading."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading).strip().lower())


@pytest.mark.parametrize("topic", list(COURSE))
def test_course_map_covers_the_section(topic: str) -> None:
    page, heading = COURSE[topic]
    sections = _sections(page)
    assert heading in sections, f"{page} has no section '## {heading}' for {topic!r}"
    kinds = {r.kind for r in docrun.parse(sections[heading])}
    if topic not in NARRATIVE:
        assert kinds & {"script", "doctest"}, f"{page}, '{heading}': no code that runs"
    index = (DOCS / "course" / "index.md").read_text(encoding="utf-8")
    assert f"({page}#{_slug(heading)})" in index, f"the course map does not link {heading!r}"


def test_every_week_section_is_in_the_course_map() -> None:
    """One row per section, both ways: no section of a week page is missing from the map."""
    index = (DOCS / "course" / "index.md").read_text(encoding="utf-8")
    unlisted = [f"{page}#{_slug(heading)}" for page in ("week1.md", "week2.md", "week3.md",
                                                         "week4.md")
                for heading in _sections(page) if f"({page}#{_slug(heading)})" not in index]
    assert not unlisted, f"sections missing from course/index.md: {unlisted}"


@pytest.mark.parametrize("page,heading", LOOP_VS_VECTORIZED)
def test_loop_vs_vectorized_sections_assert_a_measured_speed_up(page: str, heading: str) -> None:
    regions = docrun.parse(_sections(page)[heading])
    for code, out in itertools.pairwise(regions):
        if code.kind == "script" and out.kind == "output" and "speed-up" in str(out.parsed):
            # Measured by the code (timeit), shown as "..." on the page, and the claim
            # ("faster") asserted, so a slowdown fails the page.
            assert re.search(r"timeit", str(code.parsed))
            assert re.search(r"^assert .*speed_?up", str(code.parsed), re.M), \
                f"{page}, '{heading}': the speed-up is printed but not asserted"
            return
    pytest.fail(f"{page}, '{heading}': no block that times both versions")


# --- the runner itself -------------------------------------------------------------------------

def _page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir(exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def test_runner_checks_output_blocks(tmp_path: Path) -> None:
    good = _page(tmp_path, "```python\nx = 6 * 7\nprint('x is', x)\n```\n\n"
                           "```output\nx is ...\n```\n\n```python\nprint(x + 1)\n```\n")
    result = docrun.run_page(good, tmp_path, tmp_path)
    assert result.ran == 3 and result.outputs[0][2] == "x is 42\n"
    assert "x is 42" in docrun.replace_outputs(good.read_text(), result)
    bad = _page(tmp_path, "```python\nprint(41)\n```\n```output\n42\n```\n")
    with pytest.raises(docrun.DocsError, match=r"page.md:4: the output differs"):
        docrun.run_page(bad, tmp_path, tmp_path)


def test_runner_reports_the_failing_line(tmp_path: Path) -> None:
    page = _page(tmp_path, "text\n\n```python\nx = 1\ny = x / 0\n```\n")
    with pytest.raises(docrun.DocsError, match=r"page.md:3: the block raised") as e:
        docrun.run_page(page, tmp_path, tmp_path)
    assert 'page.md", line 5' in str(e.value) and "ZeroDivisionError" in str(e.value)


def test_runner_runs_doctest_blocks_in_the_page_namespace(tmp_path: Path) -> None:
    page = _page(tmp_path, "```python\nx = 2\n```\n```python\n>>> x * 3\n6\n>>> y = 1\n```\n"
                           "```python\nprint(y)\n```\n```python\n>>> x\n3\n```\n")
    with pytest.raises(docrun.DocsError, match=r"Expected:") as e:
        docrun.run_page(page, tmp_path, tmp_path)
    assert "Expected:\n    3\nGot:\n    2" in str(e.value) and "page.md:13" in str(e.value)


def test_runner_checks_excerpts_against_the_source(tmp_path: Path) -> None:
    (tmp_path / "lib.py").write_text("def f(a, b):\n    return a + b  # add\n")
    kept = _page(tmp_path, '```python title="lib.py"\ndef f(a, b):\n    return a + b\n```\n')
    assert docrun.run_page(kept, tmp_path, tmp_path).ran == 1
    drifted = _page(tmp_path, '```python title="lib.py"\ndef f(a, b):\n    return a - b\n```\n')
    with pytest.raises(docrun.DocsError, match=r"no longer in lib\.py"):
        docrun.run_page(drifted, tmp_path, tmp_path)
    missing = _page(tmp_path, '```python title="gone.py"\nx = 1\n```\n')
    with pytest.raises(docrun.DocsError, match=r"gone\.py, which does not exist"):
        docrun.run_page(missing, tmp_path, tmp_path)


def test_runner_rejects_stray_output_and_warnings(tmp_path: Path) -> None:
    orphan = _page(tmp_path, "```sh\nls\n```\n```output\nx\n```\n")
    with pytest.raises(docrun.DocsError, match="must follow a python block"):
        docrun.run_page(orphan, tmp_path, tmp_path)
    warns = _page(tmp_path, "```python\nimport warnings\nwarnings.warn('careful')\n```\n")
    filters = list(warnings.filters)
    with pytest.raises(docrun.DocsError, match="careful"):
        docrun.run_page(warns, tmp_path, tmp_path)
    assert warnings.filters == filters  # the caller's warning filters are restored


def test_runner_writes_files_in_its_workdir_only(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    page = _page(tmp_path, "```python\nfrom pathlib import Path\n"
                           "Path('picture.txt').write_text('x')\n```\n")
    docrun.run_page(page, work, tmp_path)
    assert (work / "picture.txt").exists() and not (tmp_path / "picture.txt").exists()


def test_tools_docstring_examples() -> None:
    assert doctest.testmod(docrun).failed == 0
    pytest.importorskip("griffe", reason="griffe comes with the docs extra")
    griffe_doctest = _load("griffe_doctest")
    assert doctest.testmod(griffe_doctest).attempted > 0
    assert doctest.testmod(griffe_doctest).failed == 0


# --- the site ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_site_builds_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs comes with the docs extra: "
                                         "pip install -e '.[docs]'")
    pytest.importorskip("mkdocstrings", reason="mkdocstrings comes with the docs extra")
    pytest.importorskip("material", reason="mkdocs-material comes with the docs extra")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz); the pages "
                    "draw graphs while the site builds")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # no theme banner in the log
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Pictures drawn by the pages' code are published next to them.
    assert (site / "course" / "week2" / "backward.svg").read_text().lstrip().startswith("<")
    assert (site / "course" / "week3" / "flower.png").read_bytes()[:4] == b"\x89PNG"
    # Output blocks show what the build measured, not the page's "..." placeholder.
    week2 = (site / "course" / "week2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"speed-up: \d+x", week2)
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("gradcheck", "draw_graph", "LogisticRegression", "check_gradients"):
        assert name in api, f"{name} missing from the API reference"
    assert not (site / "_tools").exists(), "the docs tooling leaked into the site"
    # The tour notebook is shown executed: its printed results and its pictures are there.
    tour = (site / "course" / "tour" / "index.html").read_text(encoding="utf-8")
    assert "shallow network accuracy: 90." in tour
    assert "dJ/db = dJ/du·du/db = 3·2 = 6" in tour
    assert "data:image/png;base64" in tour and "<svg" in tour, "the tour's pictures are missing"
    assert not list((ROOT / "docs" / "course").glob("*.png")), "the build wrote into docs/"
