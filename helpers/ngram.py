"""A counting baseline: the interpolated Kneser-Ney character n-gram model (Chen and Goodman, 1998).

For a context h of k characters and the next character w, with h' = h minus its oldest character:

    P_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h)  +  D_k N_k(h) / c_k(h) * P_{k-1}(w | h')
    P_{-1}(w)  = 1 / K                                          (uniform over the vocabulary)

c_{n-1} are raw counts; a lower level counts continuations instead, c_k(h w) = how many distinct
characters precede h w in the text (a frequent n-gram that only follows one context says little
about new contexts). c_k(h) = sum_w c_k(h w); N_k(h) = how many w have c_k(h w) > 0, and
D_k = n1 / (n1 + 2 n2) from the numbers of n-grams counted once and twice. An unseen context
(c_k(h) = 0) passes P_{k-1} on unchanged, so every distribution sums to 1.

Counting is vectorised: the n-grams ending at every position get dense integer ids, level by
level, from the (k-1)-gram id before them and their last character, with one np.unique each.
"""
import numpy as np

from helpers.data import Vocabulary


def gram_ids(seq, K, max_len, start=None):
    """ids[L][t]: a dense id of the L-gram seq[t-L+1 .. t] (-1 for t < L-1), for L = 0..max_len.

    seq: (N,) int in [0, K). ids[0] is all zeros (the empty context). start: where a second text
    begins in seq; no n-gram reaches back across it (-1 there too).
    """
    ids = [np.zeros(len(seq), dtype=np.int64), seq.astype(np.int64)]
    for L in range(2, max_len + 1):
        key = np.full(len(seq), -1, dtype=np.int64)
        prev = ids[L - 1][:-1]
        ok = prev >= 0
        if start:
            ok[start - 1] = False                              # the scored text has no past
        key[1:][ok] = prev[ok] * K + seq[1:][ok]
        dense = np.full(len(seq), -1, dtype=np.int64)
        dense[key >= 0] = np.unique(key[key >= 0], return_inverse=True)[1]
        ids.append(dense)
    return ids


class Level:
    """The statistics of one context length k: counts per (k+1)-gram and per context."""

    def __init__(self, grams, contexts, counts, n_contexts):
        """grams, contexts: (n,) ids of the (k+1)-gram at a position and of the k-gram before it;
        counts: (G,) count per (k+1)-gram id, raw or continuation; n_contexts: how many k-gram ids."""
        prefix = np.zeros(len(counts), dtype=np.int64)
        prefix[grams] = contexts                               # each gram's context
        self.counts = counts
        self.context_total = np.bincount(prefix, weights=counts, minlength=n_contexts)
        self.context_types = np.bincount(prefix, weights=counts > 0, minlength=n_contexts)
        n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
        self.D = n1 / (n1 + 2 * n2) if n1 > 0 else 0.5          # D > 0: the unseen keep some mass

    def interpolate(self, grams, contexts, lower):
        """P_k for positions whose (k+1)-gram and context ids are given; lower: P_{k-1} there."""
        c_g = self.counts[grams]
        c_h = self.context_total[contexts]
        seen = c_h > 0
        p = lower.copy()
        h = contexts[seen]
        p[seen] = (np.maximum(c_g[seen] - self.D, 0) / c_h[seen]
                   + self.D * self.context_types[h] / c_h[seen] * lower[seen])
        return p


def fit_levels(ids, n_train, max_order):
    """Raw and continuation Levels for context lengths 0..max_order-1, counted on ids[..][:n_train]."""
    raw, cont = [], []
    for k in range(max_order):
        t = np.arange(k, n_train)                              # positions with a full context
        grams, contexts = ids[k + 1][t], ids[k][t - 1]
        G, H = int(ids[k + 1].max()) + 1, int(ids[k].max()) + 1
        raw.append(Level(grams, contexts, np.bincount(grams, minlength=G).astype(float), H))
        longer = ids[k + 2][t] if k + 2 < len(ids) else None
        if longer is not None:                                 # distinct left extensions
            first = np.unique(longer[longer >= 0], return_index=True)[1]
            counts = np.bincount(grams[longer >= 0][first], minlength=G).astype(float)
            cont.append(Level(grams, contexts, counts, H))
    return raw, cont


def log2_probs(train_ids, query_ids, K, orders):
    """{order: (len(query) - 1,) log2 P(query[t] | query[..t-1])} for t = 1, 2, ..., counted on
    train_ids: the characters a network scores when it reads query from its zero state.

    Each character is given only the characters of the query before it, never the training
    text's tail: where fewer than n-1 precede it, the longest context there is is used.
    """
    top = max(orders)
    seq = np.concatenate([train_ids, query_ids]).astype(np.int64)
    ids = gram_ids(seq, K, top + 1, start=len(train_ids))
    raw, cont = fit_levels(ids, len(train_ids), top)
    t = np.arange(len(train_ids) + 1, len(seq))
    out = {}
    for n in orders:
        p = np.full(len(t), 1.0 / K)
        for k in range(n):
            level = raw[k] if k == n - 1 else cont[k]
            has = ids[k][t - 1] >= 0                           # k characters of context exist
            p[has] = level.interpolate(ids[k + 1][t[has]], ids[k][t[has] - 1], p[has])
        out[n] = np.log2(p)
    return out


def surprisal(train_ids, query_ids, K, order):
    """(len(query) - 1,) bits of surprise of query[1:] under the order-`order` model."""
    if int(order) < 1:
        raise ValueError(f"order must be at least 1, got {order}")
    return -log2_probs(train_ids, query_ids, K, [int(order)])[int(order)]


def scores(train_ids, query_ids, K, orders=range(1, 8)):
    """{order: bits per character of query[1:]} for models counted on train_ids (ids < K)."""
    lp = log2_probs(np.asarray(train_ids), np.asarray(query_ids), K, list(orders))
    return {n: float(-v.mean()) for n, v in lp.items()}


def bits_per_char(train_text, text, order):
    """Bits per character of text[1:] under the order-`order` model of train_text."""
    vocab = Vocabulary.from_text(train_text + text)
    return float(surprisal(vocab.encode(train_text), vocab.encode(text), len(vocab), order).mean())


def distribution(train_ids, context_ids, K, order):
    """(K,) P(w | context) for every w: what the model predicts after `context_ids`."""
    return np.array([2.0 ** log2_probs(train_ids, np.append(context_ids, w), K, [order])[order][-1]
                     for w in range(K)])
