package io.rotor.client;

import io.rotor.protocol.pb.Publication;
import io.rotor.protocol.pb.SubscribeResult;
import java.util.List;

/**
 * An established (not yet active) subscription: the result fields, and the publications that
 * bring the client up to date (recovered plus buffered, in offset order, tags-filtered and in the
 * payload form the subscription takes).
 */
record SubscribeOutcome(String channel, SubscribeResult result, List<Publication> publications, boolean recovered) {

  /** The subscribe result as a client-side reply, publications included. */
  SubscribeResult.Builder reply() {
    return result.toBuilder().addAllPublications(publications);
  }
}
