"""course.grading.codec, cellnames and evaluator: the plain-data codec, the names a test
reads, and the out-of-kernel test evaluator.

The evaluator is what makes a verdict trustworthy, so these tests check both halves of
the promise: honest values survive the trip with their exact types (a test written for
nbgrader gives the same verdict), and nothing a hostile kernel can send becomes anything
but plain data (no student type, no code run, nothing that equals everything).
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.grading import cellnames, codec, evaluator
from course.grading.codec import Opaque, StudentFunction, decode, encode

plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.binary(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4)
        | st.frozensets(st.integers() | st.text(max_size=5), max_size=4)
    ),
    max_leaves=20,
)


def _trip(value, caller=None):
    """Encode, go through JSON text (as on the wire), decode."""
    return decode(json.loads(json.dumps(encode(value, {}))), caller)


@given(plain)
def test_plain_values_come_back_equal_and_with_their_exact_types(value):
    back = _trip(value)
    assert back == value
    assert type(back) is type(value)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        -0.0,
        2**80,
        1 + 2j,
        range(2, 10, 3),
        {1, 2},
        datetime.date(2026, 5, 21),
        datetime.datetime(2026, 5, 21, 9, 30),
        datetime.timedelta(days=30, seconds=5),
        {(1, 2): "tuple key"},
    ],
)
def test_special_values_round_trip(value):
    back = _trip(value)
    assert type(back) is type(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    else:
        assert back == value
        assert repr(back) == repr(value)


@pytest.mark.parametrize(
    "array",
    [
        np.arange(6, dtype=np.int64).reshape(2, 3),
        np.array([0.5, np.nan, -np.inf]),
        np.array([True, False]),
        np.array(["a", "bc"]),
        np.array(["2026-05-21", "2026-06-02"], dtype="datetime64[D]"),
        np.array([1, "x", None], dtype=object),
    ],
)
def test_numpy_arrays_keep_dtype_shape_and_values(array):
    back = _trip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    back.flat[0] = back.flat[1]  # writable, like the original


def test_numpy_scalars_keep_their_type():
    for value in (np.int64(7), np.float64(2.5), np.bool_(True), np.datetime64("2026-05-21")):
        back = _trip(value)
        assert type(back) is type(value) and back == value


def test_pandas_objects_round_trip_exactly():
    frame = pd.DataFrame(
        {
            "event": ["eo-14110", "eo-14409"],
            "date": pd.to_datetime(["2023-10-30", "2026-06-02"]),
            "days": [90, 30],
            "share": [0.5, np.nan],
            "kind": pd.Categorical(["order", "order"]),
            "maybe": pd.array([1, None], dtype="Int64"),
            "mixed": [[1, 2], {"a": 1}],
        },
        index=pd.Index(["a", "b"], name="key"),
    )
    pd.testing.assert_frame_equal(_trip(frame), frame)
    series = frame.set_index("event")["days"]
    pd.testing.assert_series_equal(_trip(series), series)
    multi = frame.set_index(["event", "days"])
    pd.testing.assert_frame_equal(_trip(multi), multi)
    assert _trip(pd.Timestamp("2026-05-21", tz="UTC")) == pd.Timestamp("2026-05-21", tz="UTC")
    assert _trip(pd.Timedelta(days=3)) == pd.Timedelta(days=3)
    assert _trip(pd.NaT) is pd.NaT


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


class SneakyInt(int):
    def __eq__(self, other):
        return True


class SneakyList(list):
    pass


@pytest.mark.parametrize("value", [AlwaysEqual(), SneakyInt(3), SneakyList([1]), object()])
def test_student_types_become_opaque_placeholders_that_equal_nothing(value):
    back = _trip(value)
    assert isinstance(back, Opaque)
    assert type(back).__name__ == type(value).__name__  # messages still name the type
    assert back != 3 and back != [1]
    assert (back == back.__class__("x")) is False
    with pytest.raises(TypeError):
        float(back)
    with pytest.raises(TypeError):
        back + 1


def test_functions_become_references_called_through_the_caller():
    refs = {}
    tree = json.loads(json.dumps(encode({"f": lambda a, b: a - b}, refs)))
    calls = []

    def caller(ref, args, kwargs):
        calls.append((ref, args, kwargs))
        return refs[ref](*args, **kwargs)

    f = decode(tree, caller)["f"]
    assert isinstance(f, StudentFunction) and callable(f)
    assert f(5, b=3) == 2
    assert calls == [(1, (5,), {"b": 3})]


def test_objects_of_notebook_classes_carry_data_and_methods_but_no_special_methods():
    namespace = {"__name__": "__main__"}
    exec(
        "class Box:\n"
        "    def __init__(self, w, h):\n"
        "        self.w, self.h = w, h\n"
        "    def area(self):\n"
        "        return self.w * self.h\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    def __float__(self):\n"
        "        return 12.0\n",
        namespace,
    )
    refs = {}
    tree = json.loads(
        json.dumps(encode({"box": namespace["Box"](3, 4), "cls": namespace["Box"]}, refs))
    )
    back = decode(tree, lambda ref, args, kwargs: refs[ref](*args, **kwargs))
    box = back["box"]
    assert (box.w, box.h, box.area()) == (3, 4, 12)
    assert isinstance(box, back["cls"]) and type(box).__name__ == "Box"
    assert box != 12 and box != box.__class__("other")
    with pytest.raises(TypeError):
        float(box)


def test_library_functions_and_modules_resolve_to_the_genuine_objects():
    back = _trip({"m": math, "df": pd.DataFrame, "np": np})
    assert back["m"] is math and back["df"] is pd.DataFrame and back["np"] is np


def test_a_function_posing_as_a_library_function_stays_the_students():
    def add(a, b):
        return a - b

    add.__module__, add.__qualname__ = "operator", "add"
    refs = {}
    tree = json.loads(json.dumps(encode(add, refs)))
    back = decode(tree, lambda ref, args, kwargs: refs[ref](*args, **kwargs))
    assert isinstance(back, StudentFunction) and back(2, 3) == -1


def test_a_notebook_module_or_forged_name_does_not_import_student_code(tmp_path, monkeypatch):
    (tmp_path / "answers_mod.py").write_text("raise SystemExit('student code ran')\n")
    monkeypatch.chdir(tmp_path)
    back = decode(["MOD", "answers_mod"])
    assert isinstance(back, Opaque)
    fake = decode(["FN", 1, "__main__", "add", "add"])
    assert isinstance(fake, StudentFunction)


@pytest.mark.parametrize(
    "tree",
    [
        ["NP", "|O", [1], base64.b64encode(b"\0" * 8).decode()],
        ["NP", "<i8", [3], base64.b64encode(b"\0" * 8).decode()],
        ["NP", "<i8", [-1], ""],
        ["F", "1.5"],
        ["Z", 1],
        ["L", "not a list"],
        ["D", [[1]]],
        ["B", "not base64!"],
        {"a": 1},
        ["PD", ["L", []], ["PRI", 0, 2, 1, None], [["V", ["NP", "<i8", [1], "AAAAAAAAAAA="]]]],
    ],
)
def test_malformed_trees_are_refused(tree):
    with pytest.raises((ValueError, TypeError, KeyError, IndexError)):
        decode(tree)


def test_too_large_values_are_refused_on_the_way_out(monkeypatch):
    monkeypatch.setattr(codec, "MAX_ITEMS", 100)
    with pytest.raises(codec._Limit):
        encode(list(range(1000)))


def test_names_a_test_reads_and_binds():
    source = (
        "import numpy as _np\n"
        "from course.race import disaster_probability as _oracle\n"
        "def _check(x):\n    return helper(x) == expected\n"
        "for _i in range(3):\n    assert add(_i, 1) == _i + 1\n"
        "print(f'{squares}')\n"
        "%time x = 1\n"
    )
    assert cellnames.names_used(source) >= {"helper", "expected", "add", "squares"}
    assert not cellnames.names_used(source) & {"range", "print", "len"}
    # the magic line is parsed the way IPython runs it: a call, binding nothing here
    assert cellnames.names_bound(source) == {"_np", "_oracle", "_check", "_i"}


# ----------------------------------------------------------- the evaluator process


@pytest.fixture()
def process(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-I", evaluator.__file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert json.loads(proc.stdout.readline())["op"] == "ready"
    yield proc
    proc.kill()
    proc.wait()


def _values(**names) -> str:
    refs = {}
    data = {k: encode(v, refs) for k, v in names.items()}
    return base64.b64encode(json.dumps(data).encode()).decode()


def _run(proc, source, values="", calls=None):
    proc.stdin.write(
        json.dumps({"op": "run", "id": "t", "source": source, "values": values}).encode() + b"\n"
    )
    proc.stdin.flush()
    while True:
        message = json.loads(proc.stdout.readline())
        if message["op"] == "done":
            return message
        assert message["op"] == "call"
        args, kwargs = decode(json.loads(base64.b64decode(message["payload"])))
        result = calls(message["ref"], args, kwargs)
        payload = base64.b64encode(json.dumps(result).encode()).decode()
        proc.stdin.write(json.dumps({"op": "reply", "payload": payload}).encode() + b"\n")
        proc.stdin.flush()


def test_evaluator_passes_a_right_answer_and_fails_a_wrong_one(process):
    test = "assert type(squares) is list\nassert squares == [0, 1, 4, 9, 16]"
    ok = _run(process, test, _values(squares=[0, 1, 4, 9, 16]))
    assert ok["status"] == "ok" and ok["outputs"] == []
    bad = _run(process, test, _values(squares=[1, 2, 3, 4, 5]))
    assert bad["status"] == "error"
    assert bad["outputs"][0]["ename"] == "AssertionError"
    assert "line 2" in "\n".join(bad["outputs"][0]["traceback"])


def test_evaluator_starts_with_the_standard_library_only(process):
    # run as a script, it loads codec.py and cellnames.py by path, not the course.grading
    # package (whose __init__ imports nbgrader)
    source = "import sys\nassert not {'course', 'course.grading', 'nbgrader'} & set(sys.modules)"
    assert _run(process, source)["status"] == "ok"


def test_evaluator_uses_genuine_builtins_whatever_the_notebook_defined(process):
    values = _values(total=5, len=AlwaysEqual(), abs=lambda x: 0)
    done = _run(process, "assert abs(total - 7) < 1e-9 or len([]) == 1", values)
    assert done["status"] == "error"


def test_evaluator_keeps_the_tests_own_names_over_the_notebooks(process):
    _run(process, "def _check(x):\n    assert x == 5", _values())
    done = _run(process, "_check(answer)", _values(answer=4, _check=print))
    assert done["status"] == "error"


def test_evaluator_calls_student_functions_and_maps_their_exceptions(process):
    def calls(ref, args, kwargs):
        if args[0] < 0:
            return ["raise", "ValueError", "negative"]
        return ["ok", encode(args[0] * 2)]

    source = "assert double(4) == 8\ntry:\n    double(-1)\nexcept ValueError:\n    pass\nelse:\n    raise AssertionError"
    refs = {}
    values = base64.b64encode(json.dumps({"double": encode(lambda x: x, refs)}).encode()).decode()
    done = _run(process, source, values, calls)
    assert done["status"] == "ok", done


def test_evaluator_reports_output_like_ipython(process):
    done = _run(process, "import sys\nprint('hi')\nsys.stderr.write('warn')\n0.5")
    kinds = [(o["output_type"], o.get("name")) for o in done["outputs"]]
    assert kinds == [("stream", "stdout"), ("stream", "stderr"), ("execute_result", None)]
    assert done["outputs"][2]["data"]["text/plain"] == "0.5"
    quiet = _run(process, "1 + 1;")
    assert quiet["outputs"] == []


def test_input_in_a_test_cannot_read_the_protocol(process):
    done = _run(process, "input()")
    assert done["status"] == "error"
    assert done["outputs"][0]["ename"] == "EOFError"
