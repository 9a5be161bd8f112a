"""A Twilio-compatible emulator: Twilio's REST API (accounts, numbers, applications,
calls, recordings, pricing, usage), simulated calls that fetch TwiML and send signed
callbacks, and the doors a browser's Voice SDK would use.

A neighbour of the product, not part of it: it imports nothing from `callplatform`,
keeps its own tables in its own database (`database`), and the app mounts it (at
`/_sandbox/twilio`) only when no Twilio credentials are configured."""
