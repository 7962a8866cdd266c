package io.rotor.protocol;

import com.google.protobuf.Message;
import io.rotor.core.ClientError;
import io.rotor.protocol.pb.Reply;

/** Typed replies: a command's result under its key, or an error. */
public final class Replies {

  private Replies() {
  }

  public static Reply result(long id, CommandType type, Message result) {
    return Reply.newBuilder().setId((int) id).setField(type.replyField(), result).build();
  }

  public static Reply error(long id, ClientError error) {
    return Reply.newBuilder().setId((int) id)
        .setError(io.rotor.protocol.pb.Error.newBuilder()
            .setCode(error.code()).setMessage(error.message()).setTemporary(error.temporary()))
        .build();
  }
}
