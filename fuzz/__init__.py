"""Fuzz targets for the untrusted inputs: the contract in targets.py, the runner in run.py."""
