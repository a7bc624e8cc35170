"""Pure rendering: plain data in, Block Kit (or console text) out. No I/O here."""
