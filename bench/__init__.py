"""The online desk's benchmark: data generator, load runner, settings (see bench/README.md)."""
