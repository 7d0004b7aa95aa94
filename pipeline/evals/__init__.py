"""Evaluation suites: cases, scorers, runs, reports and run-to-run comparison.

``lmn eval run`` runs a suite of :class:`~pipeline.evals.cases.EvalCase` through the real
pipeline with a chosen engine and writes a run folder (results.jsonl, summary.json,
report.md, report.html); ``lmn eval compare`` shows what changed between two runs.
"""
