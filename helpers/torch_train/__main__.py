"""python -m helpers.torch_train [options]   (or under torchrun; see helpers.torch_train)

Errors are one line on stderr, `error: ...` (from rank 0), with exit code 2; nothing is written."""
import math
import sys
from pathlib import Path

import torch

from helpers import checkpoint
from helpers.torch_train import corpus, loop, net as tnet, options, store
from helpers.workbook.config import SettingError


def finish(args, vocab, parts):
    """Score the saved model once in float64, on validation and test; write its test score into
    model.npz and everything into result.json. Returns the result."""
    path = Path(args.out) / "model.npz"
    params, _, meta = checkpoint.load_model(path)
    device = "cuda" if args.device != "cpu" and torch.cuda.is_available() else "cpu"
    net = tnet.build(args.model, params, device, "float64")
    zero = tnet.zero_state(args.model, params, 1, net.head.weight)
    val, test = (tnet.score_nats(net, ids[:args.eval_chars], zero) for ids in parts[1:])
    scored = {} if args.eval_chars is None else {"test_chars": min(args.eval_chars, len(parts[2]))}
    checkpoint.save_model(path, params, vocab, args.model, step=meta["step"], val_nats=val, test_nats=test,
                          smooth_loss=meta["smooth_loss"], seq_length=args.seq, trained_by=store.TRAINED_BY,
                          **scored)
    last = checkpoint.load_npz(Path(args.out) / "last.npz")
    result = {"model": args.model, "hidden": int(params["V"].shape[1]), "best_step": int(meta["step"]),
              "steps": int(last["step"]), "val_bits": val / math.log(2), "test_bits": test / math.log(2),
              "val_bits_by_step": [[int(s), v / math.log(2)] for s, v in last["vals"]],
              "train_chars_per_s": len(last["losses"]) * args.batch * args.seq / float(last["seconds"]),
              "losses": last["losses"].tolist(), "settings": str(last["recorded"])}
    store.write_json(Path(args.out) / "result.json", result)
    print(f"saved {path} (step {result['best_step']:,} of {result['steps']:,}): "
          f"{result['val_bits']:.4f} bits per validation character, {result['test_bits']:.4f} on test", flush=True)
    return result


def main(argv=None):
    args = options.parser().parse_args(argv)
    rank = loop.ranks()[0]
    try:
        options.check(args)
        device = options.device(args)
        if args.threads:
            torch.set_num_threads(args.threads)
        vocab, parts, digest = corpus.load()
        params = corpus.start_params(args, vocab)
        loop.run(args, vocab, parts, digest, params, device)
        if rank == 0:
            return finish(args, vocab, parts)
    except (options.UsageError, SettingError, ValueError) as e:
        if rank == 0:
            print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        if rank == 0:
            print(f"\ninterrupted: {interrupted(args.out)}", file=sys.stderr)
        sys.exit(130)


def interrupted(out):
    """Where an interrupted run stands: its last checkpoint, and how to go on from it."""
    last = Path(out) / "last.npz"
    if not last.exists():
        return "no checkpoint was written yet; the same command starts again"
    step = int(checkpoint.load_npz(last, required=("step",))["step"])
    return f"{last} holds step {step:,}; run the same command to resume from it"


if __name__ == "__main__":
    main()
