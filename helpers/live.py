"""Fast live figures and the explorer widget: sliders and a figure redrawn whenever one of them moves.

How an explorer stays fast (a slider move is answered in well under 150 ms on a 2-core
machine): it draws one matplotlib figure, built once with a fixed layout (no
``tight_layout`` per event). Its static parts (axes, ticks, labels, contours) are
rendered once into a background image (`LiveFigure`); a slider event only redraws the
artists that change on top of it, encodes the pixels as PNG (unfiltered, fast zlib,
`png_bytes`) and hands them to an ``ipywidgets.Image``. No pyplot figure is made, so
nothing piles up and ``plt.show()`` draws nothing twice. That needs neither ipympl
(broken on Colab) nor the inline backend: it works with ipywidgets 7.7 (what Colab
ships) and 8.

In a notebook an `Explorer`'s output holds the live widget *and* its current figure as
a PNG: JupyterLab, Notebook and Colab show the widget, while GitHub and nbconvert, which
cannot run it, show the stored figure instead of the widget's text.
"""

import base64
import math
import struct
import sys
import zlib
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg


def png_bytes(pixels, level=1):
    """(H, W, 3) or (H, W, 4) uint8 pixels as PNG bytes (no row filters, zlib ``level``).

    Unfiltered rows at a low zlib level encode a plot in a few milliseconds at
    about the size of a default PNG: the long runs of one colour do the compressing.
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise ValueError(f"pixels must be uint8 of shape (H, W, 3 or 4), got {pixels.dtype} {pixels.shape}")
    h, w, c = pixels.shape
    rows = np.empty((h, 1 + w * c), np.uint8)  # each row: filter type 0 (none), then its pixels
    rows[:, 0] = 0
    rows[:, 1:].reshape(h, w, c)[...] = pixels  # (a view: one copy, straight from a strided RGBA buffer)

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2 if c == 3 else 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, level))
            + chunk(b"IEND", b""))


class LiveFigure:
    """A figure whose static parts are rendered once and whose ``moving`` artists are redrawn at each `render`.

    The background (everything but the moving artists) is rendered once per
    layout, that is per set of axis limits, and kept for the last ``keep``
    layouts: an explorer whose axes follow the data in coarse steps (decades,
    powers of two) redraws in full only when it crosses a step. ``titles`` are the
    text artists that say what the figure shows (their text is the explorer's caption).
    The figure belongs to no pyplot window.
    """

    def __init__(self, fig, moving, titles=(), keep=8):
        self.fig, self.moving, self.titles, self.keep = fig, list(moving), list(titles), keep
        for artist in self.moving:
            artist.set_animated(True)  # left out of the full draw: drawn over the background
        self.canvas = FigureCanvasAgg(fig)
        self.backgrounds = OrderedDict()  # layout -> rendered background
        self.full_draws = 0

    def layout(self):
        """What the background depends on: every axes' limits."""
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)

    def render(self):
        """The figure as PNG bytes: the background for the current layout, with the moving artists on top."""
        key = self.layout()
        background = self.backgrounds.pop(key, None)
        if background is None:
            self.canvas.draw()
            self.full_draws += 1
            background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(background)
        self.backgrounds[key] = background
        while len(self.backgrounds) > self.keep:
            self.backgrounds.popitem(last=False)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        return png_bytes(np.asarray(self.canvas.buffer_rgba())[..., :3])

    def caption(self):
        """The titles' texts, on one line."""
        return "; ".join(" ".join(t.get_text().split()) for t in self.titles)


class Pixels(Artist):
    """Opaque RGB pixels that fill an axes' inside exactly, copied straight into the Agg canvas (no resampling).

    matplotlib's image pipeline resamples and blends even an image that already has the axes' size, which
    costs more than the rest of a redraw; this copies ``.rgb`` (H, W, 3) uint8 (row 0 at the bottom) into the
    axes' pixel rectangle, 1 pixel inside its frame so the spines stay. `shape` says what (H, W) to give it.
    Other renderers (saving to PDF or SVG) get an ordinary image.
    """

    def __init__(self, ax):
        super().__init__()
        self.ax, self.rgb = ax, None
        self.set_zorder(0.5)  # over the axes' background, under everything drawn in it
        ax.add_artist(self)

    def rect(self):
        """(x0, y0, x1, y1): the pixel columns and rows (counted from the bottom) the pixels cover."""
        box = self.ax.get_window_extent()
        return (int(round(box.x0)) + 1, int(round(box.y0)) + 1, int(round(box.x1)) - 1, int(round(box.y1)) - 1)

    def shape(self):
        x0, y0, x1, y1 = self.rect()
        return y1 - y0, x1 - x0

    def draw(self, renderer):
        if self.rgb is None or not self.get_visible():
            return
        x0, y0, x1, y1 = self.rect()
        if hasattr(renderer, "buffer_rgba"):  # Agg: write the pixels (its rows run from the top)
            height = int(renderer.height)
            canvas = np.asarray(renderer.buffer_rgba())
            canvas[height - y1:height - y0, x0:x1, :3] = self.rgb[::-1]
            canvas[height - y1:height - y0, x0:x1, 3] = 255
        else:
            gc = renderer.new_gc()
            renderer.draw_image(gc, x0, y0, np.dstack([self.rgb, np.full(self.rgb.shape[:2], 255, np.uint8)]))
            gc.restore()
        self.stale = False


def _in_colab():
    return "google.colab" in sys.modules


class Explorer:
    """Sliders and a `LiveFigure` that is redrawn whenever one of them moves.

    Parameters
    ----------
    name : str
        What the explorer is, for its text form (``"cost_explorer"``).
    controls : dict name -> slider
    view : object with ``.figure`` (a `LiveFigure`) and ``.draw(**values) -> dict``, which updates the
        figure's moving artists for the sliders' values and returns what it computed (``.state``)
    columns : int, how many columns of sliders

    The figure goes to an ``ipywidgets.Image`` (its bytes travel as one binary message). On Colab, whose widget
    frontend has not always taken binary messages, it goes to an ``Output`` widget as a display message instead,
    the way Colab has shown images in widgets all along.
    """

    def __init__(self, name, controls, view, columns=1):
        self.name, self.controls, self.view, self.figure = name, dict(controls), view, view.figure
        self.state, self.png, self._muted = {}, b"", False
        self.image = widgets.Output() if _in_colab() else widgets.Image(format="png")
        self.messages = widgets.Output()  # a redraw's traceback, if one fails
        boxes = [widgets.VBox(list(self.controls.values())[i::columns]) for i in range(columns)]
        self.widget = widgets.VBox([widgets.HBox(boxes), self.image, self.messages])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._redraw()

    def _on_change(self, change):
        if not self._muted:
            self._redraw()

    def _redraw(self):
        try:
            self.state = self.view.draw(**{name: c.value for name, c in self.controls.items()}) or {}
            self.png = self.figure.render()
        except Exception:
            with self.messages:  # in a notebook the traceback shows under the figure; elsewhere it propagates
                raise
            return
        if isinstance(self.image, widgets.Output):
            from IPython.display import Image, clear_output, display

            with self.image:
                clear_output(wait=True)
                display(Image(data=self.png, format="png"))
        else:
            self.image.value = self.png
        if self.messages.outputs:
            self.messages.clear_output()

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
        self._redraw()
        return self.state

    def __repr__(self):
        values = ", ".join(f"{name} = {c.value:.3g}" for name, c in self.controls.items())
        return f"{self.name}({values}): {self.figure.caption()}"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """The live widget, plus the current figure (image/png) and a caption (text/plain) for viewers without
        a kernel: GitHub and nbconvert show the figure. Colab gets the widget alone."""
        if hasattr(self.widget, "_repr_mimebundle_"):  # ipywidgets 8
            bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        else:  # ipywidgets 7 displays through _ipython_display_; this is the bundle it sends
            bundle = {"application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}}
        bundle["text/plain"] = repr(self)
        if not _in_colab():  # Colab's renderer might prefer the picture to the widget
            bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle


def nice_step(width, n=200):
    """A round slider step (1, 2 or 5 times a power of ten) that cuts ``width`` into about ``n`` steps."""
    if not width > 0 or not math.isfinite(width):
        raise ValueError(f"a slider needs a positive, finite range, got width {width}")
    raw = width / n
    power = 10.0 ** math.floor(math.log10(raw))
    return next(float(f"{m * power:.6g}") for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))


def _on_grid(x, step):
    return round(round(x / step) * step, 12)


def float_slider(description, value, lo, hi, step=None, log=False, readout_format=".3g"):
    """A float slider (log-scaled when ``log``) that fits the explorers' layout.

    Linear sliders get a round step (about 200 per range, see `nice_step`) unless ``step``
    is given; their ends and ``value`` are put on that step's grid.
    """
    layout = widgets.Layout(width="380px")
    style = {"description_width": "110px"}
    if log:
        return widgets.FloatLogSlider(
            value=value, base=10, min=lo, max=hi, step=step or 0.05, description=description,
            readout_format=readout_format, continuous_update=False, layout=layout, style=style,
        )
    if step is None:
        step = nice_step(hi - lo)
        lo, hi = _on_grid(math.floor(lo / step + 1e-9) * step, step), _on_grid(math.ceil(hi / step - 1e-9) * step, step)
        value = _on_grid(min(max(value, lo), hi), step)
    return widgets.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=description,
        readout_format=readout_format, continuous_update=False, layout=layout, style=style,
    )


def int_slider(description, value, lo, hi, step=1):
    """An integer slider that fits the explorers' layout."""
    return widgets.IntSlider(
        value=value, min=lo, max=hi, step=step, description=description, continuous_update=False,
        layout=widgets.Layout(width="380px"), style={"description_width": "110px"},
    )


def nice_ceil(x, mantissas=(1, 2, 5)):
    """The smallest number m * 10^k >= x with m in ``mantissas`` (x > 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    return next(float(f"{m * power:.6g}") for m in (*mantissas, 10) if m * power >= x * (1 - 1e-12))


def decades(lo, hi):
    """(10^floor(log10 lo), 10^ceil(log10 hi)): log-axis limits that move in whole decades."""
    return 10.0 ** math.floor(math.log10(lo)), 10.0 ** math.ceil(math.log10(hi))
