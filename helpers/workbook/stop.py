"""A notebook's one-line stop: what is missing and what to run, never a traceback.

Raising `Stop("run notebooks/03_training.ipynb first (or make)")` in a cell shows, in JupyterLab
and in `make`'s error line alike, just `error: run notebooks/03_training.ipynb first (or make)`.
IPython asks an exception for `_render_traceback_` before it formats a traceback.
"""


class Stop(Exception):
    """Stops a notebook with one line; str(e) says what is wrong and what to do."""

    def _render_traceback_(self):
        return [f"error: {self}"]
