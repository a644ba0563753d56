"""Executes every notebook in this folder (CI runs this so the notebooks cannot rot).

Usage: python notebooks/run.py   (SAMKOST_BIN selects the samkost binary)
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

here = Path(__file__).resolve().parent
failed = 0
for path in sorted(here.glob("*.ipynb")):
    notebook = nbformat.read(path, as_version=4)
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(here)}}).execute()
        print(f"ok: {path.name}")
    except Exception as error:  # report every notebook, then fail
        failed += 1
        print(f"FAILED: {path.name}: {error}", file=sys.stderr)
sys.exit(1 if failed else 0)
