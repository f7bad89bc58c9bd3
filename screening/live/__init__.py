"""Live watchlist changes: add / update / cancel records while serving, without a full
rebuild; compaction into a new immutable version; rollback."""
