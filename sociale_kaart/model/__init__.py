"""The domain: entry models, field types, schedules, the linked Kaart."""
