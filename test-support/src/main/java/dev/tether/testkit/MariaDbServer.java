package dev.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private MariaDB server from the Debian package, on a loopback port with its data under a folder
 * the test owns. Tests can stop, kill and restart it in place, which is what a primary restart or
 * crash looks like to a proxy.
 */
public final class MariaDbServer implements AutoCloseable {
  /** Local test credentials, created on every server the fixture initialises. */
  public static final String ADMIN_USER = "tether_admin";
  public static final String ADMIN_PASSWORD = "tether_admin";
  public static final String APP_USER = "app";
  public static final String APP_PASSWORD = "app";
  public static final String APP2_USER = "app2";
  public static final String APP2_PASSWORD = "app2";
  public static final String SCHEMA = "tether";

  /** Run outside the binary log: every server gets its own users, and replication carries only data. */
  private static final String BOOTSTRAP_SQL = String.join("\n",
      "SET SESSION sql_log_bin = 0;",
      "CREATE USER IF NOT EXISTS 'tether_admin'@'%' IDENTIFIED BY 'tether_admin';",
      "GRANT ALL ON *.* TO 'tether_admin'@'%' WITH GRANT OPTION;",
      "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app';",
      "GRANT ALL ON *.* TO 'app'@'%';",
      "REVOKE READ ONLY ADMIN ON *.* FROM 'app'@'%';",
      "CREATE USER IF NOT EXISTS 'app2'@'%' IDENTIFIED BY 'app2';",
      "GRANT ALL ON *.* TO 'app2'@'%';",
      "REVOKE READ ONLY ADMIN ON *.* FROM 'app2'@'%';",
      "CREATE DATABASE IF NOT EXISTS tether;",
      "FLUSH PRIVILEGES;");

  private final Path dir;
  private final int port;
  private final int serverId;
  private final List<String> extraArgs;
  private Process process;

  private MariaDbServer(Path dir, int port, int serverId, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.serverId = serverId;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Initialises (once) and starts a server; returns when it accepts the test users. */
  public static MariaDbServer start(Path dir, int port, int serverId, List<String> extraArgs) throws IOException {
    MariaDbServer server = new MariaDbServer(dir.toAbsolutePath(), port, serverId, extraArgs);
    boolean fresh = !Files.isDirectory(server.dataDir().resolve("mysql"));
    if (fresh) {
      Files.createDirectories(server.dataDir());
      // a tmpdir of its own: concurrent installs sharing /tmp collide on their temporary tables (1051)
      Path tmp = Files.createDirectories(server.dir().resolve("install-tmp"));
      run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + server.dataDir(), "--auth-root-authentication-method=socket",
          "--skip-test-db", "--tmpdir=" + tmp), dir.resolve("install.log"));
    }
    server.start();
    if (fresh) {
      server.rootSql(BOOTSTRAP_SQL);
    }
    return server;
  }

  public static MariaDbServer start(Path dir, int port) throws IOException {
    return start(dir, port, 1, List.of());
  }

  /** Starts the process on the same port and data (again, after {@link #stop} or {@link #kill}). */
  public synchronized void start() throws IOException {
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("mariadbd", "--no-defaults",
        "--datadir=" + dataDir(), "--port=" + port, "--bind-address=127.0.0.1",
        "--socket=" + socket(), "--pid-file=" + dir.resolve("mariadbd.pid"),
        "--log-error=" + dir.resolve("error.log"), "--server-id=" + serverId,
        "--log-bin=mariadb-bin", "--log-slave-updates", "--binlog-format=ROW", "--gtid-strict-mode=ON",
        "--skip-name-resolve", "--max-allowed-packet=64M", "--local-infile=1",
        "--innodb-buffer-pool-size=256M", "--max-connections=1000"));
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--user=root");
    }
    command.addAll(extraArgs);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .start();
    awaitPort(Duration.ofSeconds(60));
  }

  /** Clean shutdown (SIGTERM), waiting for the process to exit. */
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      waitFor(Duration.ofSeconds(60));
    }
  }

  /** Crash (SIGKILL): what an unplanned primary failure looks like. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(30));
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  public String jdbcUrl(String user, String password) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + SCHEMA + "?user=" + user + "&password=" + password;
  }

  /** Makes this server a read-only GTID replica of {@code primary}. */
  public void replicateFrom(MariaDbServer primary) throws IOException {
    rootSql("SET GLOBAL read_only = ON; CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
        + ", MASTER_USER='" + ADMIN_USER + "', MASTER_PASSWORD='" + ADMIN_PASSWORD + "', MASTER_USE_GTID=slave_pos;"
        + " START SLAVE;");
  }

  /** Runs SQL as root over the unix socket with the mariadb command-line client. */
  public void rootSql(String sql) throws IOException {
    Path script = dir.resolve("bootstrap.sql");
    Files.writeString(script, sql);
    run(List.of("sh", "-c", "mariadb --no-defaults -uroot -S '" + socket() + "' < '" + script + "'"), dir.resolve("sql.log"));
  }

  /** Stops the server and deletes its directory: each leaves about 380 MB (InnoDB's files) behind otherwise. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: a directory left behind costs disk, not correctness
    }
  }

  private Path dataDir() {
    return dir.resolve("data");
  }

  private Path socket() {
    return dir.resolve("mariadbd.sock");
  }

  private void waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitPort(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("mariadbd exited with " + process.exitValue() + "; see " + dir.resolve("error.log"));
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IOException("mariadbd did not open port " + port + " within " + timeout.toSeconds() + " s");
  }

  private static void run(List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
