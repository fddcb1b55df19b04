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
 * A real HAProxy in TCP mode in front of proxy nodes, as the launcher runs it: least connections,
 * each node health-checked on its HTTP {@code /ready}. {@link #reload} changes the node list the way
 * an operator does (a new process takes the port, the old one keeps its established connections).
 */
public final class LoadBalancer implements AutoCloseable {
  /** A node as HAProxy sees it: its MySQL port and its HTTP port for the readiness check. */
  public record Node(int port, int httpPort) {}

  private final Path dir;
  private final int port;
  private final List<Process> processes = new ArrayList<>();

  private LoadBalancer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static LoadBalancer start(Path dir, List<Node> nodes) throws IOException {
    Files.createDirectories(dir);
    LoadBalancer balancer = new LoadBalancer(dir.toAbsolutePath(), TestDatabase.freePort());
    balancer.launch(nodes, null);
    return balancer;
  }

  public int port() {
    return port;
  }

  /** Routes new connections to {@code nodes} only; connections already established stay up. */
  public void reload(List<Node> nodes) throws IOException {
    Process previous = processes.get(processes.size() - 1);
    launch(nodes, previous.pid());
  }

  private void launch(List<Node> nodes, Long replacing) throws IOException {
    StringBuilder cfg = new StringBuilder("global\n  maxconn 4096\ndefaults\n  mode tcp\n  timeout connect 5s\n"
        + "  timeout client 1h\n  timeout server 1h\nfrontend tether\n  bind 127.0.0.1:" + port + "\n"
        + "  default_backend proxies\nbackend proxies\n  balance leastconn\n  option httpchk GET /ready\n");
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("  server node").append(i).append(" 127.0.0.1:").append(nodes.get(i).port()).append(" check port ")
          .append(nodes.get(i).httpPort()).append(" inter 500ms fall 2 rise 1\n");
    }
    Path file = dir.resolve("haproxy-" + processes.size() + ".cfg");
    Files.writeString(file, cfg);
    List<String> command = new ArrayList<>(List.of("haproxy", "-f", file.toString()));
    if (replacing != null) {
      command.add("-sf");
      command.add(String.valueOf(replacing));
    }
    processes.add(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile())).start());
    awaitListening();
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IOException("HAProxy did not listen on " + port + "; see " + dir.resolve("haproxy.log"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
  }
}
