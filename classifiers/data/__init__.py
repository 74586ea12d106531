"""Training corpus: raw files per category and the fixed train/test split."""
