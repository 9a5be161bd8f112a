"""Platform administration: analytics across users, and user management (roles, suspension)."""
