"""A TF-IDF space over blocks of features, fitted on the training texts (the ranker's rows)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
from scipy import sparse


class Space:
    """A TF-IDF space fitted on the training texts, block by block: sublinear counts times smoothed IDF, each
    block of a row normalised to length one, then weighted. The sums of scikit-learn's TfidfVectorizer (one
    per block), in one pass over a shared vocabulary (a third of the build time less), and for one message
    at a time without its per-call checks."""

    def __init__(self, docs: Sequence[tuple[tuple[str, ...], ...]], weights: Sequence[float]):
        # Each block's features of all texts in one list: its vocabulary (first seen first, as before) and every
        # feature's column are made at C speed (dict.fromkeys, map), not in a loop over each text's features;
        # a text's counts of its columns come from one np.unique over (text, column) keys, already in CSR order.
        self.weights = np.asarray(weights, dtype=np.float64)
        vocabularies: list[dict[str, int]] = []
        per_block = []
        for block in range(len(weights)):
            flat = list(chain.from_iterable(doc[block] for doc in docs))
            vocabulary = dict(zip(dict.fromkeys(flat), range(len(flat))))
            vocabularies.append(vocabulary)
            lengths = np.fromiter((len(doc[block]) for doc in docs), dtype=np.int64, count=len(docs))
            per_block.append((np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat)), lengths))
        offsets = np.cumsum([0] + [len(v) for v in vocabularies])
        self.columns = {}  # feature -> column; a block's columns follow the previous block's, in first-seen order
        for vocabulary, offset in zip(vocabularies, offsets):
            self.columns.update(zip(vocabulary, range(int(offset), int(offset) + len(vocabulary))))
        self.width = width = int(offsets[-1])
        self.block = np.repeat(np.arange(len(weights)), [len(v) for v in vocabularies])
        documents = np.arange(len(docs), dtype=np.int64)
        keys = np.concatenate([np.zeros(0, dtype=np.int64)] + [np.repeat(documents, lengths) * width + ids + offsets[block]
                                                                for block, (ids, lengths) in enumerate(per_block)])
        keys, counts = np.unique(keys, return_counts=True)  # sorted: by text, then by column
        rows, columns = np.divmod(keys, width) if width else (keys, keys)
        self.idf = np.log((1 + len(docs)) / (1 + np.bincount(columns, minlength=self.width))) + 1.0
        values = (1.0 + np.log(counts.astype(np.float64))) * self.idf[columns]
        group = rows * len(weights) + self.block[columns]  # which (text, block) piece
        norms = np.sqrt(np.bincount(group, weights=values * values, minlength=len(docs) * len(weights)))
        values *= self.weights[self.block[columns]] / np.where(norms[group] > 0, norms[group], 1.0)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(docs)))])
        self.matrix = sparse.csr_matrix((values, columns, indptr), shape=(len(docs), self.width))
        self.matrix.has_sorted_indices = True

    def row(self, features: Sequence[str]) -> sparse.csr_matrix:
        """One text's row (its features, all blocks together)."""
        counts: dict[int, int] = {}
        for feature in features:
            column = self.columns.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.array(sorted(counts), dtype=np.int64)
        if not len(columns):
            return sparse.csr_matrix((1, self.width))
        values = (1.0 + np.log([counts[c] for c in columns])) * self.idf[columns]
        block = self.block[columns]
        norms = np.sqrt(np.bincount(block, weights=values * values, minlength=len(self.weights)))
        values = values / norms[block] * self.weights[block]
        return sparse.csr_matrix((values, columns, [0, len(columns)]), shape=(1, self.width))
