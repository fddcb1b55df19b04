package dev.tether.coordinator;

import dev.tether.cluster.Addresses;
import dev.tether.cluster.Topology;
import dev.tether.config.CoordinatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stage of a narrated switchover scenario: three MariaDB servers A, B and C and two proxy nodes
 * played by fakes, one manual clock, and the real topology store over a local (unclustered) Vert.x
 * map. A scenario lays out what a coordinator left behind, runs one run object, and reads the servers,
 * the phases sent and the shared topology afterwards.
 */
final class SwitchoverScene implements AutoCloseable {
  static final String A = "127.0.0.1:13306";
  static final String B = "127.0.0.1:13307";
  static final String C = "127.0.0.1:13308";

  final ManualClock clock = new ManualClock();
  final FakeServers servers = new FakeServers(clock);
  final FakeFleet fleet = new FakeFleet(clock, "proxy-1", "proxy-2");
  final Leadership leadership = new Leadership();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CoordinatorMetrics metrics = new CoordinatorMetrics(registry, List.of(A, B, C), () -> true);
  final CoordinatorConfig config = new CoordinatorConfig(0, "token", List.of(A, B, C), "tether_admin", "admin", "repl",
      "repl", Duration.ofMillis(2000), Duration.ofMillis(10000), Duration.ofMillis(500), 3, Duration.ofMillis(2000));
  private final Vertx vertx = Vertx.vertx();
  final MariaDbFlavor flavor = new MariaDbFlavor();
  final ReplicationControl replication = new ReplicationControl(servers, flavor, config);
  final Fencing fencing = new Fencing(replication, metrics);
  final TopologyStore store = new TopologyStore(vertx, servers, flavor, leadership,
      new ServerFactsReader(replication), fencing);
  final SwitchoverSteps steps = new SwitchoverSteps(replication, store, fleet, fencing);
  final Election election = new Election(replication, clock);

  SwitchoverScene() {
    leadership.lead();
  }

  /** The shared topology as a coordinator left it. */
  void shared(Topology topology) {
    await(vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
        .compose(map -> map.put(Addresses.TOPOLOGY_KEY, topology.toJson())));
  }

  Topology shared() {
    return Topology.fromJson(await(vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.TOPOLOGY_MAP)
        .compose(map -> map.get(Addresses.TOPOLOGY_KEY))));
  }

  /** Whether any statement that changes replication or read_only ran on {@code server}. */
  boolean touched(String server) {
    return !servers.server(server).ran.isEmpty();
  }

  double fences(FenceReason reason) {
    return registry.counter(CoordinatorMetrics.FENCES, "reason", reason.label()).count();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /** The cause a run failed with. */
  static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
    throw new AssertionError("the run succeeded");
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
