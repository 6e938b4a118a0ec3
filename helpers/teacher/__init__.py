"""For teachers only: `make exercises` builds a student copy from this repository.

    student -- the copy: solutions replaced by stubs, a fresh git history (`python -m helpers.teacher.student`)
    markers -- BEGIN SOLUTION / BEGIN FAST regions: parsed, replaced, checked with `ast`

A student copy leaves this folder out.
"""
