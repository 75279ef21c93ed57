"""Tools for maintainers: JSON Schemas, Decap CMS config, new entries, CODEOWNERS."""
