"""Dialogs: record forms, set-up, attachments."""
