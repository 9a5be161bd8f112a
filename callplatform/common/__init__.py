"""What every domain shares: service errors (and where Twilio's failures become them), ids
and text as services accept them, phone number formatting, idempotency keys, the audit
log, the admin check, and the URLs Twilio calls back on."""
