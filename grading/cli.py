"""``python -m grading SUBMISSION... [--out DIR]``: grade submitted notebooks with the course's checkers.

Exit status 0 when every submission was graded (a failed submission is a grade, not an error); 2 for a misuse
of the command (a path that does not exist, a bad option, nothing to grade).
"""

import argparse
import concurrent.futures as cf
import dataclasses
import hashlib
import importlib
import multiprocessing
import os
import sys
import tempfile
from multiprocessing import resource_tracker

from tqdm import tqdm

from . import reaper, report
from .runner import COURSE_ROOT, Config, grade_submission
from .submissions import UsageError, discover

_worker = {}  # in a worker process: the checkers and registry it loaded, and whether they are the instructor's


def fingerprint(root):
    """A hash of every file under ``root/helpers`` (the checkers, the registry and what they import)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(os.path.join(root, "helpers"))):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                h.update(os.path.relpath(path, root).encode() + b"\0")
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


COURSE = ("helpers.exercises.assignments", "helpers.exercises")  # where the registry and the checkers live


def load_course(root, course=COURSE):
    """(registry, checker module) from the instructor's tree at ``root``; raises UsageError if they disagree."""
    if root not in sys.path:
        sys.path.insert(0, root)
    helpers = importlib.import_module("helpers")
    if not os.path.abspath(helpers.__file__).startswith(os.path.join(root, "helpers") + os.sep):
        raise UsageError(f"helpers was imported from {helpers.__file__}, not from the course at {root}")
    registry = importlib.import_module(course[0]).ASSIGNMENTS
    exercises = importlib.import_module(course[1])
    missing = [f"{a.notebook}: {s.checker}" for a in registry.values() for s in a.steps
               if not callable(getattr(exercises, s.checker, None))]
    if missing:
        raise UsageError(f"the registry names checkers {course[1]} lacks: " + ", ".join(missing))
    return registry, exercises


def _init_worker(root, expected, course):
    import torch

    torch.set_num_threads(1)
    _worker["course"] = load_course(root, course)
    _worker["trusted"] = fingerprint(root) == expected


def _grade_in_worker(submission, config, marker):
    with open(marker, "w"):
        pass  # "in flight": if this worker is killed, the file stays and tells which submission it was grading
    if not _worker.get("trusted"):
        result = {**_blank(submission), "status": "crashed",
                  "notes": ["not graded: the course's helpers changed on disk while grading (a submission writing "
                            "to the instructor's tree?); check the tree and grade again"]}
    else:
        registry, exercises = _worker["course"]
        result = grade_submission(submission, config, registry, exercises)
    os.remove(marker)
    return result


def _blank(submission):
    return {"path": submission.display, "key": submission.key, "notebook": "", "title": "", "identified_by": "",
            "status": "", "total": 0.0, "max": None, "steps": [], "questions": [], "notes": [], "seconds": 0.0}


def _pool_round(indices, submissions, results, config, jobs, course, markers, bar):
    """Grade ``indices`` in a fresh pool; the indices in flight when a worker died (empty if none died)."""
    expected = fingerprint(config.course_root)
    broken = False
    with cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
                                initargs=(config.course_root, expected, course)) as pool:
        futures = {pool.submit(_grade_in_worker, submissions[i], config, os.path.join(markers, str(i))): i
                   for i in indices}
        for future in cf.as_completed(futures):
            try:
                results[futures[future]] = future.result()
                bar.update(1)
            except cf.process.BrokenProcessPool:
                broken = True
    if not broken:
        return set()
    unfinished = {i for i in indices if results[i] is None}
    return {i for i in unfinished if os.path.exists(os.path.join(markers, str(i)))} or unfinished


def grade_all(submissions, config, jobs, progress=True, course=COURSE):
    """The result of each submission, in order, graded in ``jobs`` worker processes.

    A worker that dies (killed by what it was running) is replaced. The submissions it was grading are graded
    again one at a time, and one that kills its worker again is reported as crashed."""
    expected = fingerprint(config.course_root)
    results, suspect = [None] * len(submissions), set()
    bar = tqdm(total=len(submissions), unit="notebook", disable=None if progress else True, file=sys.stderr)
    reaper.become_subreaper()  # what outlives a killed worker comes back here, and is killed below
    resource_tracker.ensure_running()  # multiprocessing's own helper process: known, so spared
    known = reaper.children()
    with tempfile.TemporaryDirectory(prefix="grading-run-") as run_dir:
        markers = os.path.join(run_dir, "in-flight")
        os.makedirs(markers)
        config = dataclasses.replace(config, scratch_parent=run_dir)  # removed with it, even after a killed worker
        pending = list(range(len(submissions)))
        while pending:
            for i in [i for i in pending if i in suspect]:  # alone: a death now is its own doing
                if _pool_round([i], submissions, results, config, 1, course, markers, bar):
                    results[i] = {**_blank(submissions[i]), "status": "crashed",
                                  "notes": ["the grader's worker process was killed while grading it"]}
                    bar.update(1)
            rest = [i for i in pending if i not in suspect]
            if rest:
                suspect |= _pool_round(rest, submissions, results, config, jobs, course, markers, bar)
            pending = [i for i in pending if results[i] is None]
        reaper.kill_strays(known)
    bar.close()
    if fingerprint(config.course_root) != expected:
        print("warning: files under helpers/ changed during grading (a submission writing to the course tree?); "
              "the checkers had been loaded before, but inspect the tree", file=sys.stderr)
    return results


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


def _nonnegative(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or positive, got {text}")
    return value


def parser():
    p = argparse.ArgumentParser(prog="python -m grading", formatter_class=argparse.ArgumentDefaultsHelpFormatter,
                                description="Grade submitted notebooks with the course's checkers (the ones the "
                                "students see). Exit status 0 when everything given was graded, 2 for a misuse.",
                                epilog="Details: grading/README.md")
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                   help="a student's .ipynb, or a folder (searched recursively) or .zip of them")
    p.add_argument("--out", metavar="DIR", default=argparse.SUPPRESS, help="write grades.csv, feedback/ and "
                   "results/ here (default: print each submission's score and feedback)")
    p.add_argument("--jobs", type=_positive(int), default=1, metavar="N", help="submissions graded in parallel")
    p.add_argument("--cell-timeout", type=_positive(float), default=Config.cell_timeout, metavar="S",
                   help="seconds one cell may run")
    p.add_argument("--timeout", type=_positive(float), default=Config.timeout, metavar="S",
                   help="seconds a whole notebook may take, checks included")
    p.add_argument("--call-timeout", type=_positive(float), default=Config.call_timeout, metavar="S",
                   help="seconds one call of a student's function by a checker may take")
    p.add_argument("--memory", type=_nonnegative, default=Config.memory_gb, metavar="GB",
                   help="memory limit of each kernel in GiB (0: none); Linux only")
    p.add_argument("--device", default=Config.device,
                   help="HELPERS_DEVICE for the submissions (cpu, cuda, mps); the checkers themselves use the CPU")
    return p


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    args.out = getattr(args, "out", None)
    if args.out and os.path.exists(args.out) and not os.path.isdir(args.out):
        p.error(f"--out {args.out}: exists and is not a folder")
    try:
        submissions = discover(args.submissions)
        load_course(COURSE_ROOT)
    except UsageError as exc:
        p.error(str(exc))
    config = Config(cell_timeout=args.cell_timeout, timeout=args.timeout, call_timeout=args.call_timeout,
                    memory_gb=args.memory, device=args.device, threads=max(1, (os.cpu_count() or 1) // args.jobs))
    results = grade_all(submissions, config, args.jobs)
    if args.out:
        report.write_all(results, args.out)
        counts = {}
        for r in results:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        print(f"graded {len(results)} submission(s) ({summary}); wrote {os.path.join(args.out, 'grades.csv')}, "
              "feedback/ and results/", file=sys.stderr)
    else:
        for r in results:
            print(report.feedback_md(r))
    return 0
