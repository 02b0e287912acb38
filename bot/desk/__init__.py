"""The staff desk (channel-free)."""
