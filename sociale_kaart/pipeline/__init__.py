"""Load -> validate -> resolve: content files to a checked Kaart."""
