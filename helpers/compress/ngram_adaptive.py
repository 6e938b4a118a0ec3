"""The Kneser-Ney model of helpers.ngram, learning as it reads: each scored character is added to
the counts right after it is scored, so query[t] is predicted from counts over train + query[..t-1]
(the training text and the query as one text), and from the query's own characters as context,
exactly as `ngram.log2_probs(train + query[:t], query[:t+1], ...)` would score its last character.

Vectorised instead of a loop per character: every statistic of the model at query position t is
a sum over earlier positions of something that changed there. The training text's part is counted
once (ngram.fit_levels); the query's part is an exclusive running sum per group (`before`), one
stable sort of the query's positions per statistic. The discounts D_k = n1 / (n1 + 2 n2) move
too: n1 and n2 change by +-1 whenever a count passes 0 -> 1, 1 -> 2 or 2 -> 3.
"""
import numpy as np

from helpers import ngram


def before(groups, weights=None):
    """(n,) int: for each position, the sum of `weights` (default 1) over the earlier positions of
    the same group. groups, weights: (n,) int."""
    w = np.ones(len(groups), dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
    order = np.argsort(groups, kind="stable")                  # groups together, in position order
    ws = w[order]
    run = np.cumsum(ws) - ws                                   # exclusive, over the sorted positions
    g = groups[order]
    first = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    run -= np.repeat(run[first], np.diff(np.r_[first, len(g)]))   # restart at every group
    out = np.empty_like(run)
    out[order] = run
    return out


def discount(counts_before, step, counts):
    """(n,) D at each position: counts (G,) from the training text; at each query position the
    count of the gram that changes there was counts_before (n,), and it grows by step (n,) 0 or 1."""
    d1 = step * ((counts_before == 0).astype(np.int64) - (counts_before == 1))
    d2 = step * ((counts_before == 1).astype(np.int64) - (counts_before == 2))
    n1 = np.sum(counts == 1) + np.cumsum(d1) - d1               # before each position
    n2 = np.sum(counts == 2) + np.cumsum(d2) - d2
    return np.where(n1 > 0, n1 / np.maximum(n1 + 2 * n2, 1), 0.5)


def level_stats(level, g, h, count_before, step):
    """(c_g, c_h, N_h, D), each (n,), at every query position, for a Level of the training text
    whose gram g (n,) has counted count_before (n,) so far and grows by step (n,) 0 or 1 there."""
    new = step * (count_before == 0)                           # a gram seen for the first time
    c_h = level.context_total[h].astype(np.int64) + before(h, step)
    types = level.context_types[h].astype(np.int64) + before(h, new)
    return count_before, c_h, types, discount(count_before, step, level.counts)


def stats(ids, n_train, top, adaptive=True):
    """{(kind, k): (c_g, c_h, N_h, D)} for raw levels k = 0..top-1 and continuation levels
    k = 0..top-2, each (n,) at the query positions n_train.. of ids (gram ids of train + query,
    ngram.gram_ids without a start). adaptive=False: the training text's counts only (static)."""
    raw, cont = ngram.fit_levels(ids, n_train, top)
    q = np.arange(n_train, len(ids[0]))
    grows = np.full(len(q), int(adaptive), dtype=np.int64)     # 0: nothing is ever added
    out = {}
    for k in range(top):
        g, h = ids[k + 1][q], ids[k][q - 1]
        c_g = raw[k].counts[g].astype(np.int64) + before(g, grows)
        out["raw", k] = level_stats(raw[k], g, h, c_g, grows)
        if k < len(cont):                                      # distinct left extensions
            longer = ids[k + 2]
            seen = np.bincount(longer[k + 1:n_train], minlength=int(longer.max()) + 1)
            new_longer = grows * (seen[longer[q]] + before(longer[q]) == 0)
            c_g = cont[k].counts[g].astype(np.int64) + before(g, new_longer)
            out["cont", k] = level_stats(cont[k], g, h, c_g, new_longer)
    return out


def interpolate(s, K, orders):
    """{order: (n - 1,) log2 P} of query positions 1..n-1 from `stats`' s, each character given
    only the query's characters before it as context."""
    n_query = len(s["raw", 0][0])
    i = np.arange(1, n_query)                                  # scored: query[1:]
    out = {}
    for n in orders:
        p = np.full(len(i), 1.0 / K)
        for k in range(n):
            c_g, c_h, types, D = (a[i] for a in s["raw" if k == n - 1 else "cont", k])
            ok = (i >= k) & (c_h > 0)                          # k query characters of context, seen
            p[ok] = (np.maximum(c_g[ok] - D[ok], 0) / c_h[ok] + D[ok] * types[ok] / c_h[ok] * p[ok])
        out[n] = np.log2(p)
    return out


def both(train_ids, query_ids, K, orders):
    """({order: static log2 P}, {order: adaptive log2 P}) of query[1:], from one counting pass:
    static as ngram.log2_probs; adaptive with each character counted once it is scored, i.e.
    query[t] from counts over train_ids + query_ids[..t-1]."""
    top = max(orders)
    seq = np.concatenate([train_ids, query_ids]).astype(np.int64)
    ids = ngram.gram_ids(seq, K, top + 1)                      # no start: the query extends the text
    return tuple(interpolate(stats(ids, len(train_ids), top, a), K, orders) for a in (False, True))


def log2_probs(train_ids, query_ids, K, orders):
    """{order: (len(query) - 1,) log2 P(query[t] | query[..t-1])} for t = 1, 2, ..., with counts
    over train_ids + query_ids[..t-1]: the characters `ngram.log2_probs` scores, each scored before
    it is counted."""
    return both(train_ids, query_ids, K, orders)[1]


def scores(train_ids, query_ids, K, orders=range(1, 8)):
    """({order: static bits per character of query[1:]}, {order: adaptive ones})."""
    lps = both(np.asarray(train_ids), np.asarray(query_ids), K, list(orders))
    return tuple({n: float(-v.mean()) for n, v in lp.items()} for lp in lps)
