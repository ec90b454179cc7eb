"""Open job and apprenticeship offers: the normalised record, importers and storage."""
