package dev.tether.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real proxy main, as its own process: a configuration mistake ends it with exit code 2 and one line naming the key. */
class ProxyMainRefusesBadConfigurationTest {
  @TempDir
  Path dir;

  @Test
  void aTypoInTheFileStopsTheNode() throws Exception {
    assertRefused("proxy:\n  prot: 6034\n", "tether proxy: configuration error: proxy.prot: unknown key");
  }

  @Test
  void aPortOutOfRangeOnTheCommandLineStopsTheNode() throws Exception {
    assertRefused("{}\n", "tether proxy: configuration error: proxy.port: 99999 is out of range", "proxy.port=99999");
  }

  @Test
  void aWrongTypeStopsTheNode() throws Exception {
    assertRefused("backend:\n  connectTimeoutMs: soon\n",
        "tether proxy: configuration error: backend.connectTimeoutMs: expected a whole number");
  }

  @Test
  void aMissingCertificateStopsTheNode() throws Exception {
    assertRefused("proxy:\n  tls:\n    certPath: " + dir.resolve("cert.pem") + "\n    keyPath: " + dir.resolve("key.pem") + "\n",
        "tether proxy: configuration error: proxy.tls.certPath: file not found");
  }

  @Test
  void aBadCommandLineStopsTheNode() throws Exception {
    assertRefused("{}\n", "tether proxy: configuration error: command line: usage", "proxy.port");
  }

  private void assertRefused(String yaml, String expectedLine, String... extra) throws Exception {
    Path file = dir.resolve("tether.yaml");
    Files.writeString(file, yaml);
    String[] args = new String[extra.length + 2];
    args[0] = "--config";
    args[1] = file.toString();
    System.arraycopy(extra, 0, args, 2, extra.length);
    try (ChildJvm node = ChildJvm.start(ProxyMain.class, Map.of(), args)) {
      int exit = node.awaitExit(60);
      String output = node.output();
      assertEquals(2, exit, output);
      String[] lines = output.strip().split("\n");
      assertEquals(1, lines.length, "one line: " + output);
      assertTrue(lines[0].startsWith(expectedLine), output);
    }
  }
}
