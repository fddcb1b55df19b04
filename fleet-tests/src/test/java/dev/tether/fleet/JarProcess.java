package dev.tether.fleet;

import dev.tether.cluster.HazelcastSetup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A node or coordinator run as operators run it: its fat jar in its own JVM, with the launcher's JVM options. */
final class JarProcess implements AutoCloseable {
  final Process process;
  final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The fat jar of {@code module} (proxy-verticle or coordinator-verticle), built by the reactor's package phase. */
  static Path jar(String module) throws IOException {
    Path target = Path.of("..", module, "target");
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-fat.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no fat jar under " + target + ": run mvn verify (or package) first"));
    }
  }

  static JarProcess start(String module, Path config, Path log, String... overrides) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-Xms128m", "-Xmx1g")); // the launcher's heap
    command.addAll(HazelcastSetup.JVM_OPTIONS);
    command.addAll(List.of("-jar", jar(module).toString(), "--config", config.toString()));
    command.addAll(List.of(overrides));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new JarProcess(process, log);
  }

  /** Waits until {@code url} answers 200 (with the bearer token when not null). */
  static void awaitOk(String url, String token, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
          request.header("Authorization", "Bearer " + token);
        }
        if (http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(url + " did not answer 200 within " + timeout);
  }

  List<String> logLines() throws IOException {
    return Files.readAllLines(log);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
