"""Staff work on tickets: permissions, scoped queries and actions (used by the admin UI and jobs)."""
