"""The partner stage: who works with whom, read from the partner cells of each case.

The public functions are in :mod:`graph.partners.extract`; the modules are listed there.
"""
