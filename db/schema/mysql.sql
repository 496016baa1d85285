-- Parley schema, MySQL / MariaDB dialect (InnoDB, utf8mb4).
--
-- Format read by db/SchemaMigrator: a line "-- @version N" starts migration step N
-- (steps ascending, never edited once released: add a new step instead); every
-- statement ends with ';' at the end of a line.
--
-- MySQL commits DDL implicitly, so a step is not atomic here: its statements use
-- IF NOT EXISTS and keep indexes inside CREATE TABLE, so that a step interrupted
-- half-way is simply run again.
--
-- Unsigned 64-bit values are stored as BIGINT (signed) holding the same 64 bits in
-- two's complement; SQL Server and SQLite have no unsigned 64-bit type, and one
-- encoding keeps the code the same for all. Times are Unix milliseconds.
-- username_key uses a binary collation: the store computes the case-insensitive key,
-- and the index must not add accent- or pad-insensitivity of its own.

-- @version 1
CREATE TABLE IF NOT EXISTS schema_version (
    version    INT    NOT NULL PRIMARY KEY,
    applied_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS users (
    id                  INT            NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username            VARCHAR(255)   NOT NULL,
    username_key        VARCHAR(255)   NOT NULL,
    display_name        VARCHAR(255)   NOT NULL,
    password_hash       VARBINARY(64)  NOT NULL,
    password_salt       VARBINARY(64)  NOT NULL,
    password_iterations INT            NOT NULL,
    created_at          BIGINT         NOT NULL,
    UNIQUE KEY users_username_key (username_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS offline_messages (
    seq          BIGINT   NOT NULL AUTO_INCREMENT PRIMARY KEY,
    recipient_id INT      NOT NULL,
    sender_id    INT      NOT NULL,
    message_id   BIGINT   NOT NULL,
    message_type INT      NOT NULL,
    created_at   BIGINT   NOT NULL,
    payload      LONGBLOB NOT NULL,
    UNIQUE KEY offline_messages_key (recipient_id, sender_id, message_id),
    KEY offline_messages_recipient (recipient_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS file_transfers (
    sender_id       INT            NOT NULL,
    transfer_id     BIGINT         NOT NULL,
    receiver_id     INT            NOT NULL,
    file_name       VARCHAR(1024)  NOT NULL,
    file_size       BIGINT         NOT NULL,
    sha256          VARBINARY(64)  NOT NULL,
    state           SMALLINT       NOT NULL,
    verified_offset BIGINT         NOT NULL,
    updated_at      BIGINT         NOT NULL,
    PRIMARY KEY (sender_id, transfer_id),
    KEY file_transfers_receiver (receiver_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- @version 2
-- What the operator sets on an account, and its last login; a row appears with the
-- first of either (no row: enabled, no login recorded). A table of its own rather than
-- columns of users: CREATE TABLE IF NOT EXISTS re-runs, ALTER TABLE ADD COLUMN does not
-- (IF NOT EXISTS there is MariaDB-only).
CREATE TABLE IF NOT EXISTS user_status (
    user_id       INT    NOT NULL PRIMARY KEY,
    disabled      INT    NOT NULL,
    last_login_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- @version 3
-- Read receipts (ACK Read) for a sender who was offline: the highest upTo per reader.
CREATE TABLE IF NOT EXISTS read_receipts (
    sender_id  INT    NOT NULL,
    reader_id  INT    NOT NULL,
    up_to      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (sender_id, reader_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- @version 4
-- Login tokens ("remember me"): only SHA-256 of each token is kept, never the token.
CREATE TABLE IF NOT EXISTS login_tokens (
    token_hash   VARBINARY(32) NOT NULL PRIMARY KEY,
    user_id      INT           NOT NULL,
    created_at   BIGINT        NOT NULL,
    expires_at   BIGINT        NOT NULL,
    last_used_at BIGINT        NOT NULL,
    INDEX login_tokens_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- @version 5
-- Where each user is logged in, for a cluster of servers on one database (docs/cluster-
-- design.md §2.1): every login claims the row with the next generation, which orders the
-- logins of the whole cluster; node '' = logged in nowhere. The row stays after a logout:
-- its generation is what the next claim goes beyond. A single server never writes it.
CREATE TABLE IF NOT EXISTS user_homes (
    user_id    INT         NOT NULL PRIMARY KEY,
    node       VARCHAR(64) NOT NULL,
    generation BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL,
    INDEX user_homes_node (node)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
