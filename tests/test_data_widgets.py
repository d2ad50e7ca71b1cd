import numpy as np
import pytest

from helpers.data import load_penguins


def test_penguins_match_the_published_counts():
    X, species = load_penguins()
    assert X.shape == (342, 4)  # 344 penguins, 2 without measurements
    names, counts = np.unique(species, return_counts=True)
    assert dict(zip(names.tolist(), counts.tolist())) == {"Adelie": 151, "Chinstrap": 68, "Gentoo": 123}
    # Published means (palmerpenguins README): flipper 200.9 mm, body mass 4201.8 g
    assert X[:, 2].mean() == pytest.approx(200.915, abs=1e-3)
    assert X[:, 3].mean() == pytest.approx(4201.754, abs=1e-3)


def test_penguins_bad_arguments():
    with pytest.raises(ValueError, match="columns must be among"):
        load_penguins(columns=["beak"])
    with pytest.raises(ValueError, match="species must be among"):
        load_penguins(species=["Emperor"])
