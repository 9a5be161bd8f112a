"""What Twilio tells us afterwards: status and recording callbacks applied in order, and
the reconciliation sweep that catches what a lost callback would have said."""
