-- Users who sign in through the identity provider are known by the provider's subject.
ALTER TABLE users ADD COLUMN oidc_subject text UNIQUE;
