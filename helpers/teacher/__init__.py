"""For teachers only: `make exercises` builds a student copy from this repository.

    student -- the copy: solutions replaced by stubs, a fresh git history (`python -m helpers.teacher.student`)
    markers -- BEGIN SOLUTION regions: parsed, replaced by stubs, checked with `ast`
    substitutes -- whole modules the copy holds in place of fast paths that would give exercises away

A student copy leaves this folder out.
"""
