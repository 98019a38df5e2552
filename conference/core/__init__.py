"""The ground every feature stands on; it imports nothing of the features.

- db.py: the database handle, the column types, and write_transaction (one action, one
  transaction, the audit entry before the commit and the publish after it);
- models.py: the typed models; everything hangs off a conference;
- state.py: the show-state row of a conference and its version, bumped by every change;
- errors.py: the one refusal type (a stable code, a msgid, its values apart);
- fields.py, textnorm.py: bounded fields; Vietnamese text (exact spelling, folded search keys,
  name order);
- dates.py, spreadsheets.py: local times and NĐ 30 dates; cells that stay text;
- config.py, resources.py, extensions.py, i18n.py, uploads.py, log_redaction.py: settings, where
  the files are, the Flask extensions, the interface language, bounded uploads, tokens kept out
  of logs.
"""
