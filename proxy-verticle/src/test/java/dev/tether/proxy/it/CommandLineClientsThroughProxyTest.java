package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.TestDatabase;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The mariadb command-line client and sysbench, through the proxy. */
class CommandLineClientsThroughProxyTest extends ThroughProxy {



  private static final String SCRIPT = String.join("\n",
      "DROP TABLE IF EXISTS cli_t;",
      "CREATE TABLE cli_t (id INT PRIMARY KEY, note VARCHAR(40)) CHARACTER SET utf8mb4;",
      "INSERT INTO cli_t VALUES (1, 'ünï 😀'), (2, NULL), (3, 'three');",
      "SELECT * FROM cli_t ORDER BY id;",
      "SELECT COUNT(*), GROUP_CONCAT(id ORDER BY id) FROM cli_t;",
      "SET @v = 'user var';",
      "SELECT @v, DATABASE();",
      "SHOW WARNINGS;",
      "SELECT 1/0;",
      "SHOW WARNINGS;",
      "status",
      "");

  private static Tools.Result cli(int port, String script, boolean ssl) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("mariadb", "--no-defaults", "-h", "127.0.0.1",
        "-P", String.valueOf(port), "-u", "app", "-papp", "--batch", "--default-character-set=utf8mb4", "tether"));
    if (ssl) {
      command.add("--ssl");
    }
    return Tools.run(command, script, 60);
  }

  /** The parts of `status` that legitimately differ (connection id, port, uptime, TLS) are dropped. */
  private static String comparable(String output) {
    StringBuilder kept = new StringBuilder();
    for (String line : output.split("\n")) {
      if (!line.matches("(?i)^(Connection id|TCP port|Uptime|Threads|SSL|Connection|Server characterset|Db +characterset|Client characterset|Conn\\. +characterset|UNIX socket|Current pager|Using outfile|Using delimiter|Protocol version|Insert id|mariadb +Ver|Current database|Current user|Server|Server version).*")) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  @Test
  void mariadbCommandLineClientSeesTheSameOutputThroughTheProxy() throws Exception {
    Tools.require("mariadb");
    Tools.Result direct = cli(TestDatabase.shared().port(), SCRIPT, false);
    Tools.Result proxied = cli(proxy.port(), SCRIPT, false);
    assertEquals(0, direct.exitCode(), direct.output());
    assertEquals(0, proxied.exitCode(), proxied.output());
    assertEquals(comparable(direct.output()), comparable(proxied.output()));
    assertTrue(proxied.output().contains("ünï 😀"), proxied.output());
  }

  @Test
  void mariadbCommandLineClientWorksOverTls() throws Exception {
    Tools.require("mariadb");
    Tools.Result proxied = cli(proxy.port(), "SELECT 'tls ok';\nstatus\n", true);
    assertEquals(0, proxied.exitCode(), proxied.output());
    assertTrue(proxied.output().contains("tls ok"));
    assertTrue(proxied.output().matches("(?s).*SSL:\\s+Cipher in use is.*"), proxied.output());
  }

  @Test
  void sysbenchReadWriteRunsThroughTheProxyWithoutErrors() throws Exception {
    Tools.require("sysbench");
    List<String> common = List.of("--db-driver=mysql", "--mysql-host=127.0.0.1", "--mysql-port=" + proxy.port(),
        "--mysql-user=app", "--mysql-password=app", "--mysql-db=tether", "--tables=8", "--table-size=10000",
        "--threads=8", "--time=10", "--rand-type=uniform");
    List<String> cleanup = new java.util.ArrayList<>(List.of("sysbench", "oltp_read_write"));
    cleanup.addAll(common);
    cleanup.add("cleanup");
    Tools.run(cleanup, null, 60);
    List<String> prepare = new java.util.ArrayList<>(cleanup);
    prepare.set(prepare.size() - 1, "prepare");
    Tools.Result prepared = Tools.run(prepare, null, 120);
    assertEquals(0, prepared.exitCode(), prepared.output());
    List<String> run = new java.util.ArrayList<>(cleanup);
    run.set(run.size() - 1, "run");
    Tools.Result result = Tools.run(run, null, 120);
    assertEquals(0, result.exitCode(), result.output());
    Matcher errors = Pattern.compile("ignored errors:\\s+(\\d+)").matcher(result.output());
    assertTrue(errors.find(), result.output());
    assertEquals("0", errors.group(1), result.output());
    Matcher transactions = Pattern.compile("transactions:\\s+(\\d+)").matcher(result.output());
    assertTrue(transactions.find() && Long.parseLong(transactions.group(1)) > 100, result.output());
    Tools.run(cleanup, null, 60);
  }
}
