"""Import an existing sociale kaart: Open Referral HSDS and spreadsheets (CSV)."""
