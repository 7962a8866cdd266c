package io.rotor.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.rotor.core.ClientInfo;
import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.core.Unsubscribe;
import io.rotor.protocol.pb.Push;

/**
 * The core values as protocol messages, and the pushes built from them. Payload arrays are wrapped,
 * not copied: a publication's bytes are never changed once it exists.
 */
public final class Protos {

  private Protos() {
  }

  public static io.rotor.protocol.pb.Publication publication(Publication pub) {
    io.rotor.protocol.pb.Publication.Builder b = io.rotor.protocol.pb.Publication.newBuilder();
    if (pub.data() != null) {
      b.setData(bytes(pub.data()));
    }
    if (pub.info() != null) {
      b.setInfo(clientInfo(pub.info()));
    }
    if (pub.offset() > 0) {
      b.setOffset(pub.offset());
    }
    if (pub.tags() != null) {
      b.putAllTags(pub.tags());
    }
    return b.build();
  }

  public static io.rotor.protocol.pb.ClientInfo clientInfo(ClientInfo info) {
    io.rotor.protocol.pb.ClientInfo.Builder b = io.rotor.protocol.pb.ClientInfo.newBuilder()
        .setUser(info.user()).setClient(info.client());
    if (info.connInfo() != null) {
      b.setConnInfo(bytes(info.connInfo()));
    }
    if (info.chanInfo() != null) {
      b.setChanInfo(bytes(info.chanInfo()));
    }
    return b.build();
  }

  /** Bytes as a ByteString without a copy; null stays unset (empty). */
  public static ByteString bytes(byte[] bytes) {
    return bytes == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** The payload bytes of a field, or null when it is unset (empty). */
  public static byte[] payload(ByteString bytes) {
    return bytes.isEmpty() ? null : bytes.toByteArray();
  }

  public static Push publicationPush(String channel, Publication pub) {
    return Push.newBuilder().setChannel(channel).setPub(publication(pub)).build();
  }

  public static Push joinPush(String channel, ClientInfo info) {
    return Push.newBuilder().setChannel(channel)
        .setJoin(io.rotor.protocol.pb.Join.newBuilder().setInfo(clientInfo(info))).build();
  }

  public static Push leavePush(String channel, ClientInfo info) {
    return Push.newBuilder().setChannel(channel)
        .setLeave(io.rotor.protocol.pb.Leave.newBuilder().setInfo(clientInfo(info))).build();
  }

  public static Push unsubscribePush(String channel, Unsubscribe why) {
    return Push.newBuilder().setChannel(channel)
        .setUnsubscribe(io.rotor.protocol.pb.Unsubscribe.newBuilder().setCode(why.code()).setReason(why.reason()))
        .build();
  }

  public static Push disconnectPush(Disconnect d) {
    return Push.newBuilder().setDisconnect(io.rotor.protocol.pb.Disconnect.newBuilder()
        .setCode(d.code()).setReason(d.reason() == null ? "" : d.reason())).build();
  }
}
