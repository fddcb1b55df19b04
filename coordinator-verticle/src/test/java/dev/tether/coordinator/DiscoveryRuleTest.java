package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.cluster.Topology;
import dev.tether.cluster.Topology.DetachReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which server a coordinator starting from nothing takes as primary, told as the scenarios that lead there. */
class DiscoveryRuleTest {
  private static final String A = "127.0.0.1:13306";
  private static final String B = "127.0.0.1:13307";
  private static final String C = "127.0.0.1:13308";

  private static ServerFacts root(String server, String position, EpochRecord... records) {
    return new ServerFacts(server, true, position, null, false, List.of(records));
  }

  private static ServerFacts replicaOf(String server, String source, EpochRecord... records) {
    return new ServerFacts(server, true, "0-1-10", source, true, List.of(records));
  }

  private static EpochRecord epoch(long epoch, String primary) {
    return new EpochRecord(epoch, primary, epoch == 0 ? null : "0-1-10", EpochRecord.FAILOVER);
  }

  @Test
  void aFreshDatabaseHasOnePrimaryTheOthersReplicateFrom() {
    Topology t = DiscoveryRule.decide(List.of(root(A, "0-1-10"), replicaOf(B, A), replicaOf(C, "localhost:13306")))
        .topology();
    assertEquals(Topology.Phase.STABLE, t.phase());
    assertEquals(A, t.primary());
    assertEquals(List.of(B, C), t.replicas());
    assertEquals(0, t.epoch());
  }

  @Test
  void afterAFailoverAndAFullRestartTheNewestRecordWinsOverTheRestartedOldPrimary() {
    // A was primary at epoch 0, crashed, B was promoted at epoch 1 and C follows it; A restarted on its own
    Topology t = DiscoveryRule.decide(List.of(root(A, "0-1-28455", epoch(0, A)),
        root(B, "0-2-53269", epoch(0, A), epoch(1, B)), replicaOf(C, B, epoch(0, A), epoch(1, B)))).topology();
    assertEquals(B, t.primary());
    assertEquals(2, t.epoch(), "a restarted fleet starts a newer epoch");
    assertEquals(List.of(C), t.replicas());
    assertEquals(DetachReason.SUPERSEDED_PRIMARY, t.detached().get(0).reason());
    assertEquals(A, t.detached().get(0).server());
  }

  @Test
  void configurationOrderDoesNotNameThePrimary() {
    Topology t = DiscoveryRule.decide(List.of(replicaOf(A, C), replicaOf(B, C), root(C, "0-3-5"))).topology();
    assertEquals(C, t.primary());
  }

  @Test
  void twoServersThatReplicateFromNobodyWithoutRecordsDecideNothing() {
    Topology t = DiscoveryRule.decide(List.of(root(A, "0-1-10"), root(B, "0-2-9"))).topology();
    assertEquals(Topology.Phase.UNDECIDED, t.phase());
    assertTrue(t.undecidedReason().startsWith("SEVERAL_CANDIDATES"), t.undecidedReason());
    assertEquals(null, t.primary());
    assertEquals(2, t.detached().size(), "every server stays fenced");
  }

  @Test
  void conflictingRecordsForOneEpochDecideNothing() {
    Topology t = DiscoveryRule.decide(List.of(root(A, "0-1-10", epoch(0, A), epoch(1, A)),
        root(B, "0-2-9", epoch(0, A), epoch(1, B)))).topology();
    assertEquals(Topology.Phase.UNDECIDED, t.phase());
    assertTrue(t.undecidedReason().startsWith("CONFLICTING_RECORDS"), t.undecidedReason());
  }

  @Test
  void aRecordedPrimaryThatNowReplicatesDecidesNothing() {
    Topology t = DiscoveryRule.decide(List.of(replicaOf(A, B, epoch(0, A)), root(B, "0-2-9", epoch(0, A))))
        .topology();
    assertTrue(t.undecidedReason().startsWith("RECORDED_PRIMARY_REPLICATES"), t.undecidedReason());
  }

  @Test
  void aRecordedPrimaryThatDoesNotAnswerStaysPrimaryForTheFailureDetectorToReplace() {
    Topology t = DiscoveryRule.decide(List.of(ServerFacts.unreachable(A), replicaOf(B, A, epoch(0, A)))).topology();
    assertEquals(A, t.primary());
    assertEquals(List.of(B), t.replicas());
    assertEquals(1, t.epoch());
  }

  @Test
  void withoutRecordsReplicasOfAServerThatDoesNotAnswerNameIt() {
    Topology t = DiscoveryRule.decide(List.of(ServerFacts.unreachable(A), replicaOf(B, A), replicaOf(C, B))).topology();
    assertEquals(A, t.primary());
    assertEquals(List.of(B, C), t.replicas());
  }

  @Test
  void noServerAnsweringDecidesNothing() {
    DiscoveryRule.Decision d = DiscoveryRule.decide(List.of(ServerFacts.unreachable(A), ServerFacts.unreachable(B)));
    assertFalse(d.decided());
    assertTrue(d.topology().undecidedReason().startsWith("NO_SERVER_ANSWERS"));
  }

  @Test
  void theForkOfTheFirstLaterEpochThatChangedThePrimaryBoundsAStaleServer() {
    ServerFacts primary = new ServerFacts(B, true, "0-2-900", null, false, List.of(epoch(0, A),
        new EpochRecord(1, B, "0-1-500", EpochRecord.FAILOVER), new EpochRecord(2, B, null, EpochRecord.DISCOVERY)));
    assertEquals("0-1-500", Rejoiner.forkAfter(0, primary));
    assertEquals("0-2-900", Rejoiner.forkAfter(2, primary), "no later fork: the primary's own position");
  }
}
