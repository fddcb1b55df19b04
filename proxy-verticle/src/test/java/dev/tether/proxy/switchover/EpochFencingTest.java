package dev.tether.proxy.switchover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.StaticUserStore;
import dev.tether.config.TetherConfig;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.switchover.NodeSwitchover.Ack;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fencing by epoch, narrated: a node follows only ever-newer epochs, ignores late and repeated
 * phase messages, and a node left blocked by a vanished coordinator restores itself when the hold
 * window ends. Time is a manual clock the test advances; no test here sleeps.
 */
class EpochFencingTest {
  private static final long HOLD_WINDOW_MILLIS = 5_000;

  private final ManualClock clock = new ManualClock();
  private final NodeServices node = new NodeServices(TetherConfig.fromJson(new JsonObject()
      .put("session", new JsonObject().put("holdWindowSeconds", HOLD_WINDOW_MILLIS / 1000))),
      new StaticUserStore(List.of()), null, null, null);
  private final NodeSwitchover switchover = new NodeSwitchover(clock, node, List.of());

  @Test
  void aNodeFollowsNewerEpochsAndIgnoresStaleAndRepeatedOnes() {
    assertEquals(0, node.target().epoch(), "starts on the configured primary at epoch 0");
    assertTrue(node.target(new BackendTarget("127.0.0.1", 13307, 1)), "epoch 1 names a new primary");
    assertFalse(node.target(new BackendTarget("127.0.0.1", 13306, 1)), "the same epoch again is stale");
    assertTrue(node.target(new BackendTarget("127.0.0.1", 13308, 3)), "epochs may skip");
    assertFalse(node.target(new BackendTarget("127.0.0.1", 13306, 2)), "an older coordinator's late message");
    assertEquals(new BackendTarget("127.0.0.1", 13308, 3), node.target());
  }

  @Test
  void phaseMessagesOfAnOldEpochAreIgnoredAtEveryPhase() {
    assertTrue(done(switchover.block(1, Duration.ofSeconds(2))).applied());
    assertTrue(done(switchover.switchTo(new BackendTarget("127.0.0.1", 13307, 1))).applied());
    assertTrue(done(switchover.restore(1)).applied());
    assertEquals(-1, switchover.blockedEpoch());

    clock.advance(60_000); // a minute later, a coordinator that missed all of it replays epoch 1
    assertFalse(done(switchover.block(1, Duration.ofSeconds(2))).applied(), "a BLOCK for a past epoch");
    assertEquals(-1, switchover.blockedEpoch(), "and nothing is held");
    assertFalse(done(switchover.switchTo(new BackendTarget("127.0.0.1", 13306, 1))).applied(), "a repeated SWITCH");
    assertFalse(done(switchover.switchTo(new BackendTarget("127.0.0.1", 13306, 0))).applied(), "an older SWITCH");
    assertEquals(new BackendTarget("127.0.0.1", 13307, 1), node.target(), "the node still follows epoch 1");

    assertTrue(done(switchover.block(2, Duration.ofSeconds(2))).applied(), "the next epoch is followed");
    assertFalse(done(switchover.restore(1)).applied(), "a late RESTORE of epoch 1 does not release epoch 2");
    assertEquals(2, switchover.blockedEpoch());
  }

  @Test
  void aNodeLeftBlockedRestoresItselfWhenTheHoldWindowEnds() {
    Ack blocked = done(switchover.block(1, Duration.ofSeconds(2)));
    assertTrue(blocked.applied());
    clock.advance(HOLD_WINDOW_MILLIS - 1);
    assertEquals(1, switchover.blockedEpoch(), "still held just before the window ends");
    clock.advance(1);
    assertEquals(-1, switchover.blockedEpoch(), "released once no RESTORE came within the hold window");
    assertFalse(done(switchover.block(0, Duration.ofSeconds(2))).applied(), "and still fenced against older epochs");
  }

  @Test
  void aNewerBlockReplacesTheOlderOnesSelfRestore() {
    done(switchover.block(1, Duration.ofSeconds(2)));
    clock.advance(HOLD_WINDOW_MILLIS / 2);
    done(switchover.block(2, Duration.ofSeconds(2)));
    clock.advance(HOLD_WINDOW_MILLIS / 2);
    assertEquals(2, switchover.blockedEpoch(), "epoch 1's timer does not release epoch 2's block");
    clock.advance(HOLD_WINDOW_MILLIS / 2);
    assertEquals(-1, switchover.blockedEpoch());
  }

  private static Ack done(Future<Ack> future) {
    assertTrue(future.isComplete(), "with no sessions every phase completes at once");
    return future.result();
  }

  /** A clock that moves only when told, running what falls due in order. */
  private static final class ManualClock implements SwitchoverClock {
    private record Task(long due, long order, Runnable run) {}

    private final List<Task> tasks = new ArrayList<>();
    private long now = 1_000_000;
    private long order;

    @Override
    public long millis() {
      return now;
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
      tasks.add(new Task(now + delayMillis, order++, task));
    }

    void advance(long millis) {
      long until = now + millis;
      while (true) {
        Task next = tasks.stream().filter(t -> t.due() <= until)
            .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order)).orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now = Math.max(now, next.due());
        next.run().run();
      }
      now = until;
    }
  }
}
