package dev.tether.coordinator;

import dev.tether.config.TlsConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;

/** The admin API's listener options: plain HTTP, or TLS with the configured PEM pair or a self-signed one made now. */
final class AdminTls {
  private AdminTls() {}

  static HttpServerOptions serverOptions(TlsConfig tls) {
    HttpServerOptions options = new HttpServerOptions();
    if (!tls.enabled()) {
      return options;
    }
    String certPath = tls.certPath();
    String keyPath = tls.keyPath();
    if (!tls.hasCertificate()) {
      SelfSignedCertificate generated = SelfSignedCertificate.create("localhost");
      certPath = generated.certificatePath();
      keyPath = generated.privateKeyPath();
    }
    return options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath));
  }
}
