"""What a notebook run shows while it runs: which cell of how many, and for how long.

On a terminal, a line that refreshes every second (tqdm, on stderr); in a log (stderr not a
terminal), a plain line every LOG_EVERY seconds, so that a long cell still shows signs of life.
TQDM_DISABLE=1 turns the refreshing line off, as it does every progress bar.
"""
import sys
import threading
import time

from tqdm import tqdm

from helpers.workbook.timings import duration

LOG_EVERY = 20.0          # seconds between two plain lines in a log
REFRESH = 1.0             # seconds between two redraws on a terminal


class Progress:
    """The live line of one notebook: `cell(k)` as cell k of `cells` starts; `close()` at the end."""

    def __init__(self, name, cells, stream=None):
        self.name, self.cells, self.k = name, cells, 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.terminal = self.stream.isatty()
        self.bar = tqdm(total=cells, desc=name, file=self.stream, leave=False, unit="cell",
                        bar_format="{desc}: cell {n_fmt} of {total_fmt}, {elapsed}") if self.terminal else None
        self.done = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.ticker.start()

    def cell(self, k):
        """Cell k (from 1) of the code cells starts."""
        self.k = k
        if self.bar is not None:
            self.bar.n = k
            self.bar.refresh()

    def line(self):
        return f"  {self.name}: cell {self.k} of {self.cells}, {duration(time.monotonic() - self.start)}"

    def _tick(self):
        while not self.done.wait(REFRESH if self.terminal else LOG_EVERY):
            if self.bar is not None:
                self.bar.refresh()
            else:
                print(self.line(), file=self.stream, flush=True)

    def close(self):
        """Stop the line; the seconds since the notebook started."""
        self.done.set()
        self.ticker.join()
        if self.bar is not None:
            self.bar.close()
        return time.monotonic() - self.start
