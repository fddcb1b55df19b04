-- Runs once, on the replica's first start: replicate from the primary by GTID auto-positioning
-- (users and schema arrive from it). Not started here: the server starts replication itself when
-- it restarts for real after initialisation. Local test credentials.
CHANGE REPLICATION SOURCE TO SOURCE_HOST = '172.28.0.10', SOURCE_PORT = 3306, SOURCE_USER = 'repl',
  SOURCE_PASSWORD = 'repl', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1, SOURCE_CONNECT_RETRY = 2;
