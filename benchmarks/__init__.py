"""Scale benchmarks: a synthetic casebook generator and a stage-by-stage timing harness."""
