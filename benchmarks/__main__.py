import argparse
import os

from .harness import table, write_results
from .suite import run


def main():
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--out", default=None, help="where to write the results (default benchmarks/RESULTS.md, "
                        "or benchmarks/RESULTS-quick.md with --quick)")
    args = parser.parse_args()
    out = args.out or os.path.join(os.path.dirname(__file__), "RESULTS-quick.md" if args.quick else "RESULTS.md")
    figures, notes = run(quick=args.quick)
    print(table(figures))
    for n in notes:
        print("-", n)
    write_results(out, figures, notes, args.quick)
    print(f"written: {os.path.relpath(out)}")


if __name__ == "__main__":
    main()
