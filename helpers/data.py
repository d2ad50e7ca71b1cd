"""Loading the data the notebooks use. Nothing here touches the network at import."""

import csv
import os

import numpy as np

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

PENGUIN_COLUMNS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")


def load_penguins(columns=PENGUIN_COLUMNS, species=None, dropna=True):
    """The Palmer penguins (Gorman, Williams & Fraser 2014), shipped in ``data/penguins.csv``.

    Parameters
    ----------
    columns : sequence of str
        Numeric columns to return, from ``PENGUIN_COLUMNS``.
    species : sequence of str, optional
        Keep only these species (``"Adelie"``, ``"Chinstrap"``, ``"Gentoo"``).
    dropna : bool
        Drop the rows where any requested column is missing (2 of 344 penguins).

    Returns
    -------
    X : (N, len(columns)) float64 array
    species : (N,) array of str
    """
    unknown = [c for c in columns if c not in PENGUIN_COLUMNS]
    if unknown:
        raise ValueError(f"columns must be among {PENGUIN_COLUMNS}, got {unknown}")
    with open(os.path.join(DATA_DIR, "penguins.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if species is not None:
        names = {r["species"] for r in rows}
        bad = [s for s in species if s not in names]
        if bad:
            raise ValueError(f"species must be among {sorted(names)}, got {bad}")
        rows = [r for r in rows if r["species"] in species]
    X = np.array([[float(r[c]) if r[c] not in ("NA", "") else np.nan for c in columns] for r in rows])
    names = np.array([r["species"] for r in rows])
    if dropna:
        keep = ~np.isnan(X).any(axis=1)
        X, names = X[keep], names[keep]
    return X, names
