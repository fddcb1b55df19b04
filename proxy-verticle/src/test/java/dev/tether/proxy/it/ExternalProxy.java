package dev.tether.proxy.it;

import dev.tether.testkit.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A proxy node in its own JVM, started with {@link dev.tether.proxy.ProxyMain}, the repository's
 * default configuration (its local test users) and a given heap limit.
 */
final class ExternalProxy implements AutoCloseable {
  private final Process process;
  private final int port;
  private final File log;

  private ExternalProxy(Process process, int port, File log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ExternalProxy start(String maxHeap, int backendPort, String... overrides) throws IOException, InterruptedException {
    int port = TestDatabase.freePort();
    File log = File.createTempFile("tether-proxy", ".log");
    List<String> command = new ArrayList<>(List.of(
        System.getProperty("java.home") + "/bin/java", "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), "dev.tether.proxy.ProxyMain",
        "--config", new File("../cluster-config/tether.yaml").getAbsolutePath(),
        "proxy.port=" + port, "proxy.httpPort=0", "backend.port=" + backendPort));
    command.addAll(List.of(overrides));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
    ExternalProxy proxy = new ExternalProxy(process, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return proxy;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("proxy exited; see " + log);
        }
        Thread.sleep(100);
      }
    }
    proxy.close();
    throw new IOException("proxy did not open its port; see " + log);
  }

  int port() {
    return port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  File log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
