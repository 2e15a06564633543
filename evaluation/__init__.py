"""EASC evaluation: Arabic-aware ROUGE, the EASC loader and word budget, extractive baselines."""
