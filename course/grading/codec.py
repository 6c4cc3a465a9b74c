"""The plain-data codec, and the kernel's side of the export protocol.

A test's verdict is never taken from the student's kernel (see :mod:`course.grading.evaluator`).
Instead the values a test reads travel from the kernel to the grader as *plain data*:
:func:`encode` turns numbers, strings, containers, numpy arrays and pandas objects into a
JSON-ready tree; a student's function becomes a reference; anything else becomes an opaque
placeholder that equals nothing. :func:`decode` rebuilds the values with the genuine types
(no unpickling, no student code); a student's function becomes a :class:`StudentFunction`
whose calls go back to the kernel with data in and data out.

:func:`export` and :func:`call` are the kernel's side: ``course grade`` injects this file as
source text into the student's kernel (:class:`course.grading.verified.VerifiedExecute`) and
asks it for ``export([...names])`` and ``call(ref, args)``; both answer base64 of JSON.

This file uses only the standard library at import time (numpy and pandas are imported when
a value needs them), because it runs in the student's kernel and in the evaluator process.

Examples
--------
>>> decode(encode({"a": [1, 2.5, None], "b": (True, "x")}))
{'a': [1, 2.5, None], 'b': (True, 'x')}
>>> class Liar:
...     def __eq__(self, other):
...         return True
>>> fake = decode(encode(Liar()))
>>> fake == 3, type(fake).__name__
(False, 'Liar')
"""

from __future__ import annotations

import base64
import datetime
import importlib
import json
import math
import sys

MAX_DEPTH = 100
MAX_ITEMS = 2_000_000
MAX_TEXT = 1_000_000
NO_IMPORT = frozenset({"antigravity", "this", "idlelib", "tkinter", "turtle", "__main__"})

__all__ = [
    "MAX_TEXT",
    "Opaque",
    "StudentCodeError",
    "StudentFunction",
    "call",
    "decode",
    "encode",
    "export",
    "from_base64",
    "opaque_class",
    "serve",
    "to_base64",
]


# --------------------------------------------------------------------------- codec


class _Limit(Exception):
    pass


def to_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def from_base64(text) -> bytes:
    if type(text) is not str:
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def encode(value, refs: dict | None = None):
    """``value`` as a JSON-ready tree of plain data (see the module docstring).

    ``refs`` collects the callables met on the way (reference number -> object), so a
    caller can later call them by number; without it, callables become opaque.
    """
    budget = [MAX_ITEMS]
    return _enc(value, refs, 0, budget)


def _opaque(value, why: str = "") -> list:
    kind = type(value)
    name = getattr(kind, "__name__", "object")
    module = getattr(kind, "__module__", "")
    return ["OP", str(name)[:80], str(module)[:80], why[:200]]


def _enc(value, refs, depth, budget):  # noqa: C901 - one branch per supported type
    budget[0] -= 1
    if budget[0] < 0:
        raise _Limit("the value is too large to grade (more than 2 million items)")
    if depth > MAX_DEPTH:
        return _opaque(value, "nested too deeply")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        if kind is str and len(value) > 50 * MAX_TEXT:
            raise _Limit("a string is too long to grade")
        return value
    if kind is int:
        return value if abs(value) < 1 << 53 else ["I", str(value)]
    if kind is float:
        if math.isfinite(value):
            return value
        return ["F", repr(value)]
    if kind is list or kind is tuple or kind is set or kind is frozenset:
        tag = {list: "L", tuple: "T", set: "S", frozenset: "FS"}[kind]
        return [tag, [_enc(v, refs, depth + 1, budget) for v in value]]
    if kind is dict:
        return [
            "D",
            [
                [_enc(k, refs, depth + 1, budget), _enc(v, refs, depth + 1, budget)]
                for k, v in value.items()
            ],
        ]
    if kind is bytes:
        return ["B", to_base64(value)]
    if kind is complex:
        return ["C", repr(value.real), repr(value.imag)]
    if kind is range:
        return ["R", value.start, value.stop, value.step]
    if kind is datetime.datetime and value.tzinfo is None:
        return ["DT", value.isoformat()]
    if kind is datetime.date:
        return ["DA", value.isoformat()]
    if kind is datetime.timedelta:
        return ["TD", value.days, value.seconds, value.microseconds]
    numpy = sys.modules.get("numpy")
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        found = _enc_pandas(value, refs, depth, budget, pandas, numpy)
        if found is not None:
            return found
    if numpy is not None:
        if kind is numpy.ndarray:
            return _enc_array(value, refs, depth, budget, numpy)
        scalar = isinstance(value, numpy.generic) and kind.__module__ == "numpy"
        if scalar and value.dtype.kind in "biufcmMSU":
            return ["NS", value.dtype.str, to_base64(numpy.asarray(value).tobytes())]
    if isinstance(value, type(sys)):
        return ["MOD", str(getattr(value, "__name__", ""))]
    if isinstance(value, type):
        return [
            "CLS",
            str(getattr(value, "__module__", "")),
            str(getattr(value, "__qualname__", "")),
        ]
    if refs is not None and getattr(kind, "__module__", None) == "__main__" and not callable(value):
        return _enc_object(value, refs, depth, budget)
    if callable(value) and refs is not None:
        ref = len(refs) + 1
        refs[ref] = value
        module = getattr(value, "__module__", None)
        qualname = getattr(value, "__qualname__", None)
        ufunc = numpy is not None and kind is getattr(numpy, "ufunc", None)
        if ufunc:
            module, qualname = "numpy", getattr(value, "__name__", "")
        return [
            "FN",
            ref,
            str(module or ""),
            str(qualname or ""),
            str(getattr(value, "__name__", "f")),
        ]
    return _opaque(value)


def _enc_object(value, refs, depth, budget):
    """An instance of a class of the notebook: its data attributes and its methods.

    Methods travel as references (calls run in the kernel); special methods (``__eq__``,
    ``__float__``...) do not travel at all, so such an object can never pass for a number
    or equal everything.
    """
    import inspect

    kind = type(value)
    attributes = {}
    state = getattr(value, "__dict__", None)
    if type(state) is dict:
        for name, item in state.items():
            if type(name) is str and name.isidentifier() and not name.startswith("__"):
                attributes[name] = _enc(item, refs, depth + 1, budget)
    for name in dir(kind):
        if name.startswith("_") or name in attributes:
            continue
        member = inspect.getattr_static(kind, name, None)
        if isinstance(member, (staticmethod, classmethod, property)) or callable(member):
            try:
                attributes[name] = _enc(getattr(value, name), refs, depth + 1, budget)
            except _Limit:
                raise
            except Exception as exc:  # a failing property stays unreadable
                attributes[name] = _opaque(value, f"{name}: {type(exc).__name__}")
    return ["OBJ", str(kind.__name__)[:80], attributes]


def _enc_array(value, refs, depth, budget, numpy):
    if value.dtype.kind in "biufcmMSU" and value.dtype.fields is None:
        budget[0] -= value.size // 8
        if budget[0] < 0:
            raise _Limit("an array is too large to grade")
        data = numpy.ascontiguousarray(value).tobytes()
        return ["NP", value.dtype.str, list(value.shape), to_base64(data)]
    if value.dtype.kind == "O":
        flat = [_enc(v, refs, depth + 1, budget) for v in value.reshape(-1).tolist()]
        return ["NPO", list(value.shape), flat]
    return _opaque(value, "unsupported array dtype")


def _enc_pandas(value, refs, depth, budget, pandas, numpy):
    kind = type(value)
    if kind is pandas.Timestamp:
        return ["PT", int(value.value), None if value.tz is None else str(value.tz)]
    if kind is pandas.Timedelta:
        return ["PTD", int(value.value)]
    if value is pandas.NaT:
        return ["NAT"]
    if value is getattr(pandas, "NA", object()):
        return ["NA"]
    if kind is pandas.Series:
        return [
            "PS",
            _enc(value.name, refs, depth + 1, budget),
            _enc_index(value.index, refs, depth, budget, pandas, numpy),
            _enc_values(value, refs, depth, budget, pandas, numpy),
        ]
    if kind is pandas.DataFrame:
        columns = [
            _enc_values(value.iloc[:, i], refs, depth, budget, pandas, numpy)
            for i in range(value.shape[1])
        ]
        return [
            "PD",
            _enc_index(value.columns, refs, depth, budget, pandas, numpy),
            _enc_index(value.index, refs, depth, budget, pandas, numpy),
            columns,
        ]
    if isinstance(value, pandas.Index) and kind.__module__.startswith("pandas"):
        return _enc_index(value, refs, depth, budget, pandas, numpy)
    return None


def _enc_values(series, refs, depth, budget, pandas, numpy):
    """A Series' values: an array for numpy dtypes, else its items plus the dtype name."""
    dtype = series.dtype
    if isinstance(dtype, pandas.CategoricalDtype):
        return [
            "CAT",
            _enc_index(dtype.categories, refs, depth, budget, pandas, numpy),
            _enc_array(numpy.asarray(series.cat.codes), refs, depth, budget, numpy),
            bool(dtype.ordered),
        ]
    if type(dtype) is numpy.dtype and dtype.kind != "O":
        return ["V", _enc_array(series.to_numpy(), refs, depth, budget, numpy)]
    items = [_enc(v, refs, depth + 1, budget) for v in series.tolist()]
    return ["VO", str(dtype), items]


def _enc_index(index, refs, depth, budget, pandas, numpy):
    name = _enc(index.name, refs, depth + 1, budget)
    if type(index) is pandas.RangeIndex:
        return ["PRI", index.start, index.stop, index.step, name]
    if type(index) is pandas.MultiIndex:
        rows = [_enc(tuple(t), refs, depth + 1, budget) for t in index.tolist()]
        names = [_enc(n, refs, depth + 1, budget) for n in index.names]
        return ["PMI", rows, names]
    return ["PI", _enc_values(index.to_series(), refs, depth, budget, pandas, numpy), name]


class Opaque:
    """Stands for a value the grader cannot carry as data: equal only to itself."""

    __slots__ = ("_why",)

    def __init__(self, why: str = ""):
        self._why = why

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __hash__(self):
        return id(self)

    def __repr__(self):
        text = f"<{type(self).__name__} object (not plain data: the grader cannot check it"
        return text + (f"; {self._why})>" if self._why else ")>")


def opaque_class(name: str, module: str) -> type:
    name = name if name.isidentifier() else "object"
    return type(name, (Opaque,), {"__slots__": (), "__module__": module or "builtins"})


_STUDENT_CLASSES: dict[str, type] = {}


def _student_class(name: str) -> type:
    """One stand-in class per class name of the notebook, so ``isinstance`` tests work."""
    name = name if name.isidentifier() else "object"
    if name not in _STUDENT_CLASSES:
        _STUDENT_CLASSES[name] = type(name, (Opaque,), {"__module__": "__main__"})
    return _STUDENT_CLASSES[name]


def _as_dict(value) -> dict:
    if type(value) is not dict or not all(type(k) is str for k in value):
        raise ValueError("expected a mapping of names")
    return value


def decode(tree, caller=None):
    """Rebuild plain data from :func:`encode`'s tree; student callables become proxies.

    ``caller(ref, args, kwargs)`` performs a call of reference ``ref`` (see
    :class:`StudentFunction`); without it, calling a proxy raises.
    """
    return _dec(tree, caller, 0)


def _dec(tree, caller, depth):  # noqa: C901 - one branch per tag
    if depth > MAX_DEPTH + 5:
        raise ValueError("nested too deeply")
    kind = type(tree)
    if tree is None or kind is bool or kind is str or kind is int or kind is float:
        return tree
    if kind is not list or not tree or type(tree[0]) is not str:
        raise ValueError("malformed value")
    tag, rest = tree[0], tree[1:]
    if tag in ("L", "T", "S", "FS"):
        items = [_dec(v, caller, depth + 1) for v in _as_list(rest[0])]
        return {"L": list, "T": tuple, "S": set, "FS": frozenset}[tag](items)
    if tag == "D":
        return {
            _dec(k, caller, depth + 1): _dec(v, caller, depth + 1)
            for k, v in (_pair(p) for p in _as_list(rest[0]))
        }
    if tag == "I":
        return int(_text(rest[0]))
    if tag == "F":
        value = float(_text(rest[0]))
        if math.isfinite(value):
            raise ValueError("finite float sent as special")
        return value
    if tag == "B":
        return from_base64(rest[0])
    if tag == "C":
        return complex(float(_text(rest[0])), float(_text(rest[1])))
    if tag == "R":
        return range(_int(rest[0]), _int(rest[1]), _int(rest[2]))
    if tag == "DT":
        return datetime.datetime.fromisoformat(_text(rest[0]))
    if tag == "DA":
        return datetime.date.fromisoformat(_text(rest[0]))
    if tag == "TD":
        return datetime.timedelta(
            days=_int(rest[0]), seconds=_int(rest[1]), microseconds=_int(rest[2])
        )
    if tag == "OP":
        cls = opaque_class(_text(rest[0]), _text(rest[1]))
        return cls(_text(rest[2]))
    if tag == "OBJ":
        obj = _student_class(_text(rest[0]))("an object of the notebook")
        for name, item in _as_dict(rest[1]).items():
            if name.isidentifier() and not name.startswith("__"):
                setattr(obj, name, _dec(item, caller, depth + 1))
        return obj
    if tag == "MOD":
        return _module(_text(rest[0])) or opaque_class("module", "builtins")(
            "a module of the notebook"
        )
    if tag == "CLS":
        if _text(rest[0]) == "__main__" and _text(rest[1]).isidentifier():
            return _student_class(_text(rest[1]))
        found = _attribute(_text(rest[0]), _text(rest[1]))
        if isinstance(found, type):
            return found
        return opaque_class("type", "builtins")(f"the class {_text(rest[1])[:60]} of the notebook")
    if tag == "FN":
        # never swapped for a library function of the same name: a function's __module__
        # and __qualname__ are the student's to set (a - b posing as operator.add)
        return StudentFunction(_int(rest[0]), _text(rest[3]), caller)
    return _dec_library(tag, rest, caller, depth)


def _dec_library(tag, rest, caller, depth):  # noqa: C901
    import numpy

    if tag == "NP":
        return _array(rest)
    if tag == "NS":
        dtype = _dtype(rest[0])
        return numpy.frombuffer(from_base64(rest[1]), dtype=dtype)[0]
    if tag == "NPO":
        shape = [_int(n) for n in _as_list(rest[0])]
        items = [_dec(v, caller, depth + 1) for v in _as_list(rest[1])]
        out = numpy.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            out[i] = item
        return out.reshape(shape)
    import pandas

    if tag == "PT":
        return pandas.Timestamp(_int(rest[0]), tz=None if rest[1] is None else _text(rest[1]))
    if tag == "PTD":
        return pandas.Timedelta(_int(rest[0]))
    if tag == "NAT":
        return pandas.NaT
    if tag == "NA":
        return pandas.NA
    if tag == "PS":
        name = _dec(rest[0], caller, depth + 1)
        index = _dec(rest[1], caller, depth + 1)
        return _values(rest[2], caller, depth, index=index, name=name)
    if tag == "PD":
        columns = _dec(rest[0], caller, depth + 1)
        index = _dec(rest[1], caller, depth + 1)
        data = [_values(v, caller, depth, index=index) for v in _as_list(rest[2])]
        if len(data) != len(columns):
            raise ValueError("columns and data differ in length")
        if not data:
            return pandas.DataFrame(index=index, columns=columns)
        frame = pandas.concat(data, axis=1, ignore_index=True)
        frame.columns = columns
        return frame
    if tag == "PRI":
        name = _dec(rest[3], caller, depth + 1)
        return pandas.RangeIndex(_int(rest[0]), _int(rest[1]), _int(rest[2]), name=name)
    if tag == "PMI":
        rows = [_dec(r, caller, depth + 1) for r in _as_list(rest[0])]
        names = [_dec(n, caller, depth + 1) for n in _as_list(rest[1])]
        return pandas.MultiIndex.from_tuples(rows, names=names)
    if tag == "PI":
        name = _dec(rest[1], caller, depth + 1)
        series = _values(rest[0], caller, depth)
        return pandas.Index(series, name=name)
    raise ValueError(f"unknown tag {tag[:20]!r}")


def _values(tree, caller, depth, index=None, name=None):
    import numpy
    import pandas

    tag, rest = _text(tree[0]), tree[1:]
    if tag == "V":
        values = _array(_as_list(rest[0])[1:])
    elif tag == "VO":
        dtype = pandas.api.types.pandas_dtype(_text(rest[0]))
        items = [_dec(v, caller, depth + 1) for v in _as_list(rest[1])]
        if dtype == numpy.dtype(object):
            values = numpy.empty(len(items), dtype=object)
            for i, item in enumerate(items):
                values[i] = item
        else:
            values = pandas.array(items, dtype=dtype)
    elif tag == "CAT":
        categories = _dec(rest[0], caller, depth + 1)
        codes = _array(_as_list(rest[1])[1:])
        values = pandas.Categorical.from_codes(codes, categories=categories, ordered=bool(rest[2]))
    else:
        raise ValueError("malformed column")
    if index is not None and len(index) != len(values):
        raise ValueError("index and values differ in length")
    return pandas.Series(values, index=index, name=name, copy=False)


def _array(rest):
    import numpy

    dtype = _dtype(rest[0])
    shape = [_int(n) for n in _as_list(rest[1])]
    data = from_base64(rest[2])
    count = 1
    for n in shape:
        if n < 0:
            raise ValueError("negative shape")
        count *= n
    if count * dtype.itemsize != len(data):
        raise ValueError("array shape and data differ")
    return numpy.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _dtype(text):
    import numpy

    dtype = numpy.dtype(_text(text))
    if dtype.fields is not None or dtype.kind not in "biufcmMSU":
        raise ValueError("unsupported dtype")
    return dtype


def _as_list(value) -> list:
    if type(value) is not list:
        raise ValueError("expected a list")
    return value


def _pair(value) -> list:
    if type(value) is not list or len(value) != 2:
        raise ValueError("expected a pair")
    return value


def _text(value) -> str:
    if type(value) is not str:
        raise ValueError("expected text")
    return value


def _int(value) -> int:
    if type(value) is not int:
        raise ValueError("expected an integer")
    return value


def _module(name: str):
    """The genuine module ``name`` when it is installed (never a notebook's own file)."""
    top = name.split(".")[0]
    if not name or top in NO_IMPORT or not all(p.isidentifier() for p in name.split(".")):
        return None
    try:
        return importlib.import_module(name)
    except Exception:
        return None


def _attribute(module: str, qualname: str):
    """The genuine object ``module.qualname`` (a library function), or None."""
    if not module or not qualname or module == "__main__" or "<" in qualname:
        return None
    found = _module(module)
    for part in qualname.split("."):
        if found is None or not part.isidentifier():
            return None
        found = getattr(found, part, None)
    return found


class StudentFunction:
    """A function of the student's notebook: calling it runs it in the student's kernel.

    The arguments travel as plain data and the result comes back as plain data; an
    exception raised by the student's code is re-raised here as the builtin exception of
    the same name (``ValueError`` ...) or as :class:`StudentCodeError`.
    """

    __slots__ = ("_ref", "__name__", "_caller")

    def __init__(self, ref: int, name: str, caller):
        self._ref = ref
        self.__name__ = name if name.isidentifier() else "function"
        self._caller = caller

    def __call__(self, *args, **kwargs):
        if self._caller is None:
            raise RuntimeError("the student's kernel is not reachable")
        return self._caller(self._ref, args, kwargs)

    def __repr__(self):
        return f"<function {self.__name__} of the notebook>"


class StudentCodeError(Exception):
    """An exception of a type that is not a builtin, raised by the student's code."""


# ------------------------------------------------------- the kernel side (injected)

_refs: dict = {}


def export(names) -> str:
    """(In the student's kernel.) The values of ``names`` as base64 of JSON."""
    namespace = _user_namespace()
    values = {}
    for name in names:
        if type(name) is not str or name not in namespace:
            continue
        try:
            values[name] = encode(namespace[name], _refs)
        except Exception as exc:  # one unencodable name must not hide the others
            values[name] = _opaque(namespace[name], f"{type(exc).__name__}: {exc}")
    return to_base64(json.dumps(values).encode())


def call(ref: int, payload: str) -> str:
    """(In the student's kernel.) Call reference ``ref`` with encoded arguments."""
    try:
        args, kwargs = decode(json.loads(from_base64(payload)), _local_call)
        result = ["ok", encode(_refs[ref](*args, **kwargs), _refs)]
    except BaseException as exc:  # noqa: BLE001 - reported to the grader as data
        result = ["raise", type(exc).__name__, str(exc)[:2000]]
    return to_base64(json.dumps(result).encode())


def serve(path_in: str, path_out: str) -> None:
    """(In the student's kernel.) Answer the grader's calls until it sends an empty line.

    Each line read from the FIFO ``path_in`` is ``number ref payload``; the answer,
    ``number`` and :func:`call`'s result, goes to the FIFO ``path_out``. One execute
    request serves all the calls of a test.
    """
    with open(path_in, "rb", buffering=0) as reader, open(path_out, "wb", buffering=0) as writer:
        buffer = b""
        while True:
            while b"\n" not in buffer:
                chunk = reader.read(1 << 20)
                if not chunk:
                    return
                buffer += chunk
            line, buffer = buffer.split(b"\n", 1)
            if not line:
                return
            number, ref, payload = line.decode("ascii").split(" ", 2)
            answer = call(int(ref), payload)
            writer.write(f"{number} {answer}\n".encode("ascii"))


def _local_call(ref, args, kwargs):
    return _refs[ref](*args, **kwargs)


def _user_namespace() -> dict:
    from IPython import get_ipython

    return get_ipython().user_ns
