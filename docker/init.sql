-- Local test users and schema for the compose fleet (test credentials, named as such).
CREATE USER IF NOT EXISTS 'tether_admin'@'%' IDENTIFIED BY 'tether_admin';
GRANT ALL ON *.* TO 'tether_admin'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, BINLOG MONITOR ON *.* TO 'repl'@'%';
CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app';
GRANT ALL ON tether.* TO 'app'@'%';
CREATE DATABASE IF NOT EXISTS tether;
