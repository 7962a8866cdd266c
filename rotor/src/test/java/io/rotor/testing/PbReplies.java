package io.rotor.testing;

import io.rotor.protocol.pb.Command;
import io.rotor.protocol.pb.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Protobuf Replies a test connection received, in order, and waits for the first that matches:
 * the ones skipped on the way are kept for later waits. Filled from the connection's thread.
 */
public final class PbReplies {

  private final BlockingQueue<Reply> arrived = new LinkedBlockingQueue<>();
  private final List<Reply> backlog = new ArrayList<>();
  private final long waitSeconds;

  public PbReplies(long waitSeconds) {
    this.waitSeconds = waitSeconds;
  }

  public void add(Reply r) {
    arrived.add(r);
  }

  /** The first reply matching, within the wait; fails naming what was skipped. */
  public Reply next(Predicate<Reply> p) throws InterruptedException {
    for (Iterator<Reply> it = backlog.iterator(); it.hasNext(); ) {
      Reply r = it.next();
      if (p.test(r)) {
        it.remove();
        return r;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    while (System.nanoTime() < deadline) {
      Reply r = arrived.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && p.test(r)) {
        return r;
      }
      if (r != null) {
        backlog.add(r);
      }
    }
    throw new AssertionError("no matching reply; skipped " + backlog);
  }

  /** Commands each prefixed with its length as a varint, as SDKs write them. */
  public static byte[] delimited(Command... commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Command c : commands) {
        c.writeDelimitedTo(out);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
