"""Files made from a Kaart besides the pages: JSON-LD, iCal, HSDS, GeoJSON, reports."""
