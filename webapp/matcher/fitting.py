"""One liblinear fit in a forked process, beside the fits made in this one.

liblinear keeps one random generator per process and reseeds it at every fit, so two fits on two threads of one
process disturb each other's coordinate descent (a logistic regression fitted beside the SVM changed the SVM's
weights). A forked child has a generator of its own: its fit gives exactly the weights a fit here would, while
this process goes on with the other fits on the other core. The child writes the weights into memory it shares
with this process and exits. Without fork (not POSIX), or if the child fails, the fit is made here, as before.

    fitting = apart(LinearSVC(C=0.5, random_state=0), matrix, labels)   # the child starts now
    ...                                                                # other fits, here
    model = fitting()                                                  # waits: coef_, intercept_, classes_
"""

from __future__ import annotations

import mmap
import multiprocessing
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Fitted:
    """What the ranker keeps of a fitted linear model."""

    coef_: np.ndarray
    intercept_: np.ndarray
    classes_: np.ndarray


def _kept(model) -> Fitted:
    return Fitted(np.asarray(model.coef_), np.asarray(model.intercept_), np.asarray(model.classes_))


def apart(model, matrix, labels) -> Callable[[], Fitted]:
    """Start fitting `model` on (matrix, labels) in a forked process; the function returned waits for it."""
    def here() -> Fitted:
        return _kept(model.fit(matrix, labels))

    classes = np.unique(labels)  # as scikit-learn orders them
    if len(classes) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return here  # too few classes: the fit itself says why
    rows, width = (1 if len(classes) == 2 else len(classes)), matrix.shape[1]
    cells = rows * width + rows + 1  # the weights, the intercepts, and a last cell set to 1 when they are written
    shared = mmap.mmap(-1, cells * 8)  # anonymous memory, shared with the child after the fork

    def fit_and_write() -> None:
        fitted = model.fit(matrix, labels)
        out = np.frombuffer(shared, dtype=np.float64)
        out[:rows * width] = np.asarray(fitted.coef_, dtype=np.float64).ravel()
        out[rows * width:-1] = fitted.intercept_
        out[-1] = 1.0

    child = multiprocessing.get_context("fork").Process(target=fit_and_write, daemon=True)
    try:
        with warnings.catch_warnings():  # Python 3.12 warns of fork in a process with threads: the child only fits
            warnings.filterwarnings("ignore", r"This process .* is multi-threaded", DeprecationWarning)
            child.start()
    except (AssertionError, OSError):  # inside a daemonic process, or no process to be had: fit here
        shared.close()
        return here

    def result() -> Fitted:
        child.join()  # its exit code may be lost (a server's own SIGCHLD handler reaping it): the last cell tells
        out = np.frombuffer(shared, dtype=np.float64)
        written = out[-1] == 1.0
        fitted = Fitted(out[:rows * width].reshape(rows, width).copy(), out[rows * width:-1].copy(), classes)
        del out  # the buffer's last view, before the memory is let go
        shared.close()
        return fitted if written else here()

    return result
