"""What a user looks back on: the call log, recordings and voicemails, the dashboard's overview."""
