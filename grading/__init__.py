"""Grading submitted notebooks with the checkers the students see (for instructors; see grading/README.md).

    python -m grading SUBMISSION... --out DIR       # grades.csv, feedback/, results/ (Gradescope)
    python -m grading mynotebook.ipynb              # a student's own check: score and feedback

The notebooks never import this package.
"""
