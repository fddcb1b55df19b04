package dev.tether.fleet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium as a test drives it: dump a page's DOM after it loaded, or take a
 * screenshot. {@code ./tether test} installs it and sets TETHER_REQUIRE_TOOLS (then a missing
 * browser fails the test); without it a developer's run skips with the reason.
 */
final class Chromium {
  private static final String BINARY = "/usr/bin/chromium";

  private Chromium() {}

  static void require() {
    boolean present = new File(BINARY).canExecute();
    if (!present && System.getenv("TETHER_REQUIRE_TOOLS") != null) {
      throw new AssertionError("chromium is not installed, but ./tether test should have installed it");
    }
    assumeTrue(present, "chromium is not installed; run ./tether test, which installs it");
  }

  static String dumpDom(String url, Path profile) throws Exception {
    return run(profile, "--dump-dom", url);
  }

  static void screenshot(String url, Path png, Path profile) throws Exception {
    run(profile, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,900", url);
  }

  private static String run(Path profile, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("chromium", ".log");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s: " + Files.readString(err));
    }
    if (process.exitValue() != 0) {
      throw new IOException("chromium exited " + process.exitValue() + ": " + Files.readString(err));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
