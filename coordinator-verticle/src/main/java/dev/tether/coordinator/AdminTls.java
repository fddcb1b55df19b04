package dev.tether.coordinator;

import dev.tether.config.ServerCertificate;
import dev.tether.config.TlsConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/** The admin API's listener options: plain HTTP, or TLS with the configured PEM pair or a self-signed one made now. */
final class AdminTls {
  private AdminTls() {}

  static HttpServerOptions serverOptions(TlsConfig tls) {
    HttpServerOptions options = new HttpServerOptions();
    if (!tls.enabled()) {
      return options;
    }
    ServerCertificate certificate = ServerCertificate.of(tls);
    return options
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certPath()).setKeyPath(certificate.keyPath()));
  }
}
