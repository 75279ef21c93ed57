"""Dutch language knowledge: words, dates, schedule sentences, compounds."""
