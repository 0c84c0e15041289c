"""What pyproject.toml cannot say: the kit's own files, kept at the repository's top level
(``workshops/``, ``data/``, the Voila template in ``share/``), go into the wheel inside the
``widgets`` package, under ``widgets/kit/``, laid out as in the repository.

Why inside the package, not as data files in ``share/``: the kit finds them beside its own
code (``widgets.paths``) however it was installed (pip, pipx, ``uv tool``, a container),
with no guess at an install prefix. Nothing is ever written there: the store and the chart
cache live in the data folder (see ``widgets.paths.data_dir``).
"""

from setuptools import find_packages, setup

# Where each folder goes in the wheel (as a package name) -> the folder in the repository.
KIT = {
    "widgets.kit.workshops": "workshops",
    "widgets.kit.data": "data",
    "widgets.kit.share.jupyter.voila.templates.conductor":
        "share/jupyter/voila/templates/conductor",
}
FILES = {
    "widgets.kit.workshops": ["*.ipynb"],
    "widgets.kit.data": ["*.csv", "README.md"],  # never a store or drawn charts left there
    "widgets.kit.share.jupyter.voila.templates.conductor": ["**/*"],  # all of the template
}

setup(
    packages=[*find_packages(include=["widgets", "widgets.*"]), *KIT],
    package_dir=KIT,
    package_data=FILES,
)
