"""The pages of the cases app."""
