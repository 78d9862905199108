"""
Small-count masking moved to the shared layer (hubs/masking.py), where the network's comparison
of hubs (action 1) uses the same rule; governance keeps reading it under its old name.
"""

from hubs.masking import SMALL, SMALL_COUNT, WITHHELD, mask, mask_breakdown, mask_row  # noqa: F401
