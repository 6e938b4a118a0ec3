"""Helpers for the character-level vanilla RNN workbook (KTH DD2424, Assignment 4).

Modules, one concept each:
    config     -- every setting that may come from the environment, declared and checked in one place
    textfile   -- reading a user's text file: line ends normalised, one-line errors
    data       -- corpus loading, the bundled Shakespeare text, vocabulary, split
    visible    -- showing any character safely in Jupyter and in the PDF
    layers     -- what every model shares: initialisation, softmax loss, input gradients, scoring
    rnn        -- the vanilla RNN: fast loss_and_grads and the per-step reference
    rnn_reference -- the RNN one step at a time: forward_reference, backward_reference (E1, E2)
    rnn_slow   -- the fast path's contracts rebuilt from the reference (a student copy's)
    lstm       -- the LSTM: one fused gate product per step, PyTorch's conventions
    gru        -- the GRU, in PyTorch's formulation
    models     -- the three models by name, behind one interface
    gradcheck  -- numerical and PyTorch gradient checks, for any model
    optim      -- the update step on one flat vector: AdaGrad (the course's) and Adam, clipped
    train      -- the training loop: streams, history, hooks, resumable checkpoints
    checkpoint -- safe .npz files: atomic writes, no pickle, best model kept
    sample     -- text synthesis: temperature, nucleus, greedy, prompts
    textstats  -- measured properties of generated text
    ngram      -- the counting baseline: interpolated Kneser-Ney character n-grams
    ngram_adaptive -- the same n-grams counting each test character once it is scored
    dynamic    -- dynamic evaluation: any model taking a gradient step after each scored segment
    compressors -- gzip, bz2, xz, zstd and PPMd as models: conditioned bits per character
    inside     -- surprisal per character, kinds of characters, hidden units and named properties
    plots      -- the figures under figures/
    textplots  -- figures of text coloured character by character
    results    -- the numbers each chapter measured, for the conclusion
    prose_compression -- the sentences of 08_compression, chosen by its numbers
    report     -- executing the notebooks and rendering the PDF report
    bench      -- the speed benchmark behind `make bench`
    bench_lstm -- its gated part: the LSTM against torch.nn.LSTM
    exercises  -- exercise mode: make check-exercises, require() for notebooks, grading
    exercise_checks -- the exercises and their local checks; exercise_run sums one up
    exercise_oracles -- what the checks compare against: PyTorch's nn.RNN, softmax, Adagrad
    markers    -- BEGIN SOLUTION / BEGIN FAST regions: parsed, replaced, checked with ast
    student    -- make exercises: the student copy, with a fresh git history
"""

import os

# The RNN multiplies tiny matrices one time step at a time; a second BLAS thread costs more in
# hand-offs than it saves (`make bench` measures both). Takes effect when helpers is
# imported before numpy, as the notebooks do; set the variables yourself to override.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
