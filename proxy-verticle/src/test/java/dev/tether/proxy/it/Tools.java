package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real command-line tools tests need (mariadb, sysbench). {@code ./tether test} installs
 * them and sets TETHER_REQUIRE_TOOLS, so there a missing tool fails the test; a developer running
 * Maven by hand without them sees the test skipped with the reason.
 */
final class Tools {
  private Tools() {}

  record Result(int exitCode, String output) {}

  static void require(String tool) {
    boolean present = new java.io.File("/usr/bin/" + tool).canExecute() || new java.io.File("/usr/local/bin/" + tool).canExecute();
    if (!present && System.getenv("TETHER_REQUIRE_TOOLS") != null) {
      throw new AssertionError(tool + " is not installed, but ./tether test should have installed it");
    }
    assumeTrue(present, tool + " is not installed; run ./tether test, which installs it");
  }

  static Result run(List<String> command, String stdin, long timeoutSeconds) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    byte[][] output = new byte[1][];
    Thread reader = new Thread(() -> {
      try {
        output[0] = process.getInputStream().readAllBytes();
      } catch (IOException e) {
        output[0] = new byte[0];
      }
    });
    reader.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      reader.join(5000);
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    reader.join(5000);
    return new Result(process.exitValue(), new String(output[0] == null ? new byte[0] : output[0], StandardCharsets.UTF_8));
  }
}
