"""The course: a character-level vanilla RNN (KTH DD2424, Assignment 4), one concept per module.

What you read, and in a student copy write, is here at the top:
    data          -- the corpus, the vocabulary (characters <-> indices, one-hot), the 90/5/5 split
    textfile      -- reading any UTF-8 text file: line ends normalised, one-line errors
    loss          -- the output layer: softmax and its cross-entropy loss, with log-sum-exp
    layers        -- what every model shares: the forward/backward contract, initialisation,
                     the loss and gradients, scoring, the PyTorch conversions
    rnn_reference -- the RNN one step at a time, as the course writes it: forward and backward
    rnn           -- the RNN's fast path: the same maths for B streams at once
    gradcheck     -- centred differences and PyTorch, against the hand-written gradients
    optim         -- the update on one flat vector: AdaGrad (the course's) and Adam, clipped
    train         -- the training loop: streams, smooth loss, best model, resumable checkpoints
    train_config  -- what a run sets (TrainConfig, the course's by default), checked on resume
    sample        -- text synthesis: temperature, nucleus, greedy, prompts
    checkpoint    -- safe .npz files: atomic writes, no pickle, best model kept
    ngram         -- the counting baseline: interpolated Kneser-Ney character n-grams
    inside        -- surprisal per character, hidden units and named properties
    textstats     -- measured properties of generated text

Beyond the course, one folder each, by who reads it:
    models/     -- the cells behind one registry: the course's RNN, an LSTM and a GRU
    compress/   -- a language model is a compressor: an arithmetic coder, real compressors,
                   and models that keep learning as they read
    workbook/   -- the machinery that runs the notebooks: settings, runs, recorded results,
                   prose chosen by the numbers, figures and the PDF report (not the assignment)
    exercises/  -- exercise mode's checks: `make check-exercises` (not the assignment)
    teacher/    -- building the student copy (`make exercises`); never in a student copy
    bench/      -- the speed benchmark behind `make bench`

The course's modules import nothing from workbook/, exercises/, teacher/ or bench/.
"""
