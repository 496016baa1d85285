-- Parley schema, SQLite dialect.
--
-- Format read by db/SchemaMigrator: a line "-- @version N" starts migration step N
-- (steps ascending, never edited once released: add a new step instead); every
-- statement ends with ';' at the end of a line. Each step runs in one transaction
-- together with its row in schema_version.
--
-- Unsigned 64-bit values (message ids, transfer ids, sizes, offsets) are stored as
-- INTEGER holding the same 64 bits in two's complement; db/SqlStore.cpp converts.
-- Times are Unix milliseconds.

-- @version 1
CREATE TABLE schema_version (
    version    INTEGER NOT NULL PRIMARY KEY,
    applied_at INTEGER NOT NULL
);

-- AUTOINCREMENT: an id is never handed out twice, even after a delete.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT    NOT NULL,
    username_key        TEXT    NOT NULL,
    display_name        TEXT    NOT NULL,
    password_hash       BLOB    NOT NULL,
    password_salt       BLOB    NOT NULL,
    password_iterations INTEGER NOT NULL,
    created_at          INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);

-- seq (rowid) is always above every existing row, which is all insertion order needs.
CREATE TABLE offline_messages (
    seq          INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL,
    sender_id    INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    message_type INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    payload      BLOB    NOT NULL
);
CREATE UNIQUE INDEX offline_messages_key ON offline_messages (recipient_id, sender_id, message_id);
CREATE INDEX offline_messages_recipient ON offline_messages (recipient_id, seq);

CREATE TABLE file_transfers (
    sender_id       INTEGER NOT NULL,
    transfer_id     INTEGER NOT NULL,
    receiver_id     INTEGER NOT NULL,
    file_name       TEXT    NOT NULL,
    file_size       INTEGER NOT NULL,
    sha256          BLOB    NOT NULL,
    state           INTEGER NOT NULL,
    verified_offset INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (sender_id, transfer_id)
);
CREATE INDEX file_transfers_receiver ON file_transfers (receiver_id);

-- @version 2
-- What the operator sets on an account, and its last login; a row appears with the
-- first of either (no row: enabled, no login recorded).
CREATE TABLE user_status (
    user_id       INTEGER NOT NULL PRIMARY KEY,
    disabled      INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL
);

-- @version 3
-- Read receipts (ACK Read) for a sender who was offline: the highest upTo per reader.
CREATE TABLE read_receipts (
    sender_id  INTEGER NOT NULL,
    reader_id  INTEGER NOT NULL,
    up_to      INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (sender_id, reader_id)
);

-- @version 4
-- Login tokens ("remember me"): only SHA-256 of each token is kept, never the token.
CREATE TABLE login_tokens (
    token_hash   BLOB    NOT NULL PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX login_tokens_user ON login_tokens (user_id);

-- @version 5
-- Where each user is logged in, for a cluster of servers on one database (docs/cluster-
-- design.md §2.1): every login claims the row with the next generation, which orders the
-- logins of the whole cluster; node '' = logged in nowhere. The row stays after a logout:
-- its generation is what the next claim goes beyond. A single server never writes it.
CREATE TABLE user_homes (
    user_id    INTEGER NOT NULL PRIMARY KEY,
    node       TEXT    NOT NULL,
    generation INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX user_homes_node ON user_homes (node);
