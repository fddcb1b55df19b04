package dev.tether.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in TCP mode on a free loopback port in front of proxy nodes, as applications reach
 * the fleet. {@link #reload} changes the node list the way an operator does (a new process takes the
 * port, the old one keeps its established connections). Stopped by {@link #close}.
 */
public final class HaProxy implements AutoCloseable {
  /** A node as HAProxy sees it: its MySQL port and its HTTP port for the readiness check. */
  public record Node(int port, int httpPort) {}

  /** How new connections are spread over the nodes. */
  private enum Balance {
    /**
     * Consecutive connections alternate between the nodes (one thread, so strictly in turn: a
     * driver's cancel connection then lands on the other node than the statement it cancels); no checks.
     */
    ROUND_ROBIN("  nbthread 1\n", "  balance roundrobin\n"),
    /** As the launcher runs it: least connections, each node health-checked on its HTTP {@code /ready}. */
    LEAST_CONNECTIONS("", "  balance leastconn\n  option httpchk GET /ready\n");

    final String global;
    final String backend;

    Balance(String global, String backend) {
      this.global = global;
      this.backend = backend;
    }

    String server(int index, Node node) {
      String server = "  server node" + index + " 127.0.0.1:" + node.port();
      return switch (this) {
        case ROUND_ROBIN -> server + "\n";
        case LEAST_CONNECTIONS -> server + " check port " + node.httpPort() + " inter 500ms fall 2 rise 1\n";
      };
    }
  }

  private final Path dir;
  private final int port;
  private final Balance balance;
  private final List<Process> processes = new ArrayList<>();

  private HaProxy(Path dir, Balance balance) {
    this.dir = dir.toAbsolutePath();
    this.port = TestDatabase.freePort();
    this.balance = balance;
  }

  /** Round robin over 127.0.0.1:{@code nodePorts}, its files under {@code target/}. */
  public static HaProxy start(List<Integer> nodePorts) throws IOException {
    HaProxy haProxy = new HaProxy(Path.of("target", "haproxy-" + ProcessHandle.current().pid()), Balance.ROUND_ROBIN);
    haProxy.launch(nodePorts.stream().map(port -> new Node(port, 0)).toList(), null);
    return haProxy;
  }

  /** Least connections over {@code nodes}, checked on their {@code /ready}, its files under {@code dir}. */
  public static HaProxy start(Path dir, List<Node> nodes) throws IOException {
    HaProxy haProxy = new HaProxy(dir, Balance.LEAST_CONNECTIONS);
    haProxy.launch(nodes, null);
    return haProxy;
  }

  public int port() {
    return port;
  }

  /** Routes new connections to {@code nodes} only; connections already established stay up. */
  public void reload(List<Node> nodes) throws IOException {
    launch(nodes, processes.get(processes.size() - 1).pid());
  }

  private void launch(List<Node> nodes, Long replacing) throws IOException {
    StringBuilder cfg = new StringBuilder("global\n  maxconn 4096\n" + balance.global
        + "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\n"
        + "frontend tether\n  bind 127.0.0.1:" + port + "\n  default_backend nodes\n"
        + "backend nodes\n" + balance.backend);
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append(balance.server(i, nodes.get(i)));
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("haproxy-" + port + "-" + processes.size() + ".cfg");
    Files.writeString(file, cfg);
    List<String> command = new ArrayList<>(List.of("haproxy", "-db", "-f", file.toString()));
    if (replacing != null) {
      command.add("-sf");
      command.add(String.valueOf(replacing));
    }
    try {
      processes.add(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start());
    } catch (IOException e) {
      throw new IOException("cannot start haproxy (./tether test installs it)", e);
    }
    awaitListening();
  }

  private void awaitListening() throws IOException {
    Process latest = processes.get(processes.size() - 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!latest.isAlive()) {
        throw new IOException("haproxy exited with " + latest.exitValue() + "; see " + log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    }
    throw new IOException("haproxy did not listen on " + port + "; see " + log());
  }

  private Path log() {
    return dir.resolve("haproxy-" + port + ".log");
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
