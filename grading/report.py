"""What the grader writes: ``grades.csv``, ``feedback/<key>.md``, ``results/<key>.json`` (Gradescope's format).

A result (from `grading.runner.grade_submission`) is a dict: ``path``, ``key``, ``notebook``, ``title``,
``identified_by``, ``status``, ``total``, ``max``, ``steps`` (each ``function``, ``title``, ``points``, ``score``,
``passed``, ``message``, ``hint``, ``outcome``), ``questions`` (``key``, ``prompt``, ``points``, ``answer``),
``notes`` and ``seconds``. The files are written into a fresh folder and moved into place at the end, so
``feedback/`` and ``results/`` hold exactly this run's files, whatever a submission wrote there meanwhile.
"""

import csv
import io
import json
import os
import shutil
import tempfile


def step_label(assignment_steps, step):
    """A step's column label: its function, with the checker when two steps check one function."""
    same = [s for s in assignment_steps if s["function"] == step["function"]]
    return step["function"] if len(same) == 1 else f"{step['function']} ({step['checker']})"


def _points(x):
    return "" if x is None else f"{x:g}"


def columns(results):
    """The per-step and per-question columns, notebook by notebook, in the order the results name them."""
    cols = []
    for r in results:
        for s in r["steps"]:
            col = f"{r['notebook']}:{step_label(r['steps'], s)}"
            if col not in cols:
                cols.append(col)
        for q in r["questions"]:
            col = f"{r['notebook']}:{q['key']} (by hand)"
            if col not in cols:
                cols.append(col)
    return cols


def grades_csv(results):
    cols = columns(results)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["path", "notebook", "total", "max", *cols, "status", "notes"])
    for r in results:
        cells = {f"{r['notebook']}:{step_label(r['steps'], s)}": _points(s["score"]) for s in r["steps"]}
        cells.update({f"{r['notebook']}:{q['key']} (by hand)": "to grade" for q in r["questions"]})
        w.writerow([r["path"], r["notebook"], _points(r["total"]), _points(r["max"]),
                    *[cells.get(c, "") for c in cols], r["status"], "; ".join(r["notes"])[:500]])
    return buf.getvalue()


def _quote(text):
    return "\n".join("> " + line if line.strip() else ">" for line in str(text).splitlines()) or "> (empty)"


def feedback_md(r):
    """The student's feedback: per step the checker's verdict and hint, the written answers, the run's notes."""
    heading = r["title"] or r["notebook"] or os.path.basename(r["path"])
    lines = [f"# Feedback: {heading}", "", f"Submission: `{r['path']}`"]
    if r["notebook"]:
        lines[-1] += f" (notebook `{r['notebook']}`, recognized by its {r['identified_by']})"
    score = f"**Score: {_points(r['total'])} / {_points(r['max'])}**" if r["max"] is not None else "**Not graded**"
    lines += ["", f"{score} · status: {r['status']}", ""]
    for s in r["steps"]:
        lines += [f"## {s['title']} ({_points(s['score'])} / {_points(s['points'])})", "", s["message"], ""]
    if r["questions"]:
        lines += ["## Written questions (to be graded by hand)", ""]
        for q in r["questions"]:
            answer = q["answer"] if q["answer"] else "(no answer)" if q["answer"] is not None \
                else "(no answer cell found)"
            lines += [f"### {q['key']} ({_points(q['points'])} points)", "", _quote(q["prompt"]), "",
                      "Your answer:", "", _quote(answer), ""]
    if r["notes"]:
        lines += ["## Notes on the run", ""] + [f"- {n}" for n in r["notes"]] + [""]
    return "\n".join(lines)


def results_json(r):
    """Gradescope's autograder ``results.json`` for one submission."""
    tests = [{"name": s["title"], "score": s["score"], "max_score": s["points"], "output": s["message"]}
             for s in r["steps"]]
    for q in r["questions"]:
        tests.append({"name": f"{q['key']} (graded by hand, {_points(q['points'])} points)", "score": 0.0,
                      "max_score": 0.0, "output": q["answer"] or "(no answer)"})
    output = f"Status: {r['status']}." + "".join(f"\n- {n}" for n in r["notes"])
    return {"score": r["total"], "output": output, "tests": tests, "execution_time": r["seconds"]}


def write_all(results, out_dir):
    """Write every file into a fresh folder inside ``out_dir``, then move them into place."""
    os.makedirs(out_dir, exist_ok=True)
    stage = tempfile.mkdtemp(prefix=".grading-", dir=out_dir)
    try:
        for sub in ("feedback", "results"):
            os.makedirs(os.path.join(stage, sub))
        for r in results:
            with open(os.path.join(stage, "feedback", f"{r['key']}.md"), "w", encoding="utf-8") as f:
                f.write(feedback_md(r))
            with open(os.path.join(stage, "results", f"{r['key']}.json"), "w", encoding="utf-8") as f:
                json.dump(results_json(r), f, indent=1, ensure_ascii=False)
        with open(os.path.join(stage, "grades.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(grades_csv(results))
        for name in ("feedback", "results", "grades.csv"):
            target = os.path.join(out_dir, name)
            if os.path.isdir(target) and not os.path.islink(target):
                os.replace(target, os.path.join(stage, f"old-{name}"))
            elif os.path.lexists(target):
                os.remove(target)
            os.replace(os.path.join(stage, name), target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
