package dev.tether.proxy;

import dev.tether.config.CommandLine;
import dev.tether.config.ConfigException;
import dev.tether.config.StartupConfig;
import dev.tether.config.StartupFailure;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line of a proxy node: {@code java -jar proxy.jar [--config tether.yaml] [key=value ...]},
 * where each key is a dotted configuration key ({@code proxy.port=6034}).
 */
public final class ProxyMain {
  private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);

  private ProxyMain() {}

  /** A clustered Vert.x when the node is part of a fleet, a plain one otherwise. */
  private static io.vertx.core.Future<Vertx> vertxFor(dev.tether.config.TetherConfig config, VertxOptions options,
                                                       PrometheusMeterRegistry registry) {
    if (config.cluster().enabled()) {
      return dev.tether.cluster.HazelcastSetup.clusteredVertx(
          Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry)), config.cluster(), options);
    }
    return io.vertx.core.Future.succeededFuture(
        Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build());
  }

  public static void main(String[] args) {
    CommandLine command;
    try {
      command = CommandLine.parse(args);
    } catch (ConfigException e) {
      StartupFailure.exit("tether proxy", e, log);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x's per-socket byte meters would run on every relayed chunk: the node's own meters and
    // the JVM's are what is exported.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    for (MetricsDomain domain : MetricsDomain.values()) {
      metrics.addDisabledMetricsCategory(domain);
    }
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(metrics);
    dev.tether.config.TetherConfig config;
    try {
      config = StartupConfig.load(command);
    } catch (Exception e) {
      StartupFailure.exit("tether proxy", e, log);
      return;
    }
    vertxFor(config, options, registry)
        .compose(vertx -> {
          if (!vertx.isNativeTransportEnabled()) {
            log.info("native transport unavailable, using NIO: {}", vertx.unavailableNativeTransportCause().toString());
          }
          return ProxyNode.start(vertx, config, registry);
        })
        .onFailure(failure -> StartupFailure.exit("tether proxy", failure, log));
  }
}
