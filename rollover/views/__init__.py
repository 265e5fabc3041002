"""The annual cycle's pages."""
