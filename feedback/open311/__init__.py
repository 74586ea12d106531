"""Open311 GeoReport v2: partner apps submit and read service requests (our tickets)."""
