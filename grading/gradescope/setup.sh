#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image (Ubuntu, as root), with this zip's contents
# in /autograder/source: a virtual environment with the course's requirements (the small CPU build of torch).
set -euo pipefail
apt-get update -q
apt-get install -y -q --no-install-recommends python3 python3-venv python3-pip
python3 -m venv /opt/course
/opt/course/bin/pip install -q --upgrade pip
/opt/course/bin/pip install -q torch --index-url https://download.pytorch.org/whl/cpu
/opt/course/bin/pip install -q -r /autograder/source/requirements.txt
# Build matplotlib's font cache now, not in every submission's first plot.
MPLBACKEND=Agg /opt/course/bin/python -c "import matplotlib.pyplot"
