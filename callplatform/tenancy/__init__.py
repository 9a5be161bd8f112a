"""Each tenant's own Twilio subaccount and the encryption of the secrets stored for it."""
