-- Up Migration
-- Vangnet's tables. Each record is kept whole in `data` (the same JSON as the embedded store); the columns beside
-- it are what queries, unique keys and conditional writes need. `version` is bumped on every change.

CREATE TABLE conversations (
  platform        text NOT NULL,
  conversation_id text NOT NULL,
  kind            text NOT NULL,
  user_id         text,
  aad_object_id   text,
  updated_at      timestamptz NOT NULL,
  data            jsonb NOT NULL,
  PRIMARY KEY (platform, conversation_id)
);
CREATE INDEX conversations_personal_user ON conversations (platform, user_id) WHERE kind = 'personal';
CREATE INDEX conversations_personal_aad ON conversations (platform, aad_object_id) WHERE kind = 'personal';

CREATE TABLE gaps (
  id   bigserial PRIMARY KEY,
  data jsonb NOT NULL
);

CREATE TABLE feedback (
  id   bigserial PRIMARY KEY,
  data jsonb NOT NULL
);

-- Feedback counts once per person per card: a hash of both, never the person.
CREATE TABLE feedback_keys (
  key text PRIMARY KEY,
  at  timestamptz NOT NULL
);

CREATE TABLE flows (
  id          text PRIMARY KEY,
  platform    text NOT NULL,
  reporter_id text NOT NULL,
  status      text NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     integer NOT NULL,
  data        jsonb NOT NULL
);
-- A teacher has at most one report in progress.
CREATE UNIQUE INDEX flows_one_active ON flows (platform, reporter_id) WHERE status = 'active';

CREATE TABLE form_cards (
  form_id    text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  data       jsonb NOT NULL
);

-- Case numbers per year, unique across instances.
CREATE TABLE sequences (
  name  text PRIMARY KEY,
  value bigint NOT NULL
);

CREATE TABLE cases (
  id                text PRIMARY KEY,
  -- The flow or form the case was made from: one case per form, whatever the timing.
  form_id           text NOT NULL UNIQUE,
  status            text NOT NULL,
  reporter_platform text NOT NULL,
  reporter_user     text,
  deadline_at       timestamptz,
  closed_at         timestamptz,
  anonymised        boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL,
  version           integer NOT NULL,
  data              jsonb NOT NULL
);
CREATE INDEX cases_due ON cases (deadline_at) WHERE status = 'open';
CREATE INDEX cases_reporter ON cases (reporter_platform, reporter_user);
CREATE INDEX cases_status_created ON cases (status, created_at DESC);
CREATE INDEX cases_closed ON cases (closed_at) WHERE status = 'closed' AND NOT anonymised;
CREATE INDEX cases_created ON cases (created_at DESC, id DESC);

CREATE TABLE outbox (
  id              text PRIMARY KEY,
  case_id         text NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  claimed_by      text,
  claimed_until   timestamptz,
  data            jsonb NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, created_at);
CREATE INDEX outbox_case ON outbox (case_id);

CREATE TABLE role_overrides (
  role text PRIMARY KEY,
  data jsonb NOT NULL
);

CREATE TABLE subscriptions (
  id      text PRIMARY KEY,
  version integer NOT NULL,
  data    jsonb NOT NULL
);

CREATE TABLE once_keys (
  key        text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE leases (
  name       text PRIMARY KEY,
  owner      text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE leases, once_keys, subscriptions, role_overrides, outbox, cases, sequences, form_cards, flows,
  feedback_keys, feedback, gaps, conversations;
