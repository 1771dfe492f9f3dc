"""The code of every article: one subpackage per article, named after its slug."""
