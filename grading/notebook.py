"""Reading a submitted notebook: is it one, which assignment does it answer, where are its checks and answers."""

import json
import re
import warnings

import nbformat

MAX_BYTES = 200 << 20  # a submission larger than this is not read
MAX_ANSWER = 20_000  # characters of a written answer copied into the feedback


class NotANotebook(ValueError):
    """The submission is not a Jupyter notebook; the message says why, for the report."""


def parse(data):
    """The notebook (nbformat v4) in the bytes ``data``; raises `NotANotebook` with the reason."""
    if len(data) > MAX_BYTES:
        raise NotANotebook(f"the file is larger than the {MAX_BYTES >> 20} MB the grader reads")
    if not data.strip():
        raise NotANotebook("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotANotebook("the file is not UTF-8 text (a binary file?)") from None
    try:
        tree = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})" if hasattr(exc, "lineno") else ""
        raise NotANotebook(f"the file is not valid JSON{where}; a .py file or a damaged download?") from None
    if not isinstance(tree, dict) or not isinstance(tree.get("nbformat"), int) or \
            not isinstance(tree.get("cells", tree.get("worksheets")), list):
        raise NotANotebook("the file is JSON but not a Jupyter notebook (no 'nbformat' and 'cells')")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4, capture_validation_error={})
        for cell in nb.cells:
            if not isinstance(cell.get("source"), str) or cell.get("cell_type") not in ("code", "markdown", "raw"):
                raise ValueError("a cell without a source or with an unknown type")
    except Exception as exc:  # nbformat raises many kinds on damaged notebooks
        raise NotANotebook(f"the notebook cannot be read: {type(exc).__name__}: {str(exc)[:200]}") from None
    return nb


def title(nb):
    """The text of the notebook's first '# ' heading, or ''."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _normal(text):
    return re.sub(r"[\W_]+", "", text).casefold()


def identify(nb, registry):
    """(assignment, how) for the notebook: by its ``metadata.course.notebook``, else by its H1 title.

    ``how`` is 'metadata' or 'title'; the assignment is None when neither matches (``how`` then says what was seen).
    """
    course = nb.metadata.get("course")
    stem = course.get("notebook") if isinstance(course, dict) else None
    if isinstance(stem, str) and stem in registry:
        return registry[stem], "metadata"
    heading = title(nb)
    if heading:
        for assignment in registry.values():
            if _normal(assignment.title) == _normal(heading):
                return assignment, "title"
    seen = [f"metadata names {stem!r}" if stem is not None else "no course metadata",
            f"title {heading!r}" if heading else "no '# ' title"]
    return None, ", ".join(seen)


def checker_line(step):
    """Regex for a step's checker call on a line of its own: ``[helpers.exercises.]check_x(function)``."""
    return re.compile(rf"^(?:helpers\.exercises\.)?{re.escape(step.checker)}\(\s*{re.escape(step.function)}\s*\)"
                      r"\s*;?\s*(?:#.*)?$", re.M)


def plan(nb, steps):
    """The code cells to run, each as (cell number, source without its checker lines, [step indices checked]).

    The grader runs the checkers itself, in its own process, right after the cell that held their call;
    a step whose call is nowhere is checked after the last cell.
    """
    cells, placed = [], set()
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        source, checked = cell.source, []
        for k, step in enumerate(steps):
            pattern = checker_line(step)
            if pattern.search(source):  # every call goes; the first one places the step
                source = pattern.sub("pass  # checked by the grader", source)
                if k not in placed:
                    checked.append(k)
                    placed.add(k)
        cells.append((number, source, checked))
    return cells


def answers(nb, questions):
    """{key: the student's answer text (or '')} for each written question, from the cell after
    its ``**Your answer (Qn):**`` line; a key with no such cell maps to None."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        first, _, rest = cell.source.lstrip().partition("\n")
        for q in questions:
            marker = f"**Your answer ({q.key}):**"
            if first.strip().startswith(marker) and q.key not in found:
                text = (first.strip()[len(marker):] + "\n" + rest).strip()
                found[q.key] = text[:MAX_ANSWER] + (" [... cut]" if len(text) > MAX_ANSWER else "")
    return {q.key: found.get(q.key) for q in questions}


_EXERCISES = re.compile(r"\bexercises\b|\bResult\b|_core\b|_ref_")
_PLAIN_IMPORT = re.compile(r"^\s*from\s+helpers\.exercises\s+import\s+[\w\s,()]+$"
                           r"|^\s*import\s+helpers(\.exercises)?\s*$")


def suspicious_lines(cells):
    """(cell number, line) for each line that reaches into helpers.exercises beyond importing checkers."""
    hits = []
    for number, source, _ in cells:
        for line in source.splitlines():
            if _EXERCISES.search(line) and not _PLAIN_IMPORT.match(line) and not line.lstrip().startswith("#"):
                hits.append((number, line.strip()[:120]))
    return hits
