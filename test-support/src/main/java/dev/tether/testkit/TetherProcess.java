package dev.tether.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Tether node or coordinator as a separate JVM, started from its fat jar the way the launcher
 * starts it ({@code java -jar … --config FILE key=value …}), its output in a log file. For tests
 * that kill a process, not a verticle.
 */
public final class TetherProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private TetherProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** {@code module} is "proxy-verticle" or "coordinator-verticle", built by the reactor before the fleet tests run. */
  public static TetherProcess start(String name, String module, Path config, Path dir, List<String> overrides)
      throws IOException {
    Path jar = Path.of("..", module, "target", module + "-0.1.0-SNAPSHOT-fat.jar").toAbsolutePath().normalize();
    if (!Files.exists(jar)) {
      throw new IOException(jar + " is missing: run the fleet tests with mvn verify (./tether test), which packages it");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx384m", "-jar", jar.toString(),
        "--config", config.toString()));
    command.addAll(overrides);
    Files.createDirectories(dir);
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new TetherProcess(name, process, log);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: a node's or coordinator's crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, waiting for the exit. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  public Path log() {
    return log;
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
