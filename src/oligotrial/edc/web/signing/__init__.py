"""Pages of the investigator's e-signature and of the data manager's freeze and lock."""
