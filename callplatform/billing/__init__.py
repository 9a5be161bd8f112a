"""Money: the cost ledger and its rollups, monthly usage, spend caps and rate limits."""
