package io.rotor.consuming;

import io.vertx.core.Future;

/** One running consumer: it feeds server API commands from an outside source until closed. */
public interface Consumer {

  String name();

  Future<Void> close();
}
