"""The live preview: a local server with incremental rebuilds."""
