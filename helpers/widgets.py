"""Interactive explorers: sliders and an inline plot that is redrawn on every change.

Built on ``ipywidgets.interactive_output`` with the inline matplotlib backend,
so they work with ipywidgets 7.7 (what Colab ships) and 8, and need no ipympl
(which is broken on Colab). Each redraw clears the output first, so figures
replace each other instead of stacking.

Every explorer is an `Explorer`: ``.controls`` (name -> slider), ``.update(**values)``
(set sliders and redraw at once, what a slider event does), and ``.state`` (what
the last redraw computed), so tests and benchmarks can drive them headlessly.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import clear_output, display


class Explorer:
    """Sliders plus a function ``draw(**values) -> dict`` that plots and returns what it computed."""

    def __init__(self, controls, draw, columns=1):
        self.controls = dict(controls)
        self._draw = draw
        self.state = {}
        self._muted = False
        self.output = widgets.interactive_output(self._redraw, self.controls)
        boxes = [widgets.VBox(list(self.controls.values())[i::columns]) for i in range(columns)]
        self.widget = widgets.VBox([widgets.HBox(boxes), self.output])

    def _redraw(self, **values):
        if self._muted:
            return
        self.state = self._draw(**values) or {}
        plt.show()

    def update(self, **values):
        """Set several sliders at once and redraw once (one 'slider event'); returns ``.state``."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}; this explorer has {sorted(self.controls)}")
        self._muted = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._muted = False
        with self.output:
            clear_output(wait=True)
            self._redraw(**{name: c.value for name, c in self.controls.items()})
        return self.state

    def _ipython_display_(self):
        display(self.widget)


def float_slider(description, value, lo, hi, step=None, log=False, readout_format=".3g"):
    """A float slider (log-scaled when ``log``) that fits the explorers' layout."""
    layout = widgets.Layout(width="380px")
    style = {"description_width": "110px"}
    if log:
        return widgets.FloatLogSlider(
            value=value, base=10, min=lo, max=hi, step=step or 0.05, description=description,
            readout_format=readout_format, continuous_update=False, layout=layout, style=style,
        )
    return widgets.FloatSlider(
        value=value, min=lo, max=hi, step=step or (hi - lo) / 200, description=description,
        readout_format=readout_format, continuous_update=False, layout=layout, style=style,
    )


def int_slider(description, value, lo, hi, step=1):
    """An integer slider that fits the explorers' layout."""
    return widgets.IntSlider(
        value=value, min=lo, max=hi, step=step, description=description, continuous_update=False,
        layout=widgets.Layout(width="380px"), style={"description_width": "110px"},
    )
