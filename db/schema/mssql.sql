-- Parley schema, Microsoft SQL Server dialect (2012 or later).
--
-- Format read by db/SchemaMigrator: a line "-- @version N" starts migration step N
-- (steps ascending, never edited once released: add a new step instead); every
-- statement ends with ';' at the end of a line. No GO separators: each statement is
-- sent on its own. Each step runs in one transaction together with its row in
-- schema_version (SQL Server DDL is transactional).
--
-- Unsigned 64-bit values are stored as BIGINT holding the same 64 bits in two's
-- complement. Times are Unix milliseconds. Text is NVARCHAR (UTF-16).
-- username_key uses a binary collation: the store computes the case-insensitive key,
-- and the index must not add accent- or width-insensitivity of its own.

-- @version 1
CREATE TABLE schema_version (
    version    INT    NOT NULL PRIMARY KEY,
    applied_at BIGINT NOT NULL
);

CREATE TABLE users (
    id                  INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    username            NVARCHAR(255)  NOT NULL,
    username_key        NVARCHAR(255)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    display_name        NVARCHAR(255)  NOT NULL,
    password_hash       VARBINARY(64)  NOT NULL,
    password_salt       VARBINARY(64)  NOT NULL,
    password_iterations INT            NOT NULL,
    created_at          BIGINT         NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username_key)
);

CREATE TABLE offline_messages (
    seq          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    recipient_id INT            NOT NULL,
    sender_id    INT            NOT NULL,
    message_id   BIGINT         NOT NULL,
    message_type INT            NOT NULL,
    created_at   BIGINT         NOT NULL,
    payload      VARBINARY(MAX) NOT NULL,
    CONSTRAINT offline_messages_key UNIQUE (recipient_id, sender_id, message_id)
);
CREATE INDEX offline_messages_recipient ON offline_messages (recipient_id, seq);

CREATE TABLE file_transfers (
    sender_id       INT            NOT NULL,
    transfer_id     BIGINT         NOT NULL,
    receiver_id     INT            NOT NULL,
    file_name       NVARCHAR(1024) NOT NULL,
    file_size       BIGINT         NOT NULL,
    sha256          VARBINARY(64)  NOT NULL,
    state           SMALLINT       NOT NULL,
    verified_offset BIGINT         NOT NULL,
    updated_at      BIGINT         NOT NULL,
    CONSTRAINT file_transfers_pk PRIMARY KEY (sender_id, transfer_id)
);
CREATE INDEX file_transfers_receiver ON file_transfers (receiver_id);

-- @version 2
-- What the operator sets on an account, and its last login; a row appears with the
-- first of either (no row: enabled, no login recorded).
CREATE TABLE user_status (
    user_id       INT    NOT NULL PRIMARY KEY,
    disabled      INT    NOT NULL,
    last_login_at BIGINT NOT NULL
);

-- @version 3
-- Read receipts (ACK Read) for a sender who was offline: the highest upTo per reader.
CREATE TABLE read_receipts (
    sender_id  INT    NOT NULL,
    reader_id  INT    NOT NULL,
    up_to      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT read_receipts_pk PRIMARY KEY (sender_id, reader_id)
);

-- @version 4
-- Login tokens ("remember me"): only SHA-256 of each token is kept, never the token.
CREATE TABLE login_tokens (
    token_hash   VARBINARY(32) NOT NULL,
    user_id      INT           NOT NULL,
    created_at   BIGINT        NOT NULL,
    expires_at   BIGINT        NOT NULL,
    last_used_at BIGINT        NOT NULL,
    CONSTRAINT login_tokens_pk PRIMARY KEY (token_hash)
);
CREATE INDEX login_tokens_user ON login_tokens (user_id);

-- @version 5
-- Where each user is logged in, for a cluster of servers on one database (docs/cluster-
-- design.md §2.1): every login claims the row with the next generation, which orders the
-- logins of the whole cluster; node '' = logged in nowhere. The row stays after a logout:
-- its generation is what the next claim goes beyond. A single server never writes it.
CREATE TABLE user_homes (
    user_id    INT         NOT NULL,
    node       VARCHAR(64) NOT NULL,
    generation BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL,
    CONSTRAINT user_homes_pk PRIMARY KEY (user_id)
);
CREATE INDEX user_homes_node ON user_homes (node);
