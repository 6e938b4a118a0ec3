import os
import shutil

import numpy as np
import pytest

NO_PDF = "so the PDF is not built or read"
INSTALL_TEX = ("to install: Debian/Ubuntu: sudo apt-get install texlive-xetex texlive-fonts-recommended "
               "texlive-plain-generic pandoc poppler-utils fonts-dejavu-core; macOS: MacTeX (or brew install "
               "--cask mactex-no-gui) and brew install pandoc poppler; Windows: use WSL")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def tex():
    """The PDF tests need xelatex, pandoc and pdftotext: without them they are skipped, and on CI
    (CI=true) they fail."""
    missing = [tool for tool in ("xelatex", "pandoc", "pdftotext") if shutil.which(tool) is None]
    if missing:
        why = f"no {', '.join(missing)} on PATH, {NO_PDF}; {INSTALL_TEX}"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"CI={os.environ['CI']}: {why}", pytrace=False)
        pytest.skip(why)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Skips for want of TeX all point here, so that -rs folds them into one line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and NO_PDF in report.longrepr[2]:
        report.longrepr = (__file__, None, report.longrepr[2])
    return report
