"""The synthetic sample archive: invented documents in the real sources formats."""
