"""Pages of the peer-networks room, one module per area of work."""
