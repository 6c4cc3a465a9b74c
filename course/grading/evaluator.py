"""Test verdicts decided outside the student's kernel: the clean evaluator process.

Everything inside a student's kernel belongs to the student: hooks, transformers, exception
handlers, threads, monkeypatched helpers. So ``course grade`` never asks that kernel whether
a test passed. For each autograder test cell it

1. asks the kernel (through :func:`course.grading.codec.export`, injected into the kernel)
   for the values of the names the test uses (:mod:`course.grading.cellnames`), as plain
   data (:func:`course.grading.codec.encode`);
2. runs the instructor's test source in a separate, clean Python process (this file run as
   a script, :func:`main`) on those values rebuilt with the genuine types
   (:func:`course.grading.codec.decode`: no unpickling, no student code). Calling a
   student's function sends the arguments to the kernel and brings back the result as data
   (:class:`course.grading.codec.StudentFunction`).

The kernel can send any data it likes, but data that passes the instructor's test *is* a
right answer: a wrong answer cannot earn the points whatever the kernel does to itself.

Run as ``python -I evaluator.py``, this file loads its two standard-library siblings
(``codec.py``, ``cellnames.py``) by path and never imports the ``course.grading`` package
(whose ``__init__`` loads nbgrader): the evaluator starts with the standard library only.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import json
import os
import sys
import traceback

PROTOCOL = 1

__all__ = ["PROTOCOL", "main"]


def _sibling(name: str):
    """The module ``name`` of this folder, loaded from its file (when run as a script)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_course_grade_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


if __package__:
    from course.grading import cellnames, codec
else:  # run as the evaluator: python -I evaluator.py
    codec, cellnames = _sibling("codec"), _sibling("cellnames")


# ---------------------------------------------------------- the evaluator process


class _Channel:
    """Newline-delimited JSON over two file descriptors (kept away from the test's I/O)."""

    def __init__(self, read_fd: int, write_fd: int):
        self.reader = os.fdopen(read_fd, "rb", buffering=0)
        self.writer = os.fdopen(write_fd, "wb", buffering=0)
        self._buffer = b""

    def send(self, message: dict) -> None:
        self.writer.write(json.dumps(message).encode() + b"\n")

    def receive(self) -> dict:
        while b"\n" not in self._buffer:
            chunk = self.reader.read(1 << 20)
            if not chunk:
                raise EOFError("the grader closed the channel")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)


class _Capture:
    """A text stream that records what a test prints, as notebook stream outputs."""

    def __init__(self, outputs: list, name: str):
        self.outputs, self.name = outputs, name

    def write(self, text) -> int:
        text = str(text)
        last = self.outputs[-1] if self.outputs else None
        if last and last.get("output_type") == "stream" and last.get("name") == self.name:
            if len(last["text"]) < codec.MAX_TEXT:
                last["text"] += text[: codec.MAX_TEXT - len(last["text"])]
        else:
            self.outputs.append(
                {"output_type": "stream", "name": self.name, "text": text[: codec.MAX_TEXT]}
            )
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Evaluator:
    def __init__(self, channel: _Channel):
        self.channel = channel
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.test_defined: set[str] = set()
        self.outputs: list = []
        self.namespace["display"] = self._display

    def _display(self, *values, **_ignored) -> None:
        for value in values:
            text = repr(value)[: codec.MAX_TEXT]
            data = {"text/plain": text}
            self.outputs.append({"output_type": "display_data", "data": data, "metadata": {}})

    def call(self, ref, args, kwargs):
        payload = codec.to_base64(json.dumps(codec.encode([list(args), dict(kwargs)])).encode())
        self.channel.send({"op": "call", "ref": ref, "payload": payload})
        reply = self.channel.receive()
        if reply.get("op") != "reply":
            raise RuntimeError("the grader sent an unexpected message")
        if reply.get("error"):
            raise TimeoutError(str(reply["error"]))
        result = json.loads(codec.from_base64(reply["payload"]))
        if type(result) is not list or not result:
            raise codec.StudentCodeError("the notebook sent back a malformed result")
        if result[0] == "ok" and len(result) == 2:
            return codec.decode(result[1], self.call)
        name = str(result[1]) if len(result) > 1 else "Exception"
        message = str(result[2]) if len(result) > 2 else ""
        kind = getattr(builtins, name, None)
        if not (isinstance(kind, type) and issubclass(kind, Exception)):
            kind, message = codec.StudentCodeError, f"{name}: {message}"
        raise kind(message)

    def run(self, cell_id: str, source: str, values_b64: str) -> dict:
        self.outputs = []
        try:
            values = json.loads(codec.from_base64(values_b64)) if values_b64 else {}
            if type(values) is not dict:
                values = {}
        except ValueError:
            values = {}
        for name in list(self.namespace):
            if name not in self.test_defined and not name.startswith("__") and name != "display":
                del self.namespace[name]
        for name, tree in values.items():
            if name in self.test_defined or name in cellnames.SKIP_NAMES or name.startswith("__"):
                continue
            try:
                self.namespace[name] = codec.decode(tree, self.call)
            except Exception as exc:
                self.namespace[name] = codec.opaque_class("object", "builtins")(
                    f"could not be read: {type(exc).__name__}"
                )
        status = "ok"
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Capture(self.outputs, "stdout"), _Capture(self.outputs, "stderr")
        filename = f"<test {cell_id}>"
        try:
            tree = cellnames.parse_cell(source)
            last = None
            quiet = source.rstrip().endswith(";")  # IPython shows no value then
            if tree.body and isinstance(tree.body[-1], ast.Expr) and not quiet:
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, filename, "exec"), self.namespace)
            if last is not None:
                value = eval(compile(last, filename, "eval"), self.namespace)
                if value is not None:
                    self.namespace["_"] = value
                    data = {"text/plain": repr(value)[: codec.MAX_TEXT]}
                    self.outputs.append(
                        {"output_type": "execute_result", "data": data, "metadata": {}}
                    )
        except BaseException as exc:  # noqa: BLE001 - every failure is the test's verdict
            status = "error"
            self.outputs.insert(0, _error_output(exc, filename, source))
        finally:
            sys.stdout, sys.stderr = stdout, stderr
            with contextlib.suppress(SyntaxError):
                self.test_defined |= cellnames.names_bound(source)
        return {"op": "done", "status": status, "outputs": self.outputs}


def _error_output(exc: BaseException, filename: str, source: str) -> dict:
    """An IPython-like error output; ``line N`` names the failing line of the test cell."""
    lines = source.splitlines()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    text = ["Traceback (most recent call last):"]
    for frame in frames:
        code = lines[frame.lineno - 1].strip() if 0 < (frame.lineno or 0) <= len(lines) else ""
        text.append(f"  Cell {filename}, line {frame.lineno}")
        if code:
            text.append(f"    {code}")
    text.append(f"{type(exc).__name__}: {exc}".rstrip(": ").rstrip())
    return {
        "output_type": "error",
        "ename": type(exc).__name__,
        "evalue": str(exc)[: codec.MAX_TEXT],
        "traceback": text,
    }


def main() -> int:
    """Serve the grader: run test cells on demand (see :mod:`course.grading.verified`)."""
    channel = _Channel(os.dup(0), os.dup(1))
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    here = os.getcwd()
    if here not in sys.path:
        sys.path.insert(0, here)  # the instructor's files of the assignment, nothing else
    os.environ.setdefault("MPLBACKEND", "Agg")
    evaluator = _Evaluator(channel)
    channel.send({"op": "ready", "protocol": PROTOCOL})
    while True:
        try:
            message = channel.receive()
        except (EOFError, ValueError):
            return 0
        if message.get("op") != "run":
            return 0
        source, cell_id = str(message.get("source", "")), str(message.get("id", "test"))
        channel.send(evaluator.run(cell_id, source, message.get("values", "")))


if __name__ == "__main__":
    sys.exit(main())
