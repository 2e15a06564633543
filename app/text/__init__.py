"""Arabic text processing: HTML to text, cleaning, normalization for matching, sentence splitting."""
