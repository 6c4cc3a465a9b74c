"""course.grading.scan: the static scan of a submission, on honest and hostile notebooks.

Hostile cells follow the tricks that beat nbgrader in /work/shared/grading-threats.md; honest
cells are what beginners write and must give no flag. The comparison with a source notebook
uses the grader's own small assignment (tests/grading/source/mini), released here by hand.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course.grading.scan import KINDS, Flag, scan_notebook, scan_submission

MINI = Path(__file__).resolve().parent / "grading" / "source" / "mini" / "mini.ipynb"
CODE_KINDS = {
    "ipython-internals",
    "file-access",
    "sqlite",
    "subprocess",
    "network",
    "threads",
    "dynamic-code",
    "introspection",
    "fake-value",
}


def notebook(*sources: str) -> nbformat.NotebookNode:
    return new_notebook(cells=[new_code_cell(src) for src in sources])


def found(*sources: str) -> set[tuple[str, str]]:
    """``(kind, detail)`` of every flag for a notebook made of these code cells."""
    return {(flag.kind, flag.detail) for flag in scan_notebook(notebook(*sources))}


def has(flags: set[tuple[str, str]], kind: str, text: str) -> bool:
    return any(k == kind and text in detail for k, detail in flags)


def release(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student's copy: solutions stubbed, hidden tests and mark schemes removed."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        src = cell.source
        src = re.sub(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", src, flags=re.S)
        src = re.sub(
            r"### BEGIN SOLUTION.*?### END SOLUTION",
            "# YOUR CODE HERE\nraise NotImplementedError()",
            src,
            flags=re.S,
        )
        src = re.sub(r"=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===\n?", "", src, flags=re.S)
        cell.source = src
    return nb


def by_id(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture
def mini() -> nbformat.NotebookNode:
    return nbformat.read(MINI, as_version=4)


# --- honest code gives no flag ---------------------------------------------------------------

HONEST = [
    "import pandas as pd\ndf = pd.read_csv('data.csv')\ndf['y'] = df['x'] * 2\ndf.columns = ['a', 'b']",
    "import numpy as np\nx = np.array([1.0, 2.0])\nnp.testing.assert_allclose(x, [1.0, 2.0])",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2], [3, 4])\n"
    "ax.set_title('speed in km/h')\nplt.rcParams['figure.figsize'] = (8, 4)",
    "%matplotlib inline\nimport math\nprint(math.sqrt(2))",
    "with open('data.csv') as f:\n    text = f.read()\nprint(f'{len(text)} characters')",
    "squares = [i * i for i in range(5)]\nevens = {n: n % 2 == 0 for n in squares}",
    "def mean(xs):\n    '''The average of ../ and ~ (a docstring is not a path).'''\n"
    "    return sum(xs) / len(xs)\n\nprint(mean([1, 2, 3]))",
    "import pandas as pd\npd.options.display.max_rows = 20\npd.set_option('display.width', 100)",
    "from IPython.display import display, Markdown\ndisplay(Markdown('**done**'))",
    "import numpy as np\nsignal = np.sin(np.linspace(0, 1, 5))\ncode = 3\nresult = signal * code",
    "from scipy import signal\nb, a = signal.butter(3, 0.1)",
    "import os\npath = os.path.join('data', 'laws.csv')\nprint(os.getcwd(), os.listdir('.'))",
    "total = 0\nfor _ in range(3):\n    total += 1\nsum = 0\nlist_ = list(range(3))",
    "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\nresult = df.eval('a * 2')\ndf.to_csv('out.csv')",
    "class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n"
    "    def __repr__(self):\n        return f'Point({self.x}, {self.y})'",
    "try:\n    value = int('x')\nexcept ValueError as error:\n    print('not a number:', error)",
    "with open('notes.txt', 'w') as f:\n    f.write('1/2 of the states...')",
    "%%time\nimport random\nrandom.seed(0)\nsample = random.sample(range(100), 5)",
    "import warnings\nwarnings.filterwarnings('ignore')\nimport time\ntime.sleep(0.1)",
    "# we could import subprocess here, but we do not\nx = 1",
    "from math import pi\npi = 3.14\nradius = 2\narea = pi * radius**2",
    'note = """\n!important: %timeit is a magic, not code\n"""\nprint(note)',
]


@pytest.mark.parametrize("src", HONEST)
def test_honest_code_gives_no_flag(src):
    assert scan_notebook(notebook(src), name="hw.ipynb") == []


# --- one or more positive cases per code kind ------------------------------------------------

HOSTILE = [
    # IPython and kernel internals: hooks that clear errors or print results first
    (
        "get_ipython().events.register('post_run_cell', hook)",
        "ipython-internals",
        "calls get_ipython().events.register",
    ),
    (
        "ip = get_ipython()\nip.set_custom_exc((AssertionError,), lambda *a, **k: None)",
        "ipython-internals",
        "set_custom_exc (as ip.set_custom_exc)",
    ),
    (
        "import sys\nsys.displayhook = lambda value: print(10)",
        "ipython-internals",
        "assigns sys.displayhook",
    ),
    ("import sys\nsys.excepthook = print", "ipython-internals", "sys.excepthook"),
    (
        "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
        "ipython-internals",
        "input_transformers_cleanup",
    ),
    ("get_ipython().ast_transformers.append(Rewrite())", "ipython-internals", "ast_transformers"),
    (
        "def hook(result):\n    result.error_in_exec = None",
        "ipython-internals",
        "assigns result.error_in_exec",
    ),
    (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.showtraceback = lambda *a, **k: None",
        "ipython-internals",
        "showtraceback",
    ),
    ("%config InteractiveShell.ast_node_interactivity = 'all'", "ipython-internals", "%config"),
    # files outside the folder, deletions, Python files written beside the notebook
    ("open('/etc/passwd').read()", "file-access", "'/etc/passwd'"),
    ("open('../../../source/mini/mini.ipynb').read()", "file-access", "goes up with '..'"),
    ("import os\nos.path.expanduser('~root/.bashrc')", "file-access", "calls os.path.expanduser"),
    (
        "from pathlib import Path\n(Path.home() / '.ipython').mkdir()",
        "file-access",
        "calls pathlib.Path.home",
    ),
    ("import os\nos.remove('x')", "file-access", "calls os.remove"),
    ("import os\nos.chmod('mini.ipynb', 0o777)", "file-access", "calls os.chmod"),
    ("import shutil\nshutil.rmtree('other')", "file-access", "calls shutil.rmtree"),
    ("with open('numpy.py', 'w') as f:\n    f.write('x')", "file-access", "'numpy.py'"),
    ("%cd ../..", "file-access", "%cd"),
    # the gradebook
    ("import sqlite3\nsqlite3.connect('x')", "sqlite", "imports sqlite3"),
    ("from sqlalchemy import create_engine", "sqlite", "sqlalchemy.create_engine"),
    ("path = '../../../gradebook.db'", "sqlite", "gradebook.db"),
    # processes
    ("import os as o\no.system('id')", "subprocess", "calls os.system (as o.system)"),
    ("from subprocess import run\nrun(['id'])", "subprocess", "calls subprocess.run (as run)"),
    ("import os\nos.popen('id')", "subprocess", "os.popen"),
    ("import os\nos.execv('/bin/sh', ['sh'])", "subprocess", "os.execv"),
    ("import os\nif os.fork() == 0:\n    pass", "subprocess", "os.fork"),
    ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", "subprocess", "os.kill"),
    ("import signal\nsignal.alarm(1)", "subprocess", "signal.alarm"),
    (
        "import multiprocessing\nmultiprocessing.Process(target=f).start()",
        "subprocess",
        "multiprocessing",
    ),
    ("import pty", "subprocess", "imports pty"),
    ("!ls ../../..", "subprocess", "!ls ../../.."),
    ("files = !ls\nprint(files)", "subprocess", "!ls"),
    ("%%bash\nrm -rf ../../source", "subprocess", "%%bash"),
    ("%%script sh\nid", "subprocess", "%%script sh"),
    ("%system id", "subprocess", "%system id"),
    ("out = %sx id", "subprocess", "%sx id"),
    ("pip install requests", "subprocess", "%pip install requests"),
    # network
    ("import socket\nsocket.create_connection(('example.org', 80))", "network", "imports socket"),
    ("import urllib.request\nurllib.request.urlopen('x')", "network", "urllib.request.urlopen"),
    ("import http.client", "network", "imports http.client"),
    ("import requests\nrequests.post('x', data=answers)", "network", "requests.post"),
    ("import ftplib", "network", "ftplib"),
    ("import smtplib", "network", "smtplib"),
    ("import websocket", "network", "websocket"),
    ("import pandas as pd\npd.read_csv('https://example.org/answers.csv')", "network", "URL"),
    # background and deferred code
    (
        "import threading\nthreading.Thread(target=f, daemon=True).start()",
        "threads",
        "imports threading",
    ),
    ("import _thread\n_thread.start_new_thread(f, ())", "threads", "_thread.start_new_thread"),
    ("from concurrent.futures import ThreadPoolExecutor", "threads", "concurrent.futures"),
    ("import asyncio\nasyncio.get_event_loop().create_task(f())", "threads", "get_event_loop"),
    ("import asyncio\nasyncio.ensure_future(f())", "threads", "asyncio.ensure_future"),
    ("import atexit\natexit.register(f)", "threads", "atexit"),
    ("class Later:\n    def __del__(self):\n        print(10)", "threads", "__del__"),
    # code built at run time
    ("exec(payload)", "dynamic-code", "calls exec"),
    ("value = eval('1 + 1')", "dynamic-code", "calls eval"),
    ("code = compile(text, 'x', 'exec')", "dynamic-code", "calls compile"),
    ("m = __import__('o' + 's')", "dynamic-code", "calls __import__"),
    ("import importlib\nimportlib.reload(np)", "dynamic-code", "importlib"),
    ("%run ../../source/mini/mini.ipynb", "dynamic-code", "%run"),
    ("%load ../../source/mini/mini.ipynb", "dynamic-code", "%load"),
    ("%%writefile numpy.py\ndef mean(x):\n    return 0", "dynamic-code", "%%writefile numpy.py"),
    (
        "%%writefile numpy.py\nimport builtins\nbuiltins.len = lambda x: 5",
        "introspection",
        "assigns builtins.len (in the written file)",
    ),
    # interpreter rewiring and monkeypatching
    ("import sys\nframe = sys._getframe(1)", "introspection", "sys._getframe"),
    (
        "import inspect\ninspect.currentframe().f_back.f_globals['x'] = 1",
        "introspection",
        "inspect.currentframe",
    ),
    ("import gc\nfor obj in gc.get_objects():\n    pass", "introspection", "gc.get_objects"),
    ("import gc\ngc.get_referrers(x)", "introspection", "gc.get_referrers"),
    ("import ctypes", "introspection", "imports ctypes"),
    ("import builtins\nbuiltins.abs = lambda x: 0", "introspection", "builtins.abs"),
    ("__builtins__.len = lambda x: 5", "introspection", "assigns __builtins__.len"),
    ("import sys\nsys.modules['numpy'] = fake", "introspection", "sys.modules"),
    (
        "import numpy as np\nnp.testing.assert_allclose = lambda *a, **k: None",
        "introspection",
        "assigns numpy.testing.assert_allclose (monkeypatches",
    ),
    (
        "import pandas.testing as pdt\npdt.assert_frame_equal = print",
        "introspection",
        "pandas.testing.assert_frame_equal",
    ),
    (
        "import numpy\nsetattr(numpy.testing, 'assert_allclose', print)",
        "introspection",
        "setattr on numpy.testing.assert_allclose",
    ),
    ("globals()['len'] = lambda x: 5", "introspection", "writes into globals()"),
    (
        "import os\ngetattr(os, 'sys' + chr(116) + 'em')('id')",
        "introspection",
        "getattr on os with a computed name",
    ),
    ("def len(x):\n    return 5", "introspection", "redefines builtin len"),
    ("type = lambda x: list", "introspection", "redefines builtin type"),
    ("import sys\nsys.path.insert(0, '.')", "introspection", "sys.path"),
    ("import numpy as np\nnp = FakeNumpy()", "introspection", "assigns np, the imported numpy"),
    # objects that pass equality and type checks with a wrong value
    (
        "class Yes:\n    def __eq__(self, other):\n        return True",
        "fake-value",
        "defines __eq__",
    ),
    ("class Three(int):\n    pass", "fake-value", "subclasses int"),
    ("Fake = type('Fake', (float,), {'__eq__': lambda s, o: True})", "fake-value", "type("),
]


@pytest.mark.parametrize(("src", "kind", "text"), HOSTILE)
def test_hostile_code_is_flagged(src, kind, text):
    flags = found(src)
    assert has(flags, kind, text), flags


def test_every_code_kind_has_a_hostile_case_and_a_legend_entry():
    assert {kind for _, kind, _ in HOSTILE} == CODE_KINDS
    assert CODE_KINDS | {
        "edited-locked-cell",
        "metadata",
        "prefilled-output",
        "extra-file",
        "symlink",
        "unreadable",
    } == set(KINDS)
    assert all(isinstance(text, str) and text for text in KINDS.values())


def test_string_based_access_is_resolved():
    flags = found('getattr(__import__("o" + "s"), "sys" + "tem")("id")')
    assert has(flags, "subprocess", "calls os.system")
    assert has(flags, "dynamic-code", "calls __import__")
    flags = found('import importlib\nm = importlib.import_module("subprocess")\nm.run("id")')
    assert has(flags, "subprocess", "calls subprocess.run (as m.run)")


def test_aliases_are_followed_across_cells_and_flags_name_the_cell():
    nb = notebook("import subprocess as sp", "x = 1", "sp.check_output(['id'])")
    flags = [f for f in scan_notebook(nb, name="hw.ipynb") if f.detail.startswith("calls")]
    assert flags == [
        Flag(
            "hw.ipynb", "cell 3", "subprocess", "calls subprocess.check_output (as sp.check_output)"
        )
    ]


def test_star_import_names_are_resolved():
    flags = found("from os import *\nsystem('id')")
    assert has(flags, "subprocess", "calls os.system (as system)")


def test_a_cell_is_named_by_its_grade_id():
    cell = new_code_cell("import os\nos.system('id')")
    cell.metadata["nbgrader"] = {"grade_id": "q1_add", "solution": True, "grade": False}
    flags = scan_notebook(new_notebook(cells=[new_markdown_cell("hi"), cell]), name="a.ipynb")
    assert {(f.notebook, f.cell) for f in flags} == {("a.ipynb", "q1_add")}


def test_code_in_strings_given_to_exec_is_scanned():
    flags = found('exec("import ctypes\\nctypes.CDLL(None)")')
    assert has(flags, "dynamic-code", "calls exec")
    assert has(flags, "introspection", "imports ctypes (in a code string)")


def test_a_cell_that_does_not_parse_falls_back_to_patterns():
    flags = found("x = (\nimport subprocess\nsubprocess.run('id')")
    assert has(flags, "subprocess", "subprocess (cell does not parse)")
    assert found("x = (\n# the word subprocess in a comment\ny = 2") == set()


def test_magics_are_neutralised_and_the_rest_still_scanned():
    flags = found("%matplotlib inline\n!ls\nimport os\nos.system('id')\nlen?")
    assert has(flags, "subprocess", "runs shell command !ls")
    assert has(flags, "subprocess", "calls os.system")
    flags = found("%%capture\nimport socket")
    assert has(flags, "network", "imports socket")


def test_the_same_finding_is_reported_once():
    flags = scan_notebook(notebook("import os\nos.system('a')\nos.system('b')\nos.system('c')"))
    assert [f.detail for f in flags] == ["calls os.system"]


def test_flag_is_frozen_and_bad_input_is_a_clear_error():
    flag = Flag("a.ipynb", "cell 1", "subprocess", "calls os.system")
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.kind = "network"  # type: ignore[misc]
    with pytest.raises(TypeError, match="nbformat.read"):
        scan_notebook("not a notebook")
    with pytest.raises(TypeError, match="source must be a notebook"):
        scan_notebook(notebook("x = 1"), source={"cells": "nope"})


# --- comparison with the source notebook -----------------------------------------------------


def test_the_release_of_mini_gives_no_flag_although_it_lacks_the_hidden_tests(mini):
    released = release(mini)
    tests = by_id(released, "q1_add_tests")
    assert "HIDDEN" in by_id(mini, "q1_add_tests").source and "HIDDEN" not in tests.source
    assert scan_notebook(released, name="mini.ipynb", source=mini) == []


def test_an_honest_answer_in_mini_gives_no_flag(mini):
    submission = release(mini)
    by_id(submission, "q1_add").source = "def add(a, b):\n    return a + b"
    by_id(submission, "q2_squares").source = "squares = [i ** 2 for i in range(5)]"
    assert scan_notebook(submission, name="mini.ipynb", source=mini) == []


def test_an_edited_test_cell_is_flagged(mini):
    submission = release(mini)
    tests = by_id(submission, "q1_add_tests")
    tests.source = tests.source.replace("assert add(2, 3) == 5", "assert True")
    flags = scan_notebook(submission, name="mini.ipynb", source=mini)
    assert [(f.cell, f.kind) for f in flags] == [("q1_add_tests", "edited-locked-cell")]
    assert "'assert True" in flags[0].detail


def test_hidden_tests_in_a_submission_mean_it_saw_the_source(mini):
    submission = release(mini)
    by_id(submission, "q3_mean_tests").source = by_id(mini, "q3_mean_tests").source
    flags = scan_notebook(submission, name="mini.ipynb", source=mini)
    assert [(f.cell, f.kind) for f in flags] == [("q3_mean_tests", "edited-locked-cell")]
    assert "hidden tests" in flags[0].detail


def test_an_edited_locked_markdown_cell_is_flagged(mini):
    submission = release(mini)
    by_id(submission, "q1_prompt").source = "**Q1 (100 points).**"
    flags = scan_notebook(submission, source=mini)
    assert [(f.cell, f.kind) for f in flags] == [("q1_prompt", "edited-locked-cell")]


def test_changed_points_and_flags_are_metadata_findings(mini):
    submission = release(mini)
    by_id(submission, "q2_squares_tests").metadata.nbgrader["points"] = 100
    by_id(submission, "q3_mean_tests").metadata.nbgrader["locked"] = False
    by_id(submission, "q1_add").metadata.nbgrader["grade"] = True
    details = {(f.cell, f.detail) for f in scan_notebook(submission, source=mini)}
    assert details == {
        ("q2_squares_tests", "points changed from 2 to 100"),
        ("q3_mean_tests", "locked changed from True to False"),
        ("q1_add", "grade changed from False to True"),
    }


def test_removed_metadata_deleted_cells_and_added_grade_ids(mini):
    submission = release(mini)
    del by_id(submission, "q3_mean_tests").metadata["nbgrader"]
    written = by_id(submission, "q4_written")
    submission.cells.remove(written)
    extra = new_code_cell("x = 1")
    extra.metadata["nbgrader"] = {
        "grade_id": "bonus",
        "grade": True,
        "solution": False,
        "points": 9,
    }
    submission.cells.append(extra)
    flags = scan_notebook(submission, name="mini.ipynb", source=mini)
    assert {(f.cell, f.kind, f.detail) for f in flags} == {
        ("cell 10", "metadata", "nbgrader metadata removed (was q3_mean_tests)"),
        ("q4_written", "metadata", "cell deleted (was a manually graded cell worth 2 point(s))"),
        ("bonus", "metadata", "grade_id not in the source notebook"),
    }


def test_a_test_cell_turned_into_markdown_is_flagged(mini):
    submission = release(mini)
    index = submission.cells.index(by_id(submission, "q1_add_tests"))
    old = submission.cells[index]
    submission.cells[index] = new_markdown_cell(old.source, metadata=old.metadata)
    details = [f.detail for f in scan_notebook(submission, source=mini)]
    assert details == ["cell type changed from code to markdown"]


def test_prefilled_outputs_in_a_test_cell_are_flagged_but_errors_are_not(mini):
    submission = release(mini)
    by_id(submission, "q1_add_tests").outputs = [
        new_output("execute_result", data={"text/plain": "'passed'"}, execution_count=3)
    ]
    by_id(submission, "q2_squares_tests").outputs = [
        new_output("error", ename="AssertionError", evalue="", traceback=[])
    ]
    flags = scan_notebook(submission, source=mini)
    assert [(f.cell, f.kind) for f in flags] == [("q1_add_tests", "prefilled-output")]
    assert "execute_result" in flags[0].detail


def test_another_kernel_is_flagged(mini):
    submission = release(mini)
    submission.metadata["kernelspec"]["name"] = "bash"
    flags = scan_notebook(submission, name="mini.ipynb", source=mini)
    assert flags == [
        Flag("mini.ipynb", "", "metadata", "kernelspec changed from 'python3' to 'bash'")
    ]


def test_unchanged_locked_instructor_code_is_not_scanned():
    source = new_notebook(cells=[new_code_cell("import sys\nassert 'numpy' in sys.modules")])
    source.cells[0].metadata["nbgrader"] = {
        "grade_id": "setup",
        "locked": True,
        "grade": False,
        "solution": False,
    }
    submission = copy.deepcopy(source)
    assert scan_notebook(submission, source=source) == []
    assert has(found(source.cells[0].source), "introspection", "sys.modules")


# --- whole submission folders ----------------------------------------------------------------


@pytest.fixture
def course(tmp_path, mini):
    """A course root with the mini source (plus a released data file) and two students."""
    source = tmp_path / "source" / "mini"
    source.mkdir(parents=True)
    shutil.copy(MINI, source / "mini.ipynb")
    (source / "data.csv").write_text("x\n1\n")
    hostile = release(mini)
    by_id(hostile, "q1_add").source = "import os\nos.system('id')"
    for student, nb in {"alice": release(mini), "mallory": hostile}.items():
        folder = tmp_path / "submitted" / student / "mini"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "mini.ipynb")
        (folder / "data.csv").write_text("x\n1\n")
        (folder / "timestamp.txt").write_text("2026-01-01 00:00:00")
    return tmp_path


def folders(root: Path, student: str) -> tuple[Path, Path]:
    return root / "submitted" / student / "mini", root / "source" / "mini"


def test_an_honest_submission_folder_gives_no_flag(course):
    assert scan_submission(*folders(course, "alice")) == []


def test_the_notebook_of_a_submission_is_scanned(course):
    flags = scan_submission(*folders(course, "mallory"))
    assert flags == [Flag("mini.ipynb", "q1_add", "subprocess", "calls os.system")]


def test_extra_files_are_flagged_and_python_files_loudly(course):
    folder, source = folders(course, "alice")
    (folder / "numpy.py").write_text("def mean(x):\n    return 0\n")
    (folder / "evil.pth").write_text("import os\n")
    (folder / "notes.txt").write_text("my notes")
    (folder / "data.csv").write_text("x\n2\n")
    details = {f.detail for f in scan_submission(folder, source) if f.kind == "extra-file"}
    assert len(details) == 4
    numpy = next(d for d in details if d.startswith("numpy.py"))
    assert "shadow `import numpy`" in numpy
    assert any(d.startswith("evil.pth") and "every Python process" in d for d in details)
    notes = next(d for d in details if d.startswith("notes.txt"))
    assert "shadow" not in notes
    assert any(d.startswith("data.csv") and "differs" in d for d in details)


def test_symlinks_are_flagged_and_never_followed(course):
    folder, source = folders(course, "alice")
    other, _ = folders(course, "mallory")
    (folder / "helper.ipynb").symlink_to(other / "mini.ipynb")
    flags = scan_submission(folder, source)
    assert [(f.notebook, f.kind) for f in flags] == [("", "symlink")]
    assert flags[0].detail.startswith("helper.ipynb is a symlink")
    # the expected notebook itself as a link to another student's work
    (folder / "mini.ipynb").unlink()
    (folder / "mini.ipynb").symlink_to(other / "mini.ipynb")
    flags = scan_submission(folder, source)
    assert {(f.notebook, f.kind) for f in flags} == {("mini.ipynb", "symlink"), ("", "symlink")}
    assert not any(f.kind == "subprocess" for f in flags)  # mallory's code was not read


def test_a_linked_submission_folder_is_not_followed(course):
    folder, source = folders(course, "alice")
    link = course / "submitted" / "eve" / "mini"
    link.parent.mkdir()
    link.symlink_to(folder, target_is_directory=True)
    assert [f.kind for f in scan_submission(link, source)] == ["symlink"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not json", "is not JSON"),
        (b"\xff\xfe\x00garbage", "is not JSON"),
        (b'{"cells": 3}', "is not a notebook"),
        (b"[" * 100_000, "is not JSON"),
    ],
)
def test_a_broken_notebook_is_unreadable_not_an_exception(course, content, reason):
    folder, source = folders(course, "alice")
    (folder / "mini.ipynb").write_bytes(content)
    flags = scan_submission(folder, source)
    assert [(f.notebook, f.kind) for f in flags] == [("mini.ipynb", "unreadable")]
    assert reason in flags[0].detail


def test_missing_large_and_special_notebooks_are_unreadable(course):
    folder, source = folders(course, "alice")
    flags = scan_submission(folder, source, max_bytes=100)
    assert [f.detail for f in flags][0].startswith("mini.ipynb is too large")
    (folder / "mini.ipynb").unlink()
    assert [f.detail for f in scan_submission(folder, source)] == ["mini.ipynb is missing"]
    os.mkfifo(folder / "mini.ipynb")  # reading a FIFO would hang the scan
    assert [f.detail for f in scan_submission(folder, source)] == [
        "mini.ipynb is not a regular file"
    ]


def test_missing_folders(course):
    folder, source = folders(course, "alice")
    assert [f.kind for f in scan_submission(folder.parent / "nope", source)] == ["unreadable"]
    with pytest.raises(ValueError, match="ROOT/source/<assignment>"):
        scan_submission(folder, source.parent / "nope")
