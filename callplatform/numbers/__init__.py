"""Phone numbers: searching, pricing, buying, settings, releasing and repairing interrupted
purchases."""
