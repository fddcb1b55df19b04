-- Runs once, on the primary's first start (docker-entrypoint-initdb.d), with binary logging on, so
-- the replica receives these users and the schema through replication. Local test credentials,
-- named as such. The application user has no SUPER / CONNECTION_ADMIN: read_only fences it.
CREATE USER IF NOT EXISTS 'tether_admin'@'%' IDENTIFIED BY 'tether_admin';
GRANT ALL ON *.* TO 'tether_admin'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%';
CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app';
GRANT ALL ON tether.* TO 'app'@'%';
CREATE DATABASE IF NOT EXISTS tether;
-- The proxy reads a session's user variables back from performance_schema on MySQL 8.
GRANT SELECT ON performance_schema.user_variables_by_thread TO 'app'@'%';
