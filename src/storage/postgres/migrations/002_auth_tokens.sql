-- Up Migration
-- Workspace sessions and one-time sign-in and download links, under the SHA-256 of their secret.
CREATE TABLE auth_tokens (
  key        text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  data       jsonb NOT NULL
);
CREATE INDEX auth_tokens_expiry ON auth_tokens (expires_at);

-- Down Migration
DROP TABLE auth_tokens;
