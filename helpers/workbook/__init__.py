"""The workbook's machinery: what runs the notebooks and writes the report. Not the assignment.

    config       -- every setting that may come from the environment, declared and checked in one place
    runs         -- a run's own folder, so that runs never mix; staged outputs published at the end
    results      -- the numbers each chapter measured, for the conclusion
    prose, prose_inside, conclusion -- sentences chosen by the numbers, never typed in
    plots, textplots -- the figures under figures/
    visible      -- any character shown safely in Jupyter and in the PDF
    stop         -- a notebook's one-line stop
    report       -- executing the notebooks and rendering the PDF (`python -m helpers.workbook.report`)
    executor, progress -- one notebook in its own kernel, with a live line of which cell is running
    build        -- a run's own folder, published over the last good outputs only when all succeeded
    timings      -- how long each kind of run took, on which machine: figures/timings.md

It imports the course's modules; they never import it.
"""
