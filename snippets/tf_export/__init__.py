"""Article: what @tf_export does (docs/*/posts/tf-export.md)."""
