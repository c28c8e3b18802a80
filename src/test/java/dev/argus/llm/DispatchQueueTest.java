package dev.argus.llm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DispatchQueueTest {
  private final DispatchQueue<String> q = new DispatchQueue<>(3);

  private List<String> order() {
    List<String> out = new ArrayList<>();
    q.inOrder().forEachRemaining(e -> out.add(e.job()));
    return out;
  }

  @Test
  void higherPriorityFirstThenNewest() {
    q.offer("old-low", 1, 1, 1000);
    q.offer("new-high", 10, 3, 1000);
    q.offer("new-low", 1, 2, 1000);
    assertEquals(List.of("new-high", "new-low", "old-low"), order());
  }

  @Test
  void anOfferedEntryCanBeTakenOutAgain() {
    DispatchQueue.Entry<String> e = q.offer("superseded", 1, 1, 1000);
    q.offer("fresh", 1, 2, 1000);
    assertTrue(q.remove(e));
    assertFalse(q.remove(e), "already gone");
    assertEquals(List.of("fresh"), order());
  }

  @Test
  void aFullQueueRefuses() {
    for (int i = 0; i < 3; i++) assertNotNull(q.offer("j" + i, 1, i, 1000));
    assertNull(q.offer("j3", 99, 3, 1000));
  }

  @Test
  void expiredEntriesAreTakenOutAndTheRestStay() {
    q.offer("due", 5, 1, 100);
    q.offer("later", 5, 2, 200);
    assertEquals(List.of("due"), q.expire(100).stream().map(DispatchQueue.Entry::job).toList());
    assertEquals(List.of("later"), order());
  }

  @Test
  void takingThroughTheIteratorRemoves() {
    q.offer("a", 1, 1, 1000);
    q.offer("b", 1, 2, 1000);
    Iterator<DispatchQueue.Entry<String>> it = q.inOrder();
    assertEquals("b", it.next().job());
    it.remove();
    assertEquals(List.of("a"), order());
  }

  @Test
  void entriesTakenOrRemovedDoNotExpireLaterAndExpiryIsInDeadlineOrderWhateverThePriority() {
    DispatchQueue<String> big = new DispatchQueue<>(100);
    DispatchQueue.Entry<String> removed = big.offer("removed", 1, 1, 100);
    big.offer("taken", 9, 2, 100);
    big.offer("due-late", 1, 3, 300);
    big.offer("due-early", 9, 4, 200);
    big.offer("not-due", 5, 5, 1000);
    assertTrue(big.remove(removed));
    Iterator<DispatchQueue.Entry<String>> it = big.inOrder();
    assertEquals("due-early", it.next().job()); // priority 9, newest
    assertEquals("taken", it.next().job());
    it.remove();
    assertEquals(List.of(), big.expire(99), "nothing due yet");
    assertEquals(List.of("due-early", "due-late"), big.expire(300).stream().map(DispatchQueue.Entry::job).toList(),
        "the removed and the taken entry are not expired again");
    assertEquals(1, big.size());
    assertEquals(List.of("not-due"), big.expire(5000).stream().map(DispatchQueue.Entry::job).toList());
    assertTrue(big.isEmpty());
  }
}
