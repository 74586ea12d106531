"""Staff pages under /admin: login, triage, inbox, ticket detail, my work, administration."""
