package io.rotor.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.Publication;
import java.util.List;

/**
 * An established (not yet active) subscription: the result fields, and the publications that
 * bring the client up to date (recovered plus buffered, in offset order).
 */
record SubscribeOutcome(String channel, ObjectNode result, List<Publication> publications, boolean recovered) {

  /** The subscribe result as a client-side reply, publications included. */
  ObjectNode reply() {
    if (publications.isEmpty()) {
      return result;
    }
    ObjectNode r = result.deepCopy();
    var arr = r.putArray("publications");
    for (Publication p : publications) {
      arr.addPOJO(io.rotor.protocol.JsonCodec.publicationValue(p));
    }
    return r;
  }
}
