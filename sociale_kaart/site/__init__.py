"""The site: page plan, views, rendering, search index, writing, the build."""
