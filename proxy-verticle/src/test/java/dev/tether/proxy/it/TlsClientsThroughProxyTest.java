package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PyMySQL writes its TLS ClientHello right behind the SSLRequest, so both often arrive in one read:
 * every such TLS connect must succeed, not wait out the handshake timeout.
 */
class TlsClientsThroughProxyTest extends ThroughProxy {

  @Test
  void pyMySqlTlsConnectsAllSucceed() throws Exception {
    Tools.require("python3");
    String script = String.join("\n",
        "import ssl, sys, pymysql",
        "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
        "ok = 0",
        "for i in range(20):",
        "    c = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user='app', password='app', ssl=ctx,"
            + " connect_timeout=5)",
        "    cur = c.cursor(); cur.execute('SELECT 1'); c.close(); ok += 1",
        "print(ok)", "");
    Tools.Result result = Tools.run(List.of("/usr/bin/python3", "-c", script, String.valueOf(proxy.port())), null, 120);
    assumeTrue(System.getenv("TETHER_REQUIRE_TOOLS") != null || !result.output().contains("No module named"),
        "python3-pymysql is not installed; ./tether test installs it");
    assertEquals("20", result.output().trim(), result.output());
  }
}
