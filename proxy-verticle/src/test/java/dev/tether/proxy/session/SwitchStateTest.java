package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A session through BLOCK, staging and RESTORE, in the orders a switchover can bring them. */
class SwitchStateTest {

  @Test
  void aBlockedSessionStagesAndRestoreReleasesIt() {
    SwitchState state = SwitchState.FOLLOWING.blocked();
    assertEquals(SwitchState.BLOCKED, state);
    assertTrue(state.blocks());
    state = SwitchState.STAGING;
    assertTrue(state.staging());
    state = state.stagingDone(true);
    assertEquals(SwitchState.STAGED, state);
    assertTrue(state.blocks());
    assertEquals(SwitchState.BLOCKED, state.unstaged(), "adopted, closed or discarded");
    assertEquals(SwitchState.FOLLOWING, state.restored());
  }

  @Test
  void aStagedConnectionThatNoLongerFitsLeavesTheSessionBlocked() {
    assertEquals(SwitchState.BLOCKED, SwitchState.STAGING.stagingDone(false));
  }

  @Test
  void restoreWhileStagingWaitsForTheConnectionAndClosesIt() {
    SwitchState state = SwitchState.STAGING.restored();
    assertEquals(SwitchState.RELEASED_STAGING, state);
    assertFalse(state.blocks(), "new work runs");
    assertTrue(state.staging(), "one connection per session at the next primary");
    assertEquals(SwitchState.FOLLOWING, state.stagingDone(true));
  }

  @Test
  void aNewBlockWhileTheOldStagingIsOnItsWayTakesItOver() {
    assertEquals(SwitchState.STAGING, SwitchState.RELEASED_STAGING.blocked());
    assertEquals(SwitchState.STAGED, SwitchState.STAGED.blocked());
  }

  @Test
  void stagingDoneWithoutStagingChangesNothing() {
    for (SwitchState state : new SwitchState[] {SwitchState.FOLLOWING, SwitchState.BLOCKED, SwitchState.STAGED}) {
      assertEquals(state, state.stagingDone(true));
      assertFalse(state.staging());
    }
  }
}
