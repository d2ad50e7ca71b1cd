"""Benchmarks: the helpers' speed as ratios against a peer measured in the same run.

    python -m benchmarks            # full suite, writes benchmarks/RESULTS.md
    python -m benchmarks --quick    # small sizes, under a minute (what the test runs)
"""
