package dev.tether.proxy.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram recorded once per relayed command, so it costs a bucket search and two
 * uncontended adds (a Micrometer timer with buckets costs about ten times that, most of it in its
 * decaying maximum). Exported on scrape through the Prometheus registry Micrometer writes to; on any
 * other registry it records nothing anyone reads.
 */
final class LatencyHistogram implements Collector {
  private final String name;
  private final String help;
  /** Upper bounds in nanoseconds; the last bucket is +Inf. */
  private final long[] boundsNanos;
  private final LongAdder[] counts;
  private final LongAdder sumNanos = new LongAdder();

  LatencyHistogram(MeterRegistry registry, String name, String help, double... boundsMillis) {
    this.name = name;
    this.help = help;
    boundsNanos = new long[boundsMillis.length];
    for (int i = 0; i < boundsMillis.length; i++) {
      boundsNanos[i] = (long) (boundsMillis[i] * 1_000_000);
    }
    counts = new LongAdder[boundsMillis.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      prometheus.getPrometheusRegistry().register(this);
    }
  }

  void record(long nanos) {
    int bucket = 0;
    while (bucket < boundsNanos.length && nanos > boundsNanos[bucket]) {
      bucket++;
    }
    counts[bucket].increment();
    sumNanos.add(nanos);
  }

  long count() {
    long total = 0;
    for (LongAdder count : counts) {
      total += count.sum();
    }
    return total;
  }

  @Override
  public MetricSnapshot collect() {
    double[] upper = new double[counts.length];
    long[] perBucket = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      upper[i] = i < boundsNanos.length ? boundsNanos[i] / 1e9 : Double.POSITIVE_INFINITY;
      perBucket[i] = counts[i].sum();
    }
    return HistogramSnapshot.builder().name(name).help(help)
        .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, perBucket)).sum(sumNanos.sum() / 1e9).build())
        .build();
  }

  @Override
  public String getPrometheusName() {
    return name;
  }
}
