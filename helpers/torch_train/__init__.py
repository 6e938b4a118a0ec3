"""Training the workbook's cells (helpers.models: rnn, lstm, gru) with PyTorch, on any device, on
one process or many (DDP under torchrun), written back as the workbook's own checkpoints.

    python -m helpers.torch_train --model gru --hidden 128 --steps 300 --out checkpoints/torch-gru
    torchrun --standalone --nproc_per_node=2 -m helpers.torch_train ...     # DDP: gloo on CPU, NCCL on CUDA

The --out folder holds model.npz (the best model on validation, helpers.checkpoint's format),
last.npz (the resume checkpoint: the same format plus the optimizer's state, the streams' states
and the run's losses) and result.json (val_bits, test_bits, best_step, losses). Running the same
command again resumes from last.npz. docs/gpu.md says more. Not part of the assignment.
"""
