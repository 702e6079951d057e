"""The types' SVM fitted in a forked process (webapp/matcher/fitting.py) gives the weights of a fit here."""

import os

import numpy as np
import pytest
from scipy import sparse
from sklearn.svm import LinearSVC

from webapp.matcher import fitting
from webapp.matcher.ranker import Ranker


def problem(classes: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    matrix = sparse.random(300, 500, density=0.02, format="csr", random_state=seed)
    labels = np.array([f"class-{i}" for i in rng.integers(0, classes, 300)])
    return matrix, labels


@pytest.mark.parametrize("classes", [2, 5])
def test_a_fit_in_the_child_has_the_weights_of_a_fit_here(classes):
    matrix, labels = problem(classes)
    here = LinearSVC(C=0.5, tol=2e-2, random_state=0).fit(matrix, labels)
    apart = fitting.apart(LinearSVC(C=0.5, tol=2e-2, random_state=0), matrix, labels)()
    assert np.array_equal(apart.coef_, here.coef_) and np.array_equal(apart.intercept_, here.intercept_)
    assert list(apart.classes_) == list(here.classes_)


class KnowsItsParent(LinearSVC):
    """An SVM that knows the process which made it (its fit in a child is told apart from one here)."""

    def __init__(self, parent: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.parent = parent


class FailsInAChild(KnowsItsParent):
    """Fits only in the process that made it: stands for a child that dies before it writes."""

    def fit(self, X, y, sample_weight=None):
        if os.getpid() != self.parent:
            os._exit(3)
        return super().fit(X, y, sample_weight)


def test_a_child_that_fails_leaves_the_fit_to_this_process():
    matrix, labels = problem(4, seed=1)
    model = FailsInAChild(parent=os.getpid(), C=0.5, random_state=0)
    fitted = fitting.apart(model, matrix, labels)()
    here = LinearSVC(C=0.5, random_state=0).fit(matrix, labels)
    assert np.array_equal(fitted.coef_, here.coef_)


def test_without_fork_the_ranker_is_the_same(monkeypatch):
    examples = [("fake-loan", t) for t in ("网贷要先交解冻费", "贷款放款前要交保证金", "借款app说要交会员费才能提现")]
    examples += [("money-mule-transfer", t) for t in ("帮人收款再转出去", "取现金交给别人", "用我的卡走账拿佣金")]
    examples += [("~notice:everyday", t) for t in ("银行卡丢了怎么挂失", "怎么查养老金到账", "快递几点关门")]
    benign = {"~notice:everyday"}
    forked = Ranker(examples, benign)
    monkeypatch.setattr(fitting.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    serial = Ranker(examples, benign)
    assert forked.types == serial.types
    assert np.array_equal(forked._type_w, serial._type_w) and np.array_equal(forked._none_w, serial._none_w)


class FitsOnlyInAChild(KnowsItsParent):
    def fit(self, X, y, sample_weight=None):
        assert os.getpid() != self.parent, "fitted in this process, not in a child"
        return super().fit(X, y, sample_weight)


def test_the_fit_is_made_in_a_child():
    matrix, labels = problem(3, seed=2)
    fitted = fitting.apart(FitsOnlyInAChild(parent=os.getpid(), C=0.5, random_state=0), matrix, labels)()
    assert np.array_equal(fitted.coef_, LinearSVC(C=0.5, random_state=0).fit(matrix, labels).coef_)
