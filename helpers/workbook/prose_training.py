"""Sentences on how long a run trained and what its loss curve shows, chosen by the run's settings
and numbers (see helpers.workbook.prose)."""
import numpy as np

from helpers.workbook.config import SETTINGS, quick, setting

COURSE_STEPS = SETTINGS["STEPS"].default    # the course's AdaGrad updates
SCALED = tuple(n for n, spec in SETTINGS.items() if spec.quick is not None)   # the budgets QUICK=1 cuts
TREND = 0.5         # a net change over more than this share of a stretch's range is a trend, not wandering
PRECISION_GAP = 0.25   # bits: float32 and float64 at the same B ending further apart are worth a sentence


def quick_note(is_quick, budgets):
    """'This is a scaled-down smoke-test run (QUICK=1)...' when `is_quick`, else ''. budgets:
    {setting name: this run's value}, said against each setting's full default."""
    if not is_quick:
        return ""
    cut = [f"{value:,} {SETTINGS[name].help.partition(' (')[0]} instead of the full run's {SETTINGS[name].default:,}"
           for name, value in budgets.items() if value != SETTINGS[name].default]
    return (f"**This is a scaled-down smoke-test run (QUICK=1).** Its training budgets are cut ("
            + "".join(c + "; " for c in cut) + "the other chapters' budgets likewise), so its numbers show that the "
            "pipeline runs, not what the model learns.")


def quick_note_now():
    """quick_note for the settings of this kernel."""
    return quick_note(quick(), {name: setting(name) for name in SCALED})


def budget(steps, every, is_quick):
    """03: how this run's updates stand against the course's, and how often it validates and samples."""
    often = f"It scores the validation part, samples and saves the parameters every {every:,} steps."
    if steps == COURSE_STEPS:
        return f"This run makes the course's {COURSE_STEPS:,} updates, exactly as the assignment prescribes. {often}"
    why = "QUICK=1, a smoke test" if is_quick else "set by STEPS"
    return (f"**This run makes {steps:,} updates, not the course's {COURSE_STEPS:,}** ({why}); the rest of "
            f"the training is as the assignment prescribes. {often}")


def smooth_tail(tail):
    """03: what the smooth loss did over its last stretch `tail` (one value per step): still falling
    or rising when the net change is most of its range, else wandering."""
    low, high, change = float(np.min(tail)), float(np.max(tail)), float(tail[-1] - tail[0])
    over = f"over the last {len(tail):,} steps"
    if abs(change) > TREND * (high - low) and change < 0:
        return (f"The smooth loss was still falling, from {tail[0]:.1f} to {tail[-1]:.1f} {over}: training had "
                f"not converged.")
    if abs(change) > TREND * (high - low) and change > 0:
        return f"The smooth loss was rising, from {tail[0]:.1f} to {tail[-1]:.1f} {over}."
    return (f"{over.capitalize()} the smooth loss moved between {low:.1f} and {high:.1f} without a trend: "
            f"successive parts of the text are not equally easy to predict.")


def nats_and_bits(first, last, tau, val_bits):
    """03: the smooth loss from `first` to `last` (summed over tau characters) per character in nats
    and bits, and, when it ends above `val_bits` (the last validation score), why."""
    per = [v / tau for v in (first, last)]
    text = (f"that is from {per[0]:.2f} to {per[1]:.2f} nats per character ({per[0] / np.log(2):.2f} to "
            f"{per[1] / np.log(2):.2f} bits)")
    if per[1] / np.log(2) <= val_bits:
        return text
    return text + (f"; a running average of past updates' losses, it lags the current loss"
                   f", so it reads higher than the {val_bits:.2f} bits the validation part scored at the end")


def precision_gap(bits32, bits64, steps):
    """05: when float32 and float64 at the same B end more than PRECISION_GAP bits apart, that they
    did, and that a run of `steps` updates cannot judge float32 by it; else ''."""
    gap = bits32 - bits64
    if abs(gap) <= PRECISION_GAP:
        return ""
    ahead = "float32" if gap < 0 else "float64"
    return (f" **The two precisions ended {abs(gap):.2f} bits apart, {ahead} ahead**, more than the "
            f"{PRECISION_GAP} bits the default run's check allows: rounding sends single precision down another "
            f"path, and after only {steps:,} updates neither run has settled, so on a run this short the gap is "
            f"not a verdict on float32.")


def short_comparison(chars):
    """06: a QUICK=1 comparison's first caveat: each model read only `chars` characters."""
    return (f"**Each model here read only {chars:,} characters, a smoke test (QUICK=1):** the short training "
            f"comes first in whatever they score, so what follows says how fast each cell and optimizer "
            f"starts, not what it can reach. ")
