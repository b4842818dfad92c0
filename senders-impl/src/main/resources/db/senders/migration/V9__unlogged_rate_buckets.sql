-- The rate-limit buckets are ephemeral state (one token, refilled within a fraction of a second): they need no
-- crash durability, and writing them through the WAL made every send wait for a WAL flush (about 1.3 ms a commit,
-- measured on the CI machine). After a crash PostgreSQL empties an unlogged table; Bucket4j then recreates each
-- bucket, full, on its next use. Unlogged tables are not replicated to standbys: after a failover the buckets start
-- full, which is what a fresh bucket does anyway.
alter table senders_rate_buckets set unlogged;
