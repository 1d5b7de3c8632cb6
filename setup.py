"""Carry the top-level data/ directory into the wheel as kyogitai_tui/data.

The repository keeps data (seed catalog, demo municipality) at the top level, as
the design asks; an installed package must still find it, editable or not.
"""
from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        src = Path(__file__).parent / "data"
        dst = Path(self.build_lib) / "kyogitai_tui" / "data"
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildPyWithData})
