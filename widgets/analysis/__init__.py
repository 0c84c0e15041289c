"""Pure analysis: DataFrames and plain values in, DataFrames and plain values out.

No widgets, no store, no files here: this is where correctness lives, so it is tested
hardest and can be used from any notebook or script.
"""
