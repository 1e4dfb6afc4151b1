"""生成AIの活用: the use-case catalogue with safe prompt templates, and the 社内ルールQ&A (issue 11)."""
