"""One module per document kind, each exposing DEFINITION (a DocumentDefinition)."""
