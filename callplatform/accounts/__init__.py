"""Who a user is: registration, passwords, login sessions and their throttle, API tokens
and the API's request budget."""
