-- The language an invitation is written in (chosen by the inviter: the invited person
-- has no profile yet); the account it makes starts with it. None: English.
ALTER TABLE invitations ADD COLUMN language text CHECK (language IN ('en', 'fr', 'de', 'es'));
