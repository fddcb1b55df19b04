package dev.tether.proxy.accounts;

import dev.tether.config.AuthPlugin;
import dev.tether.config.DatabaseAccountsConfig;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserAccount;
import dev.tether.config.UserStore;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.backend.InternalQuery;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from the configuration first, then application accounts read from the primary's grant
 * tables through the {@link AccountFlavor} of the server each read reaches. The accounts are re-read every {@code refresh}, and
 * when a login names a user not known (at most once per {@code minInterval}, however many unknown
 * names arrive). They live in this node's memory only, never in the shared Hazelcast map: what is
 * held is the stored hash, never a password. A read that fails keeps the last accounts.
 */
public final class DatabaseUserStore implements UserStore {
  private static final Logger log = LoggerFactory.getLogger(DatabaseUserStore.class);

  private final UserStore configured;
  private final DatabaseAccountsConfig config;
  private final BackendConnector connector;
  private final Context context;
  /** Each user's rows, most specific host first; replaced whole by each read, read by every event loop. */
  private volatile Map<String, List<HostAccount>> accounts = Map.of();
  /** Confined to {@link #context}. */
  private long lastReadMillis;
  private boolean reading;

  public DatabaseUserStore(Vertx vertx, UserStore configured, DatabaseAccountsConfig config,
                           BackendConnector connector) {
    this.configured = configured;
    this.config = config;
    this.connector = connector;
    this.context = vertx.getOrCreateContext();
  }

  /** A store over {@code configured} reading the accounts of whatever primary {@code target} names. */
  public static DatabaseUserStore fromGrantTables(Vertx vertx, UserStore configured, TetherConfig tether,
                                          Supplier<BackendTarget> target) {
    var backend = tether.backend();
    NetClient client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) backend.connectTimeout().toMillis()).setTcpNoDelay(true));
    BackendConnector connector = new BackendConnector(vertx, client, backend, target, identity -> { },
        new AtomicInteger());
    return new DatabaseUserStore(vertx, configured, tether.proxy().accounts(), connector);
  }

  /** Reads the accounts once, then keeps re-reading them. */
  public Future<Void> start(Vertx vertx) {
    Promise<Void> first = Promise.promise();
    context.runOnContext(ignored -> read().onComplete(done -> {
      vertx.setPeriodic(config.refresh().toMillis(), id -> context.runOnContext(tick -> read()));
      first.handle(done);
    }));
    return first.future();
  }

  /** The account of {@code name} at host {@code %}, whatever the client's address. */
  @Override
  public Optional<UserAccount> find(String name) {
    return find(name, null, false);
  }

  /**
   * The configured user of that name, else the first row of the user whose host pattern matches
   * the client's address, as the server picks it; empty when that row refuses the client.
   */
  @Override
  public Optional<UserAccount> find(String name, String clientAddress, boolean tls) {
    Optional<UserAccount> found = configured.find(name);
    if (found.isPresent()) {
      return found;
    }
    List<HostAccount> rows = accounts.get(name);
    if (rows == null) {
      context.runOnContext(ignored -> {
        if (System.currentTimeMillis() - lastReadMillis >= config.minInterval().toMillis()) {
          read(); // perhaps created since the last read; the login under way is still refused
        }
      });
      return Optional.empty();
    }
    for (HostAccount row : rows) {
      if (row.host().matches(clientAddress)) {
        return Optional.ofNullable(row.forClient(tls));
      }
    }
    return Optional.empty();
  }

  /** How many accounts the last read found. */
  public int size() {
    return accounts.size();
  }

  private static Map<String, List<HostAccount>> accounts(AccountFlavor flavor, TextResult result) {
    if (result.isError()) {
      throw result.error().toException();
    }
    Map<String, List<HostAccount>> read = new HashMap<>();
    for (List<byte[]> row : result.rows()) {
      flavor.account(row).ifPresent(account ->
          read.computeIfAbsent(AccountFlavor.text(row, 0), user -> new java.util.ArrayList<>()).add(account));
    }
    read.replaceAll((user, rows) -> rows.stream().sorted(java.util.Comparator.comparing(HostAccount::host)).toList());
    return read;
  }

  private Future<Void> read() {
    if (reading) {
      return Future.succeededFuture();
    }
    reading = true;
    lastReadMillis = System.currentTimeMillis();
    UserAccount reader = new UserAccount(config.user(), config.password(), AuthPlugin.MYSQL_NATIVE_PASSWORD);
    return InternalQuery.connect(connector, reader)
        .compose(backend -> {
          AccountFlavor flavor = AccountFlavor.of(backend.identity());
          return InternalQuery.run(backend, flavor.query()).andThen(done -> backend.close())
              .map(result -> accounts(flavor, result));
        })
        .map(read -> {
          if (!read.keySet().equals(accounts.keySet())) {
            log.info("{} users read from the database's grant tables", read.size());
          }
          accounts = Map.copyOf(read);
          return (Void) null;
        })
        .onFailure(e -> log.warn("could not read the accounts from the database: {}", e.getMessage()))
        .andThen(done -> reading = false);
  }
}
