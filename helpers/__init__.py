"""Helpers for the character-level vanilla RNN workbook (KTH DD2424, Assignment 4).

Modules, one concept each:
    config    -- every setting that may come from the environment, read in one place
    data      -- corpus loading, the bundled Shakespeare text, vocabulary, split
    rnn       -- the vanilla RNN: fast loss_and_grads and the per-step reference
    gradcheck -- numerical and PyTorch gradient checks
    train     -- AdaGrad training, history, checkpoints
    sample    -- text synthesis: temperature, nucleus, greedy, prompts
    textstats -- measured properties of generated text
"""
