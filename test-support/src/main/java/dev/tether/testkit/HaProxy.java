package dev.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in TCP mode on a free loopback port in front of proxy nodes, as applications reach
 * the fleet: round robin, so consecutive connections alternate between the nodes (a driver's cancel
 * connection then lands on the other node than the statement it cancels). One process per test,
 * stopped by {@link #close}.
 */
public final class HaProxy implements AutoCloseable {
  private final Process process;
  private final int port;

  private HaProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts HAProxy balancing over 127.0.0.1:{@code nodePorts}. */
  public static HaProxy start(List<Integer> nodePorts) {
    int port = TestDatabase.freePort();
    Path dir = Path.of("target", "haproxy-" + ProcessHandle.current().pid() + "-" + port).toAbsolutePath();
    StringBuilder cfg = new StringBuilder(String.join("\n",
        "global", "  maxconn 4096", "  nbthread 1",
        "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 1h", "  timeout server 1h",
        "frontend tether", "  bind 127.0.0.1:" + port, "  default_backend nodes",
        "backend nodes", "  balance roundrobin", ""));
    for (int i = 0; i < nodePorts.size(); i++) {
      cfg.append("  server node").append(i).append(" 127.0.0.1:").append(nodePorts.get(i)).append('\n');
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("haproxy.cfg");
      Files.writeString(file, cfg.toString());
      Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile()))
          .start();
      HaProxy haProxy = new HaProxy(process, port);
      haProxy.awaitPort();
      return haProxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start haproxy (./tether test installs it)", e);
    }
  }

  public int port() {
    return port;
  }

  private void awaitPort() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("haproxy exited with " + process.exitValue());
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
    throw new IOException("haproxy did not listen on " + port);
  }

  @Override
  public void close() {
    process.destroy();
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
