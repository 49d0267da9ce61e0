"""What every app may use: cache generations, the visitors' page cache, after-commit
helpers and the background email task. The bottom of the layer order
(`docs/architecture.md`): it imports no other app of ours."""
