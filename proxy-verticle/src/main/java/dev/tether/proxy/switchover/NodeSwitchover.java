package dev.tether.proxy.switchover;

import dev.tether.config.SwitchoverMode;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.node.SessionCounts;
import dev.tether.proxy.session.RelaySession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's part of a switchover: BLOCK (hold new work, let open transactions finish within a
 * window, or hold the replayable ones for replay) → SWITCH (a newer epoch names the new primary;
 * every session migrates between commands with its state replayed and its transaction carried; a
 * coordinator's SWITCH holds every new command meanwhile) → RESTORE (held work goes on). Each
 * phase completes with counts, the acknowledgement a coordinator collects; a phase that waits for
 * its sessions counts them when they report a change ({@link #sessionChanged}), not on a fast poll.
 * A node left blocked restores itself after the hold window, so a vanished coordinator never leaves
 * clients waiting for ever.
 */
public final class NodeSwitchover {
  private static final Logger log = LoggerFactory.getLogger(NodeSwitchover.class);
  /** How soon after a session changes a waiting phase counts its sessions again (changes in between share it). */
  private static final long EVENT_MILLIS = 2;
  /** Counted this often besides, so a phase ends even if a change went unheard. */
  private static final long RECOUNT_MILLIS = 100;

  /** A phase's outcome on this node; {@code applied} is false for a stale epoch. */
  public record Ack(String phase, long epoch, boolean applied, SessionCounts counts, long millis, boolean reachesPrimary) {
    public Ack(String phase, long epoch, boolean applied, SessionCounts counts, long millis) {
      this(phase, epoch, applied, counts, millis, true);
    }
  }

  private final SwitchoverClock clock;
  private final NodeServices services;
  private final List<? extends SessionGroup> groups;
  private volatile long blockedAtMillis;
  /** The phases now waiting for this node's sessions (BLOCK for quiescence, SWITCH for migration). */
  private final Set<Wait> waits = ConcurrentHashMap.newKeySet();

  public NodeSwitchover(Vertx vertx, NodeServices services, List<? extends SessionGroup> groups) {
    this(SwitchoverClock.of(vertx), services, groups);
  }

  public NodeSwitchover(SwitchoverClock clock, NodeServices services, List<? extends SessionGroup> groups) {
    this.clock = clock;
    this.services = services;
    this.groups = groups;
  }

  /** Holds new work and completes when every session is quiescent or {@code window} has passed. */
  public Future<Ack> block(long epoch, Duration window) {
    return block(epoch, window, null, SwitchoverMode.DRAIN);
  }

  /**
   * As {@link #block(long, Duration)}; when {@code next} names the coordinator's target, quiescent
   * sessions then prepare their connection to it (while the coordinator promotes), so SWITCH swaps
   * connections instead of opening them. In {@link SwitchoverMode#REPLAY} a transaction the
   * session can replay is held at once between its commands, to be replayed on the new primary at
   * SWITCH; only the others get the window to finish.
   */
  public Future<Ack> block(long epoch, Duration window, BackendTarget next, SwitchoverMode mode) {
    long started = clock.millis();
    if (epoch <= services.target().epoch()) {
      return Future.succeededFuture(new Ack("BLOCK", epoch, false, SessionCounts.NONE, 0));
    }
    holdUntilRestore(epoch, window);
    Consumer<RelaySession> blocking = switch (mode) {
      case DRAIN -> session -> session.switchover().block();
      case REPLAY -> session -> {
        session.switchover().block();
        session.switchover().holdReplayableTransaction();
      };
    };
    Predicate<SessionCounts> settled = switch (mode) {
      case DRAIN -> counts -> counts.quiescent() == counts.sessions();
      case REPLAY -> counts -> counts.quiescent() + counts.carriable() == counts.sessions();
    };
    return each(blocking)
        .compose(first -> until(settled, started + window.toMillis()))
        .compose(counts -> counts.inTransaction() == 0 ? Future.succeededFuture(counts)
            : each(session -> session.switchover().holdReplayableTransaction())) // before the old primary is fenced
        .map(counts -> {
          if (next != null && services.heldEpoch() == epoch) {
            each(session -> session.switchover().stage(next));
          }
          return new Ack("BLOCK", epoch, true, counts, clock.millis() - started);
        });
  }

  /** Points the node at {@code target} and completes when every session has migrated (or the hold window ends). */
  public Future<Ack> switchTo(BackendTarget target) {
    return switchTo(target, false);
  }

  /**
   * As {@link #switchTo(BackendTarget)}; when {@code holdUntilRestore} (a coordinator's SWITCH,
   * always followed by RESTORE), every new command of the node's sessions waits for RESTORE, in a
   * transaction or not, so every transaction carried over is replayed before anything runs on the
   * new primary that could change what the replay reads.
   */
  public Future<Ack> switchTo(BackendTarget target, boolean holdUntilRestore) {
    long started = clock.millis();
    if (!services.target(target)) {
      log.info("switchover: ignoring stale epoch {} (current {})", target.epoch(), services.target().epoch());
      return Future.succeededFuture(new Ack("SWITCH", target.epoch(), false, SessionCounts.NONE, 0));
    }
    if (holdUntilRestore && services.heldEpoch() != target.epoch()) {
      holdUntilRestore(target.epoch(), Duration.ZERO); // a failover's SWITCH: no BLOCK came before it
    }
    log.info("switchover epoch {}: sessions move to {}", target.epoch(), target.address());
    return each(session -> session.switchover().switchBackend(holdUntilRestore))
        .compose(first -> until(counts -> counts.migrating() == 0,
            started + services.config().session().holdWindow().toMillis()))
        .map(counts -> new Ack("SWITCH", target.epoch(), true, counts, clock.millis() - started));
  }

  /** From now until RESTORE of {@code epoch} new work is held; past the hold window the node restores by itself. */
  private void holdUntilRestore(long epoch, Duration window) {
    services.heldEpoch(epoch); // sessions that start meanwhile hold too
    blockedAtMillis = clock.millis();
    clock.schedule(Math.max(window.toMillis(), services.config().session().holdWindow().toMillis()), () -> {
      if (services.heldEpoch() == epoch) {
        log.warn("switchover epoch {}: no RESTORE within the hold window; restoring by itself", epoch);
        restore(epoch);
      }
    });
  }

  /** Releases held work. */
  public Future<Ack> restore(long epoch) {
    long started = clock.millis();
    if (epoch < services.heldEpoch()) {
      return Future.succeededFuture(new Ack("RESTORE", epoch, false, SessionCounts.NONE, 0));
    }
    services.heldEpoch(-1); // before the sessions are visited: one that starts after its loop's visit holds nothing
    return each(session -> session.switchover().restore())
        .map(counts -> new Ack("RESTORE", epoch, true, counts, clock.millis() - started));
  }

  /** The epoch whose BLOCK holds this node's new work, or -1 when nothing is held. */
  public long blockedEpoch() {
    return services.heldEpoch();
  }

  /** When the current BLOCK began (meaningful while {@link #blockedEpoch()} is not -1). */
  public long blockedAtMillis() {
    return blockedAtMillis;
  }

  /** The epoch of the primary this node follows. */
  public long epoch() {
    return services.target().epoch();
  }

  /** Where the node's sessions stand now, and whether it reaches the primary it follows; changes nothing. */
  public Future<Ack> status() {
    Future<Boolean> reaches = groups.isEmpty() ? Future.succeededFuture(false)
        : groups.get(0).probeBackend();
    return reaches.compose(reachable -> each(session -> { })
        .map(counts -> new Ack("STATUS", services.target().epoch(), true, counts, 0, reachable)));
  }

  private Future<SessionCounts> each(Consumer<RelaySession> action) {
    Future<SessionCounts> total = Future.succeededFuture(SessionCounts.NONE);
    for (SessionGroup group : groups) {
      total = total.compose(sum -> group.eachSession(action).map(sum::plus));
    }
    return total;
  }

  /**
   * A session of this node went idle, ended or finished moving (called on its loop): a phase
   * waiting for its sessions counts them again, soon, once for however many sessions changed.
   */
  public void sessionChanged() {
    for (Wait wait : waits) {
      wait.soon();
    }
  }

  private Future<SessionCounts> until(Predicate<SessionCounts> done, long deadlineMillis) {
    Wait wait = new Wait(done, deadlineMillis);
    waits.add(wait);
    wait.recount();
    clock.schedule(Math.max(1, deadlineMillis - clock.millis()), wait::recount);
    clock.schedule(RECOUNT_MILLIS, wait::fallback);
    return wait.result.future();
  }

  /** One phase waiting for its sessions: counted when they change, at the deadline, and now and then besides. */
  private final class Wait {
    private final Predicate<SessionCounts> done;
    private final long deadlineMillis;
    private final Promise<SessionCounts> result = Promise.promise();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean counting = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    Wait(Predicate<SessionCounts> done, long deadlineMillis) {
      this.done = done;
      this.deadlineMillis = deadlineMillis;
    }

    /** A session changed: count within {@link #EVENT_MILLIS}, however many more change meanwhile. */
    void soon() {
      if (!result.future().isComplete() && scheduled.compareAndSet(false, true)) {
        clock.schedule(EVENT_MILLIS, () -> {
          scheduled.set(false);
          recount();
        });
      }
    }

    /** Should a change go unheard, the phase still ends: a count every {@link #RECOUNT_MILLIS}. */
    void fallback() {
      if (!result.future().isComplete()) {
        recount();
        clock.schedule(RECOUNT_MILLIS, this::fallback);
      }
    }

    void recount() {
      if (result.future().isComplete()) {
        return;
      }
      if (!counting.compareAndSet(false, true)) {
        again.set(true); // one count at a time; the one running is followed by one more
        return;
      }
      each(session -> { }).onComplete(counted -> {
        counting.set(false);
        if (counted.failed()) {
          finish(counted);
        } else if (done.test(counted.result()) || clock.millis() >= deadlineMillis) {
          finish(counted);
        } else if (again.getAndSet(false)) {
          recount();
        }
      });
    }

    private void finish(io.vertx.core.AsyncResult<SessionCounts> counted) {
      waits.remove(this);
      result.handle(counted);
    }
  }
}
