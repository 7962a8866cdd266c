package io.rotor.proxy;

/** Told about every proxy call (the metrics record duration and failures). */
@FunctionalInterface
public interface ProxyObserver {

  ProxyObserver NONE = (kind, nanos, failed) -> { };

  void observe(String kind, long nanos, boolean failed);
}
